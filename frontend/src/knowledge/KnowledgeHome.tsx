import { Alert, Button, Empty, Input, Skeleton, Space, Tag, Tree, TreeSelect, Typography } from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import PageHeader from '../components/PageHeader';
import { CloseOutlined, PlusOutlined } from '../icons';
import { useIsStaff } from '../layout/Landing';
import type { Page } from '../types';
import { describeApiError } from '../utils/errors';
import { categoryName, categoryTree, useCategories } from './categories';
import './upkeepI18n';
import { Badges, ServerHtml } from './common';
import './i18n';
import './knowledge.css';
import type { Article, SearchResult } from './types';

/** A filter in force, with a button that removes it. */
function FilterChip({ color, testId, clearLabel, onClear, children }: {
  color: string; testId: string; clearLabel: string; onClear: () => void; children: ReactNode;
}) {
  return (
    <Tag color={color} className="gd-kb-filter">
      <span data-testid={testId}>{children}</span>
      <button type="button" className="gd-kb-filter-clear" aria-label={clearLabel} title={clearLabel} onClick={onClear}>
        <CloseOutlined />
      </button>
    </Tag>
  );
}

/** Browse and search: the latest articles, or ranked results with highlighted snippets; both narrowed to a
 * category (with the categories under it) and a tag, kept in the address (?category=ID&tag=…). */
export default function KnowledgeHome() {
  const { t, i18n } = useTranslation();
  const staff = useIsStaff();
  const [params, setParams] = useSearchParams();
  const categoryId = Number(params.get('category')) || null;
  const tag = params.get('tag') || null;
  const reviewDue = staff && params.get('review') === 'due';
  const { categories } = useCategories();
  const [query, setQuery] = useState('');
  const [latest, setLatest] = useState<Article[] | null>(null);
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const tree = useMemo(() => categoryTree(categories ?? [], i18n.language), [categories, i18n.language]);
  const category = categories?.find((c) => c.id === categoryId) ?? null;
  const filters = useMemo(
    () => ({ ...(categoryId ? { category_id: categoryId } : {}), ...(tag ? { tag } : {}),
      ...(reviewDue ? { review_due: true } : {}) }),
    [categoryId, tag, reviewDue],
  );
  const filtered = categoryId !== null || tag !== null || reviewDue;

  useEffect(() => {
    const report = (err: unknown) => setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected'));
    setError(null);
    if (query.trim()) {
      api
        .get<{ items: SearchResult[] }>('/knowledge/search', { q: query, limit: 20, ...filters })
        .then((found) => setResults(found.items))
        .catch(report);
      return;
    }
    setResults(null);
    api
      .get<Page<Article>>('/knowledge/articles', { limit: 50, ...filters })
      .then((page) => setLatest(page.items))
      .catch(report);
  }, [query, filters, t]);

  /** The address with one filter changed (null: removed), the other kept. */
  const withFilter = (key: 'category' | 'tag' | 'review', value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    return next;
  };
  const tagHref = (name: string) => `/knowledge?${withFilter('tag', name).toString()}`;
  const chooseCategory = (value: string | null) => setParams(withFilter('category', value));

  return (
    <>
      <PageHeader
        title={t('knowledge.title')}
        extra={
          staff ? (
            <Space wrap>
              <Link to={`/knowledge?${withFilter('review', 'due').toString()}`} data-testid="kb-review-due">
                <Button>{t('knowledgeUpkeep.reviewDueFilter')}</Button>
              </Link>
              <Link to="/knowledge/categories">
                <Button>{t('knowledgeCategories.manage')}</Button>
              </Link>
              <Link to="/knowledge/new">
                <Button type="primary" icon={<PlusOutlined />}>
                  {t('knowledge.newArticle')}
                </Button>
              </Link>
            </Space>
          ) : undefined
        }
      />
      <Input.Search
        className="gd-kb-search"
        aria-label={t('knowledge.searchLabel')}
        placeholder={t('knowledge.searchPlaceholder')}
        allowClear
        enterButton
        onSearch={setQuery}
        data-testid="kb-search"
      />
      <div className={tree.length ? 'gd-kb-browse' : undefined}>
        {tree.length > 0 && (
          <>
            <nav className="gd-kb-cat-side" aria-label={t('knowledgeCategories.filterCategory')}>
              <Button type={categoryId === null ? 'link' : 'text'} className="gd-kb-cat-all" onClick={() => chooseCategory(null)}
                aria-pressed={categoryId === null}>
                {t('knowledgeCategories.allCategories')}
              </Button>
              <Tree
                data-testid="kb-category-tree"
                treeData={tree}
                defaultExpandAll
                blockNode
                selectedKeys={categoryId ? [String(categoryId)] : []}
                onSelect={(keys) => chooseCategory(keys.length ? String(keys[0]) : null)}
              />
            </nav>
            <TreeSelect
              className="gd-kb-cat-select"
              data-testid="kb-category-select"
              aria-label={t('knowledgeCategories.filterCategory')}
              treeData={tree}
              treeDefaultExpandAll
              allowClear
              showSearch
              treeNodeFilterProp="title"
              placeholder={t('knowledgeCategories.allCategories')}
              value={categoryId ? String(categoryId) : undefined}
              onChange={(value?: string) => chooseCategory(value ?? null)}
            />
          </>
        )}
        <div className="gd-kb-browse-main">
          {filtered && (
            <div className="gd-kb-filters" data-testid="kb-filters">
              <Typography.Text type="secondary">{t('knowledgeCategories.filteredBy')}</Typography.Text>
              {category && (
                <FilterChip color="blue" testId="kb-filter-category" onClear={() => chooseCategory(null)}
                  clearLabel={t('knowledgeCategories.clearFilter', { what: categoryName(category, i18n.language) })}>
                  {t('knowledgeCategories.categoryChip', { name: categoryName(category, i18n.language) })}
                </FilterChip>
              )}
              {tag && (
                <FilterChip color="geekblue" testId="kb-filter-tag" onClear={() => setParams(withFilter('tag', null))}
                  clearLabel={t('knowledgeCategories.clearFilter', { what: tag })}>
                  {t('knowledgeCategories.tagChip', { tag })}
                </FilterChip>
              )}
              {reviewDue && (
                <FilterChip color="gold" testId="kb-filter-review" onClear={() => setParams(withFilter('review', null))}
                  clearLabel={t('knowledgeCategories.clearFilter', { what: t('knowledgeUpkeep.reviewDueFilter') })}>
                  {t('knowledgeUpkeep.reviewDueFilter')}
                </FilterChip>
              )}
            </div>
          )}
          {error && <Alert type="warning" showIcon message={error} style={{ marginBottom: 12 }} />}
          {results ? (
            <section aria-label={t('knowledge.results')}>
              {results.length === 0 ? (
                <Empty description={filtered ? t('knowledgeCategories.noneInFilter') : t('knowledge.noResults')} />
              ) : (
                <ul className="gd-kb-list" data-testid="kb-results">
                  {results.map((item) => (
                    <li key={item.id} className="gd-kb-item">
                      <Link to={`/knowledge/${item.id}`}>
                        <ServerHtml as="span" html={item.title_html} />
                      </Link>
                      <ServerHtml as="p" className="gd-kb-snippet" html={item.snippet_html} />
                      <Badges article={item} tagHref={tagHref} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ) : latest === null ? (
            <Skeleton active />
          ) : latest.length === 0 ? (
            <Empty description={filtered ? t('knowledgeCategories.noneInFilter') : t('knowledge.empty')} />
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
                      <Badges article={item} tagHref={tagHref} />
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      </div>
    </>
  );
}
