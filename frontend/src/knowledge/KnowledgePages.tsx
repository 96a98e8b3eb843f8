import { Alert, Breadcrumb, Button, Form, type GetRef, Input, Select, Skeleton, Space, Typography, message } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import PageHeader from '../components/PageHeader';
import { ArrowLeftOutlined, EditOutlined } from '../icons';
import { useIsStaff } from '../layout/Landing';
import { describeApiError } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import ArticleFeedback from './ArticleFeedback';
import ArticleHistory from './ArticleHistory';
import { categoryName, categoryPath, useCategories } from './categories';
import CategoryPages from './CategoryPages';
import { Badges, ServerHtml } from './common';
import './i18n';
import InsertImage from './ImageUpload';
import KnowledgeHome from './KnowledgeHome';
import './knowledge.css';
import { applyRedactions, pending, type Redaction, segments } from './redact';
import type { Article, ArticleDraft, Locale } from './types';

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

interface EditorValues {
  locale: Locale;
  title: string;
  body: string;
  tags: string[];
  visibility: 'everyone' | 'staff';
}

/** A minimal staff editor: one language's title and Markdown, tags, visibility; save, or save and publish. */
function ArticleEditor() {
  const { t, i18n } = useTranslation();
  const { articleId } = useParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<EditorValues>();
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [params] = useSearchParams();
  const fromTicket = !articleId ? Number(params.get('from_ticket')) || null : null;
  const [draft, setDraft] = useState<ArticleDraft | null>(null);
  const fallbackLocale: Locale = i18n.language.startsWith('zh') ? 'zh-CN' : 'en';
  const bodyArea = useRef<GetRef<typeof Input.TextArea>>(null);

  useEffect(() => {
    if (!articleId && fromTicket) {
      api
        .post<ArticleDraft>(`/tickets/${fromTicket}/article-draft`, {})
        .then((built) => {
          setDraft(built);
          form.setFieldsValue({ locale: built.locale, title: built.title, body: built.body, tags: built.tags, visibility: 'everyone' });
        })
        .catch((err) => setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected')));
      return;
    }
    if (!articleId) {
      form.setFieldsValue({ locale: fallbackLocale, title: '', body: '', tags: [], visibility: 'everyone' });
      return;
    }
    api.get<Article>(`/knowledge/articles/${articleId}`).then((loaded) => {
      setArticle(loaded);
      const text = loaded.texts?.[loaded.locale];
      form.setFieldsValue({
        locale: loaded.locale,
        title: text?.title ?? loaded.title,
        body: text?.body ?? '',
        tags: loaded.tags,
        visibility: loaded.visibility === 'staff' ? 'staff' : 'everyone',
      });
    });
  }, [articleId, form, fallbackLocale, fromTicket, t]);

  const save = async (publish: boolean) => {
    const values = await form.validateFields();
    const otherTexts = Object.fromEntries(
      Object.entries(article?.texts ?? {})
        .filter(([locale]) => locale !== values.locale)
        .map(([locale, text]) => [locale, { title: text.title, body: text.body }]),
    );
    // what this editor does not show is sent back as it was (a save replaces the whole article)
    const kept = article
      ? { ticket_types: article.ticket_types ?? [], category_id: article.category_id ?? null, owner_id: article.owner_id ?? null,
          review_by: article.review_by ?? null, source_ticket_id: article.source_ticket_id ?? null }
      : draft
        ? { ticket_types: draft.ticket_types, source_ticket_id: draft.source_ticket_id }
        : {};
    const body = {
      ...kept,
      locale: values.locale,
      texts: { ...otherTexts, [values.locale]: { title: values.title, body: values.body ?? '' } },
      tags: values.tags ?? [],
      visibility: values.visibility,
    };
    setSaving(true);
    setError(null);
    try {
      const headers = article?.revision ? { 'If-Match': `"${article.revision}"` } : undefined;
      let saved = article
        ? await api.put<Article>(`/knowledge/articles/${article.id}`, body, { headers })
        : await api.post<Article>('/knowledge/articles', body);
      if (publish) {
        saved = await api.post<Article>(`/knowledge/articles/${saved.id}/publish`, undefined, {
          headers: { 'If-Match': `"${saved.revision}"` },
        });
      }
      void message.success(publish ? t('knowledge.published') : t('knowledge.saved'));
      navigate(`/knowledge/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setError(t('knowledge.conflict'));
      else setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="gd-kb-editor">
      <PageHeader title={articleId ? t('knowledge.editorTitleEdit') : t('knowledge.editorTitleNew')} />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {draft && <RedactionPanel draft={draft} form={form} />}
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="locale" label={t('knowledge.language')}>
          <Select
            options={[
              { value: 'en', label: 'English' },
              { value: 'zh-CN', label: '简体中文' },
            ]}
          />
        </Form.Item>
        <Form.Item name="title" label={t('knowledge.articleTitle')} rules={[{ required: true, message: t('knowledge.required') }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('knowledge.body')}
          extra={<InsertImage articleId={article?.id ?? null} textArea={bodyArea}
            getBody={() => form.getFieldValue('body') ?? ''} setBody={(body) => form.setFieldsValue({ body })} />}
        >
          <Input.TextArea ref={bodyArea} autoSize={{ minRows: 8, maxRows: 24 }} />
        </Form.Item>
        <Form.Item name="tags" label={t('knowledge.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} />
        </Form.Item>
        <Form.Item name="visibility" label={t('knowledge.visibility')}>
          <Select
            options={[
              { value: 'everyone', label: t('knowledge.visibilityEveryone') },
              { value: 'staff', label: t('knowledge.visibilityStaff') },
            ]}
          />
        </Form.Item>
        <Space wrap>
          <Button onClick={() => void save(false)} loading={saving}>
            {t('knowledge.save')}
          </Button>
          <Button type="primary" onClick={() => void save(true)} loading={saving}>
            {t('knowledge.saveAndPublish')}
          </Button>
        </Space>
      </Form>
    </div>
  );
}

const KIND_COLORS: Record<Redaction['kind'], string> = { email: 'red', phone: 'volcano', name: 'orange', personal: 'magenta' };

/** A ticket's draft: where it comes from, the personal data still in it (highlighted), and "Redact" for all of it. */
function RedactionPanel({ draft, form }: { draft: ArticleDraft; form: ReturnType<typeof Form.useForm<EditorValues>>[0] }) {
  const { t } = useTranslation();
  const body: string = Form.useWatch('body', form) ?? '';
  const title: string = Form.useWatch('title', form) ?? '';
  const left = pending(body, draft.redactions) + pending(title, draft.title_redactions);
  const redact = () =>
    form.setFieldsValue({
      body: applyRedactions(body, draft.redactions),
      title: applyRedactions(title, draft.title_redactions),
    });
  return (
    <section className="gd-kb-redact" aria-label={t('knowledge.redactTitle')} data-testid="redaction-panel">
      <p className="gd-kb-source">
        {t('knowledge.fromTicket')}{' '}
        <Link to={`/tickets/${draft.source_ticket.id}`}>
          {draft.source_ticket.number} {draft.source_ticket.title}
        </Link>
      </p>
      {left === 0 ? (
        <Alert type="success" showIcon message={t('knowledge.redactDone')} data-testid="redaction-done" />
      ) : (
        <Alert
          type="warning"
          showIcon
          message={t('knowledge.redactFound', { count: left })}
          description={
            <>
              <pre className="gd-kb-redact-preview" data-testid="redaction-preview">
                {segments(title, draft.title_redactions).map((piece, i) => (
                  <RedactedPiece key={`t${i}`} text={piece.text} redaction={piece.redaction} />
                ))}
                {'\n\n'}
                {segments(body, draft.redactions).map((piece, i) => (
                  <RedactedPiece key={`b${i}`} text={piece.text} redaction={piece.redaction} />
                ))}
              </pre>
              <Space wrap>
                <Button danger onClick={redact}>
                  {t('knowledge.redact')}
                </Button>
                <Typography.Text type="secondary">{t('knowledge.redactHelp')}</Typography.Text>
              </Space>
            </>
          }
        />
      )}
    </section>
  );
}

function RedactedPiece({ text, redaction }: { text: string; redaction?: Redaction }) {
  const { t } = useTranslation();
  if (!redaction) return <>{text}</>;
  const kind = t(`knowledge.redactKind.${redaction.kind}`);
  return (
    <mark className={`gd-kb-pii gd-kb-pii-${redaction.kind}`} title={kind} data-kind={redaction.kind}
      style={{ borderBottomColor: KIND_COLORS[redaction.kind] }}>
      {text}
    </mark>
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
