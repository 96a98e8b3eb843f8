import { Alert, Breadcrumb, Button, Skeleton, Space, Typography, message } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import PageHeader from '../components/PageHeader';
import { ArrowLeftOutlined, EditOutlined } from '../icons';
import { useIsStaff } from '../layout/Landing';
import { describeApiError } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import ArticleEditor from './ArticleEditor';
import ArticleFeedback from './ArticleFeedback';
import ArticleHistory from './ArticleHistory';
import { categoryName, categoryPath, useCategories } from './categories';
import CategoryPages from './CategoryPages';
import { Badges, ServerHtml } from './common';
import './i18n';
import KnowledgeHome from './KnowledgeHome';
import './knowledge.css';
import type { Article } from './types';

/** One article, in the reader's language where it is written in it. */
function ArticleView() {
  const { t, i18n } = useTranslation();
  const { articleId } = useParams();
  const staff = useIsStaff();
  const format = useDateTimeFormatter();
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { categories } = useCategories();
  // the category and those above it, each a link to the home filtered by it
  const path = categoryPath(categories ?? [], article?.category_id);

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
      {path.length ? (
        <Breadcrumb className="gd-kb-breadcrumb" data-testid="kb-breadcrumb" items={[
          { key: 'home', title: <Link to="/knowledge">{t('knowledgeCategories.home')}</Link> },
          ...path.map((category) => ({
            key: category.id,
            title: <Link to={`/knowledge?category=${category.id}`}>{categoryName(category, i18n.language)}</Link>,
          })),
        ]} />
      ) : (
        <Link to="/knowledge">
          <ArrowLeftOutlined /> {t('knowledge.back')}
        </Link>
      )}
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
            <Badges article={article} tagHref={(tag) => `/knowledge?tag=${encodeURIComponent(tag)}`} />{' '}
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

/** /knowledge: browse and search; /knowledge/:id: read; /knowledge/new and /knowledge/:id/edit: staff edit;
 * /knowledge/categories: staff arrange the category tree. */
export default function KnowledgePages() {
  return (
    <Routes>
      <Route index element={<KnowledgeHome />} />
      <Route path="new" element={<StaffOnly><ArticleEditor /></StaffOnly>} />
      <Route path="categories" element={<StaffOnly><CategoryPages /></StaffOnly>} />
      <Route path=":articleId" element={<ArticleView />} />
      <Route path=":articleId/edit" element={<StaffOnly><ArticleEditor /></StaffOnly>} />
    </Routes>
  );
}
