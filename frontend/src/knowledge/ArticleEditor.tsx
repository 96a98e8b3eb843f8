import { Alert, App, Button, DatePicker, Form, type GetRef, Input, Segmented, Select, Space, Spin, Tabs, Tag,
  TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import PageHeader from '../components/PageHeader';
import UserPicker from '../components/UserPicker';
import i18next from '../i18n';
import { DeleteOutlined, PlusOutlined } from '../icons';
import type { ItemList, PortalType, Team } from '../types';
import { describeApiError } from '../utils/errors';
import { useCategories } from './categories';
import './editor.css';
import {
  categoryOptions as toCategoryOptions,
  changeLocale,
  type EditorState,
  type EditorValues,
  emptyState,
  type Kept,
  LANGUAGE_NAMES,
  missingLocale,
  missingTitles,
  ordered,
  placeErrors,
  type PlacedErrors,
  requestBody,
  stateFromArticle,
  stateFromDraft,
} from './editorForm';
import './i18n';
import en from './i18n/editor-en.json';
import zhCN from './i18n/editor-zh-CN.json';
import InsertImage from './ImageUpload';
import './knowledge.css';
import { applyRedactions, pending, type Redaction, segments } from './redact';
import type { Article, ArticleDraft, Locale } from './types';

// Compile-time parity check: both catalogs have exactly the same keys.
const zhHasEnKeys: typeof en = zhCN;
const enHasZhKeys: typeof zhCN = en;
void zhHasEnKeys;
void enHasZhKeys;
if (!i18next.exists('knowledgeEditor.write', { lng: 'en' })) {
  i18next.addResourceBundle('en', 'translation', en, true, false);
  i18next.addResourceBundle('zh-CN', 'translation', zhCN, true, false);
}

type Mode = 'write' | 'preview';

/** The staff editor of everything an article holds: its text in each language (a tab each, with a preview of the
 * server's rendering), tags, category, visibility and teams, owner, review date and related ticket types. */
export default function ArticleEditor() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
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
  // The languages shown (tabs), the one open, and what a save sends back unchanged.
  const [present, setPresent] = useState<Locale[]>([fallbackLocale]);
  const [active, setActive] = useState<Locale>(fallbackLocale);
  const [authored, setAuthored] = useState<Locale>(fallbackLocale);
  const [kept, setKept] = useState<Kept>({ source_ticket_id: null });
  const [textErrors, setTextErrors] = useState<PlacedErrors['texts']>({});
  const [mode, setMode] = useState<Mode>('write');
  const [preview, setPreview] = useState<{ html: string | null; busy: boolean; error: string | null }>(
    { html: null, busy: false, error: null });
  // the article this editor holds: set before the URL changes to /knowledge/:id/edit after a first save, so that
  // change does not load it again over what is being typed
  const loadedId = useRef<string | null>(null);

  const { categories } = useCategories(); // a list that fails leaves the picker empty (the chosen one still shows)
  const [teams, setTeams] = useState<Team[]>([]);
  const [types, setTypes] = useState<PortalType[]>([]);
  const visibility = Form.useWatch('visibility', form);
  const chosenTypes: string[] | undefined = Form.useWatch('ticket_types', form);

  const problem = useCallback(
    (err: unknown) => (err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected')),
    [t],
  );

  const show = useCallback((state: EditorState) => {
    form.setFieldsValue(state.values);
    setPresent(state.present);
    setActive(state.values.locale);
    setAuthored(state.values.locale);
    setKept(state.kept);
    setTextErrors({});
  }, [form]);

  useEffect(() => {
    // lists for the pickers; a list that fails leaves its picker empty (what is chosen still shows)
    api.get<ItemList<Team>>('/teams', { limit: 200 }).then((page) => setTeams(page.items), () => undefined);
    api.get<ItemList<PortalType>>('/portal/ticket-types').then((page) => setTypes(page.items), () => undefined);
  }, []);

  useEffect(() => {
    if (articleId && loadedId.current === articleId) return;
    if (!articleId && fromTicket) {
      api
        .post<ArticleDraft>(`/tickets/${fromTicket}/article-draft`, {})
        .then((built) => {
          setDraft(built);
          show(stateFromDraft(built));
        })
        .catch((err) => setError(problem(err)));
      return;
    }
    if (!articleId) {
      show(emptyState(fallbackLocale));
      return;
    }
    loadedId.current = articleId;
    api.get<Article>(`/knowledge/articles/${articleId}`).then((loaded) => {
      setArticle(loaded);
      show(stateFromArticle(loaded));
    }, (err) => setError(problem(err)));
  }, [articleId, fallbackLocale, fromTicket, problem, show]);

  // Errors of the open language's title and body (the client's, or the server's) on its fields.
  useEffect(() => {
    const errors = textErrors[active];
    if (!errors) return;
    form.setFields([
      ...(errors.title ? [{ name: ['texts', active, 'title'] as ['texts', Locale, 'title'], errors: errors.title }] : []),
      ...(errors.body ? [{ name: ['texts', active, 'body'] as ['texts', Locale, 'body'], errors: errors.body }] : []),
    ]);
  }, [active, textErrors, form]);

  const all = () => form.getFieldsValue(true) as EditorValues;

  /** The titles every shown language needs: said on each, and the first such language opened. */
  const checkTitles = (values: EditorValues): boolean => {
    const missing = missingTitles(values, present);
    if (!missing.length) return true;
    setTextErrors(Object.fromEntries(missing.map((locale) => [locale, {
      title: [t('knowledgeEditor.titleNeeded', { language: LANGUAGE_NAMES[locale] })] }])));
    setActive(missing.includes(active) ? active : missing[0]);
    setMode('write');
    return false;
  };

  /** Save (create or replace) what the form holds; on refusal, the API's messages go on their fields. */
  const submit = async (): Promise<Article | null> => {
    const values = all();
    if (!checkTitles(values)) return null;
    try {
      await form.validateFields();
    } catch {
      return null;
    }
    const body = requestBody(values, present, kept);
    setError(null);
    setTextErrors({});
    try {
      const headers = article?.revision ? { 'If-Match': `"${article.revision}"` } : undefined;
      return article
        ? await api.put<Article>(`/knowledge/articles/${article.id}`, body, { headers })
        : await api.post<Article>('/knowledge/articles', body);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setError(t('knowledge.conflict'));
      else if (err instanceof ApiError && err.details.length) {
        const placed = placeErrors(err.details);
        setTextErrors(placed.texts);
        const withErrors = (Object.keys(placed.texts) as Locale[]).filter((locale) => present.includes(locale));
        if (withErrors.length && !withErrors.includes(active)) setActive(withErrors[0]);
        form.setFields(Object.entries(placed.fields).map(([name, errors]) => ({ name: name as keyof EditorValues, errors })));
        const firstField = Object.keys(placed.fields)[0] as keyof EditorValues | undefined;
        if (firstField && !withErrors.length) form.scrollToField(firstField, { block: 'center' });
        setError(placed.other.length ? `${describeApiError(err, t)} ${placed.other.join('; ')}` : describeApiError(err, t));
      } else setError(problem(err));
      return null;
    }
  };

  const save = async (publish: boolean) => {
    setSaving(true);
    try {
      let saved = await submit();
      if (!saved) return;
      if (publish) {
        saved = await api.post<Article>(`/knowledge/articles/${saved.id}/publish`, undefined, {
          headers: { 'If-Match': `"${saved.revision}"` },
        });
      }
      void message.success(publish ? t('knowledge.published') : t('knowledge.saved'));
      navigate(`/knowledge/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setError(t('knowledge.conflict'));
      else setError(problem(err));
    } finally {
      setSaving(false);
    }
  };

  /** An image belongs to its article: a new one is saved as a draft first (it needs a title), and the address
   * becomes its editor's, so a reload goes on editing it. */
  const ensureSaved = async (): Promise<number | null> => {
    if (article) return article.id;
    const values = all();
    if (!(values.texts[values.locale]?.title ?? '').trim()) {
      setTextErrors({ [values.locale]: { title: [t('knowledgeEditor.titleNeeded',
        { language: LANGUAGE_NAMES[values.locale] })] } });
      setActive(values.locale);
      setMode('write');
      void message.warning(t('knowledgeEditor.titleFirst'), 6);
      return null;
    }
    setSaving(true);
    try {
      const saved = await submit();
      if (!saved) return null;
      setArticle(saved);
      setKept({ source_ticket_id: saved.source_ticket_id ?? null });
      form.setFieldValue('owner_id', saved.owner_id ?? null);  // the author, now that it is saved
      loadedId.current = String(saved.id);
      navigate(`/knowledge/${saved.id}/edit`, { replace: true });
      void message.info(t('knowledgeEditor.savedDraft'));
      return saved.id;
    } finally {
      setSaving(false);
    }
  };

  const onLocaleChange = (next: Locale) => {
    const moved = changeLocale({ present, texts: all().texts ?? {} }, authored, next);
    setPresent(moved.present);
    form.setFieldValue('texts', moved.texts);
    setAuthored(next);
    setActive(next);
  };

  const addTranslation = () => {
    const locale = missingLocale(present);
    if (!locale) return;
    form.setFieldValue(['texts', locale], all().texts?.[locale] ?? { title: '', body: '' });
    setPresent((shown) => ordered([...shown, locale]));
    setActive(locale);
  };

  const removeTranslation = (locale: Locale) => {
    const language = LANGUAGE_NAMES[locale];
    modal.confirm({
      title: t('knowledgeEditor.removeTitle', { language }),
      content: t('knowledgeEditor.removeText'),
      okText: t('knowledgeEditor.removeOk'),
      okButtonProps: { danger: true },
      cancelText: t('knowledgeEditor.cancel'),
      onOk: () => {
        setPresent((shown) => shown.filter((item) => item !== locale));
        setTextErrors(({ [locale]: _gone, ...rest }) => rest);
        setActive(authored);
      },
    });
  };

  // The preview of the open language's body, rendered by the server as readers will get it.
  useEffect(() => {
    if (mode !== 'preview') return undefined;
    const markdown: string = form.getFieldValue(['texts', active, 'body']) ?? '';
    const controller = new AbortController();
    setPreview({ html: null, busy: true, error: null });
    api
      .post<{ html: string }>('/knowledge/preview', { body: markdown, article_id: article?.id ?? null },
        { signal: controller.signal })
      .then((shown) => setPreview({ html: shown.html, busy: false, error: null }))
      .catch((err) => {
        if (!(err instanceof DOMException && err.name === 'AbortError')) {
          setPreview({ html: null, busy: false, error: problem(err) });
        }
      });
    return () => controller.abort();
  }, [mode, active, article?.id, form, problem]);

  const categoryOptions = useMemo(() => toCategoryOptions(categories ?? [], i18n.language), [categories, i18n.language]);
  const typeOptions = useMemo(() => {
    const named = types.map((type) => ({ value: type.key, label: type.name }));
    const known = new Set(named.map((option) => option.value));
    return [...named, ...(chosenTypes ?? []).filter((key) => !known.has(key)).map((key) => ({ value: key, label: key }))];
  }, [types, chosenTypes]);
  const addable = missingLocale(present);

  return (
    <div className="gd-kb-editor">
      <PageHeader title={articleId ? t('knowledge.editorTitleEdit') : t('knowledge.editorTitleNew')} />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="kb-editor-error" />}
      {draft && <RedactionPanel draft={draft} form={form} />}
      <Form form={form} layout="vertical" requiredMark onValuesChange={(changed: Partial<EditorValues>) => {
        // a language's text changed: its earlier messages go (the field's own rules check it again)
        const edited = Object.keys(changed.texts ?? {}) as Locale[];
        if (edited.some((locale) => textErrors[locale])) {
          setTextErrors((errors) => Object.fromEntries(Object.entries(errors).filter(([locale]) => !edited.includes(locale as Locale))));
        }
      }}>
        <Form.Item name="locale" label={t('knowledge.language')} extra={t('knowledgeEditor.authoredHelp')}>
          <Select
            onChange={onLocaleChange}
            options={(Object.keys(LANGUAGE_NAMES) as Locale[]).map((value) => ({ value, label: LANGUAGE_NAMES[value] }))}
          />
        </Form.Item>
        <Tabs
          className="gd-kb-langs"
          activeKey={active}
          onChange={(key) => setActive(key as Locale)}
          items={present.map((locale) => ({
            key: locale,
            label: (
              <span data-testid={`kb-lang-${locale}`} className={textErrors[locale] ? 'gd-kb-lang-error' : undefined}>
                {LANGUAGE_NAMES[locale]}
                {locale === authored && <Tag className="gd-kb-original">{t('knowledgeEditor.original')}</Tag>}
              </span>
            ),
          }))}
          tabBarExtraContent={addable ? (
            <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={addTranslation} data-testid="kb-add-translation">
              {t('knowledgeEditor.addTranslation', { language: LANGUAGE_NAMES[addable] })}
            </Button>
          ) : undefined}
        />
        <div key={active} lang={active} className="gd-kb-lang-pane">
          <Form.Item
            name={['texts', active, 'title']}
            label={t('knowledge.articleTitle')}
            rules={[{ required: true, whitespace: true,
              message: t('knowledgeEditor.titleNeeded', { language: LANGUAGE_NAMES[active] }) }]}
          >
            <Input maxLength={300} />
          </Form.Item>
          <div className="gd-kb-body-wrap">
          <div className="gd-kb-body-mode">
            <Segmented<Mode>
              size="small"
              value={mode}
              onChange={setMode}
              data-testid="kb-body-mode"
              options={[
                { value: 'write', label: t('knowledgeEditor.write') },
                { value: 'preview', label: t('knowledgeEditor.preview') },
              ]}
            />
          </div>
          <Form.Item
            name={['texts', active, 'body']}
            label={t('knowledge.body')}
            className={mode === 'preview' ? 'gd-kb-body-field gd-kb-previewing' : 'gd-kb-body-field'}
            extra={
              <InsertImage articleId={article?.id ?? null} textArea={bodyArea} ensureArticle={ensureSaved}
                revision={article?.revision}
                getBody={() => form.getFieldValue(['texts', active, 'body']) ?? ''}
                setBody={(text) => form.setFieldValue(['texts', active, 'body'], text)} />
            }
          >
            <Input.TextArea ref={bodyArea} autoSize={{ minRows: 8, maxRows: 24 }} />
          </Form.Item>
          {mode === 'preview' && (
            <section className="gd-kb-preview gd-kb-body" data-testid="kb-preview" aria-live="polite"
              aria-label={t('knowledgeEditor.previewLabel', { language: LANGUAGE_NAMES[active] })}>
              {preview.busy ? <Spin /> : preview.error ? <Alert type="warning" showIcon message={preview.error} />
                : preview.html ? (
                  // Safe to insert: rendered from Markdown and sanitised with nh3 on the server (render.py), as an
                  // article body is when saved.
                  <div dangerouslySetInnerHTML={{ __html: preview.html }} />
                ) : <Typography.Text type="secondary">{t('knowledgeEditor.previewEmpty')}</Typography.Text>}
            </section>
          )}
          </div>
          {active !== authored && (
            <Button type="link" danger icon={<DeleteOutlined />} className="gd-kb-remove-lang"
              onClick={() => removeTranslation(active)} data-testid={`kb-remove-${active}`}>
              {t('knowledgeEditor.removeTranslation', { language: LANGUAGE_NAMES[active] })}
            </Button>
          )}
        </div>
        <Typography.Title level={2} className="gd-kb-props-title">{t('knowledgeEditor.properties')}</Typography.Title>
        <Form.Item name="tags" label={t('knowledge.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} />
        </Form.Item>
        <Form.Item name="category_id" label={t('knowledgeEditor.category')}>
          <TreeSelect
            allowClear
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandAll
            placeholder={t('knowledgeEditor.noCategory')}
            treeData={categoryOptions}
          />
        </Form.Item>
        <Form.Item name="visibility" label={t('knowledge.visibility')}>
          <Select
            options={[
              { value: 'everyone', label: t('knowledge.visibilityEveryone') },
              { value: 'staff', label: t('knowledge.visibilityStaff') },
              { value: 'teams', label: t('knowledge.visibilityTeams') },
            ]}
          />
        </Form.Item>
        {visibility === 'teams' && (
          <Form.Item name="team_ids" label={t('knowledgeEditor.teams')} extra={t('knowledgeEditor.teamsHelp')}
            rules={[{ required: true, type: 'array', min: 1, message: t('knowledgeEditor.teamsNeeded') }]}>
            <Select mode="multiple" showSearch optionFilterProp="label"
              options={teams.map((team) => ({ value: team.id, label: team.name }))} />
          </Form.Item>
        )}
        <Form.Item name="owner_id" label={t('knowledgeEditor.owner')} extra={t('knowledgeEditor.ownerHelp')}>
          <UserPicker source="people" knownUsers={article?.owner ? [article.owner] : undefined} />
        </Form.Item>
        <Form.Item name="review_by" label={t('knowledgeEditor.reviewBy')} extra={t('knowledgeEditor.reviewByHelp')}
          getValueProps={(value: string | null) => ({ value: value ? dayjs(value) : null })}
          normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : null)}>
          <DatePicker placeholder={t('knowledgeEditor.datePlaceholder')} />
        </Form.Item>
        <Form.Item name="ticket_types" label={t('knowledgeEditor.ticketTypes')} extra={t('knowledgeEditor.ticketTypesHelp')}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={typeOptions} />
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
  // the draft's spans are in its own language's text (watched even while another language's tab is open)
  const body: string = Form.useWatch(['texts', draft.locale, 'body'], { form, preserve: true }) ?? '';
  const title: string = Form.useWatch(['texts', draft.locale, 'title'], { form, preserve: true }) ?? '';
  const left = pending(body, draft.redactions) + pending(title, draft.title_redactions);
  const redact = () => {
    form.setFieldValue(['texts', draft.locale, 'body'], applyRedactions(body, draft.redactions));
    form.setFieldValue(['texts', draft.locale, 'title'], applyRedactions(title, draft.title_redactions));
  };
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
