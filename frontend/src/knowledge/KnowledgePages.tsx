import { Alert, Button, Empty, Input, Skeleton, Space, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import PageHeader from '../components/PageHeader';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined } from '../icons';
import { useIsStaff } from '../layout/Landing';
import type { Page } from '../types';
import { describeApiError } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import ArticleFeedback from './ArticleFeedback';
import ArticleEditor from './ArticleEditor';
import ArticleHistory from './ArticleHistory';
import './i18n';
import './knowledge.css';
import type { Article, SearchResult } from './types';

// HTML from the server is safe to insert: article bodies are rendered from Markdown and sanitised with nh3 on
// the server (runtime/knowledge/render.py); titles and snippets there are escaped text with <mark> only.
function ServerHtml({ html, className, as = 'div' }: { html: string; className?: string; as?: 'div' | 'span' | 'p' }) {
  const Element = as;
  return <Element className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

function Badges({ article }: { article: Article }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {article.status === 'draft' && <Tag color="orange">{t('knowledge.draft')}</Tag>}
      {article.visibility === 'staff' && <Tag color="purple">{t('knowledge.staffOnly')}</Tag>}
      {article.visibility === 'teams' && <Tag color="blue">{t('knowledge.teamsOnly')}</Tag>}
      {article.tags.map((tag) => (
        <Tag key={tag}>{tag}</Tag>
      ))}
    </Space>
  );
}

/** Browse and search: the latest articles, or ranked results with highlighted snippets. */
function KnowledgeHome() {
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

/** One article, in the reader's language where it is written in it. */
function ArticleView() {
  const { t } = useTranslation();
  const { articleId } = useParams();
  const staff = useIsStaff();
  const format = useDateTimeFormatter();
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [publishing, setPublishing] = useState(false);

  useEffect(() => {
    api
      .get<Article>(`/knowledge/articles/${articleId}`)
      .then(setArticle)
      .catch((err) =>
        setError(err instanceof ApiError && err.status === 404 ? t('knowledge.notFound') : t('errors.unexpected')),
      );
  }, [articleId, t]);

  const publish = async () => {
    if (!article) return;
    setPublishing(true);
    try {
      setArticle(await api.post<Article>(`/knowledge/articles/${article.id}/publish`, undefined, {
        headers: { 'If-Match': `"${article.revision}"` },
      }));
      void message.success(t('knowledge.published'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setError(t('knowledge.conflict'));
      else setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected'));
    } finally {
      setPublishing(false);
    }
  };

  return (
    <>
      <Link to="/knowledge">
        <ArrowLeftOutlined /> {t('knowledge.back')}
      </Link>
      {error && <Alert type="warning" showIcon message={error} style={{ marginTop: 12 }} />}
      {!article && !error && <Skeleton active />}
      {article && (
        <article className="gd-kb-article" lang={article.shown_locale}>
          <PageHeader
            title={article.title}
            extra={
              staff ? (
                <Space wrap>
                  {article.status === 'draft' && (
                    <Button type="primary" onClick={() => void publish()} loading={publishing}>
                      {t('knowledge.publish')}
                    </Button>
                  )}
                  <Link to={`/knowledge/${article.id}/edit`}>
                    <Button icon={<EditOutlined />}>{t('knowledge.edit')}</Button>
                  </Link>
                  <ArticleHistory article={article} onRestored={setArticle} />
                </Space>
              ) : undefined
            }
          />
          <div className="gd-kb-meta">
            <Badges article={article} />{' '}
            <Typography.Text type="secondary">{t('knowledge.updated', { when: format(article.updated_at) })}</Typography.Text>
          </div>
          {article.source_ticket && (
            <p className="gd-kb-source" data-testid="article-source">
              {t('knowledge.sourceTicket')}{' '}
              <Link to={`/tickets/${article.source_ticket.id}`}>
                {article.source_ticket.number} {article.source_ticket.title}
              </Link>
            </p>
          )}
          <ServerHtml html={article.body_html ?? ''} className="gd-kb-body" />
          <ArticleFeedback key={`${article.id}-${article.status}`} article={article} />
        </article>
      )}
    </>
  );
}

function StaffOnly({ children }: { children: JSX.Element }) {
  const { t } = useTranslation();
  return useIsStaff() ? children : <Alert type="warning" showIcon message={t('knowledge.staffOnlyPage')} />;
}

/** /knowledge: browse and search; /knowledge/:id: read; /knowledge/new and /knowledge/:id/edit: staff edit. */
export default function KnowledgePages() {
  return (
    <Routes>
      <Route index element={<KnowledgeHome />} />
      <Route path="new" element={<StaffOnly><ArticleEditor /></StaffOnly>} />
      <Route path=":articleId" element={<ArticleView />} />
      <Route path=":articleId/edit" element={<StaffOnly><ArticleEditor /></StaffOnly>} />
    </Routes>
  );
}
