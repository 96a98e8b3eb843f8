import { Alert, Button, Empty, Input, Skeleton, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api';
import PageHeader from '../components/PageHeader';
import { PlusOutlined } from '../icons';
import { useIsStaff } from '../layout/Landing';
import type { Page } from '../types';
import { describeApiError } from '../utils/errors';
import { Badges, ServerHtml } from './common';
import './i18n';
import './knowledge.css';
import type { Article, SearchResult } from './types';

/** Browse and search: the latest articles, or ranked results with highlighted snippets. */
export default function KnowledgeHome() {
  const { t } = useTranslation();
  const staff = useIsStaff();
  const [latest, setLatest] = useState<Article[] | null>(null);
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<Page<Article>>('/knowledge/articles', { limit: 50 })
      .then((page) => setLatest(page.items))
      .catch((err) => setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected')));
  }, [t]);

  const search = useCallback(
    (text: string) => {
      if (!text.trim()) {
        setResults(null);
        return;
      }
      api
        .get<{ items: SearchResult[] }>('/knowledge/search', { q: text, limit: 20 })
        .then((found) => setResults(found.items))
        .catch((err) => setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected')));
    },
    [t],
  );

  return (
    <>
      <PageHeader
        title={t('knowledge.title')}
        extra={
          staff ? (
            <Link to="/knowledge/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t('knowledge.newArticle')}
              </Button>
            </Link>
          ) : undefined
        }
      />
      <Input.Search
        className="gd-kb-search"
        aria-label={t('knowledge.searchLabel')}
        placeholder={t('knowledge.searchPlaceholder')}
        allowClear
        enterButton
        onSearch={search}
        data-testid="kb-search"
      />
      {error && <Alert type="warning" showIcon message={error} style={{ marginBottom: 12 }} />}
      {results ? (
        <section aria-label={t('knowledge.results')}>
          {results.length === 0 ? (
            <Empty description={t('knowledge.noResults')} />
          ) : (
            <ul className="gd-kb-list" data-testid="kb-results">
              {results.map((item) => (
                <li key={item.id} className="gd-kb-item">
                  <Link to={`/knowledge/${item.id}`}>
                    <ServerHtml as="span" html={item.title_html} />
                  </Link>
                  <ServerHtml as="p" className="gd-kb-snippet" html={item.snippet_html} />
                  <Badges article={item} />
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : latest === null ? (
        <Skeleton active />
      ) : latest.length === 0 ? (
        <Empty description={t('knowledge.empty')} />
      ) : (
        <section aria-label={t('knowledge.latest')}>
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            {t('knowledge.latest')}
          </Typography.Title>
          <ul className="gd-kb-list" data-testid="kb-latest">
            {latest.map((item) => (
              <li key={item.id} className="gd-kb-item">
                <Link to={`/knowledge/${item.id}`}>{item.title}</Link>
                <div>
                  <Badges article={item} />
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
