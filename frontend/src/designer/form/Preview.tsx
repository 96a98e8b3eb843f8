// Live preview with the portal's own renderer (TicketForm: rjsf + the rule engine), in either
// language and at desktop or phone width, and "try it": the server's verdict on the preview's data
// from POST /ticket-types/<key>/simulate.
import type { ErrorSchema } from '@rjsf/utils';
import { Alert, Button, Descriptions, Segmented, Space, Typography } from 'antd';
import { Component, memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api';
import TicketForm, { serverErrorSchema } from '../../forms/TicketForm';
import type { FieldRule } from '../../rules/logic';
import { localizeDefinition } from '../model/i18n';
import { isObject, type JsonObject } from '../model/json';
import { expandOrder } from '../model/form';

/** Above this many fields the preview shows a window of the form around the selected field (see WINDOW). */
export const WINDOW_FROM = 12;
/**
 * About what the preview pane shows at once. react-jsonschema-form renders every field of its schema
 * twice on each change of the schema (its registry carries the whole root schema), so the preview's cost
 * per keystroke grows with the fields it holds, not with the fields of the form.
 */
const WINDOW = 8;

interface Simulation {
  valid: boolean;
  errors: { path: string; message: string }[];
  priority: { level: string; steps: string[] };
  routing: { matched: { name: string } | null };
  sla: { policy: { name: string } | null };
}

class Boundary extends Component<{ children: ReactNode; fallback: (error: Error) => ReactNode; resetKey: unknown }, { error: Error | null; key: unknown }> {
  override state = { error: null as Error | null, key: undefined as unknown };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: unknown }, state: { error: Error | null; key: unknown }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }
  override render() {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children;
  }
}

interface PreviewProps {
  definition: JsonObject;
  typeKey: string;
  save: () => Promise<boolean>;
  /** The selected field: a big form's preview shows the fields around it. */
  focusKey: string | null;
}

interface View {
  schema: Record<string, unknown>;
  ui: Record<string, unknown>;
  shown: number;
  total: number;
}

/**
 * A big form (more than WINDOW_FROM fields) is previewed WINDOW fields at a time, around the selected
 * field, unless the designer asks for all: rendering hundreds of antd fields on every keystroke would
 * make typing lag. Rules still see every field.
 */
export function windowed(schema: Record<string, unknown>, ui: Record<string, unknown>, focusKey: string | null, all: boolean): View {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const order = expandOrder(ui['ui:order'] as never, Object.keys(properties));
  if (all || order.length <= WINDOW_FROM) return { schema, ui, shown: order.length, total: order.length };
  const at = Math.max(0, focusKey ? order.indexOf(focusKey) : 0);
  const start = Math.max(0, Math.min(at - WINDOW / 2, order.length - WINDOW));
  const keep = new Set(order.slice(start, start + WINDOW));
  return {
    schema: {
      ...schema,
      properties: Object.fromEntries(Object.entries(properties).filter(([k]) => keep.has(k))),
      required: Array.isArray(schema.required) ? (schema.required as string[]).filter((k) => keep.has(k)) : schema.required,
    },
    ui: { ...ui, 'ui:order': order.filter((k) => keep.has(k)) },
    shown: keep.size,
    total: order.length,
  };
}

/** Whether two views preview the same: the same field schemas and UI options (by identity), order and requirements. */
function sameView(a: View, b: View): boolean {
  if (a.shown !== b.shown || a.total !== b.total) return false;
  const same = (x: Record<string, unknown>, y: Record<string, unknown>) => {
    const keys = Object.keys(y);
    return keys.length === Object.keys(x).length && keys.every((k) => k in x && x[k] === y[k]);
  };
  const { properties: pa, required: ra, ...restA } = a.schema;
  const { properties: pb, required: rb, ...restB } = b.schema;
  const { 'ui:order': oa, ...uiA } = a.ui;
  const { 'ui:order': ob, ...uiB } = b.ui;
  return (
    same(restA, restB) &&
    same((pa ?? {}) as Record<string, unknown>, (pb ?? {}) as Record<string, unknown>) &&
    JSON.stringify(ra) === JSON.stringify(rb) &&
    JSON.stringify(oa) === JSON.stringify(ob) &&
    same(uiA, uiB)
  );
}

/** The preview's language and width switches: memoised, they stay as they are while the designer types. */
const PreviewBar = memo(function PreviewBar({ locale, width, onLocale, onWidth }: { locale: string; width: 'desktop' | 'phone'; onLocale: (locale: string) => void; onWidth: (width: 'desktop' | 'phone') => void }) {
  const { t } = useTranslation('designer');
  return (
    <div className="gd-preview-bar">
      <h2 id="gd-preview-title" className="gd-pane-title">
        {t('preview.title')}
      </h2>
      <Space wrap size="small">
        <Segmented
          size="small"
          aria-label={t('preview.language')}
          value={locale}
          onChange={(v) => onLocale(String(v))}
          options={[
            { value: 'en', label: 'English' },
            { value: 'zh-CN', label: '中文' },
          ]}
        />
        <Segmented
          size="small"
          aria-label={t('preview.width')}
          value={width}
          onChange={(v) => onWidth(v as 'desktop' | 'phone')}
          options={[
            { value: 'desktop', label: t('preview.desktop') },
            { value: 'phone', label: t('preview.phone') },
          ]}
        />
      </Space>
    </div>
  );
});

/** "Showing n of m fields" above a windowed preview, with the button that shows them all. */
const WindowNote = memo(function WindowNote({ shown, total, onShowAll }: { shown: number; total: number; onShowAll: () => void }) {
  const { t } = useTranslation('designer');
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 8 }}
      message={t('preview.window', { shown, total })}
      action={
        <Button size="small" onClick={onShowAll}>
          {t('preview.showAll')}
        </Button>
      }
    />
  );
});

function Preview({ definition, typeKey, save, focusKey }: PreviewProps) {
  const { t, i18n } = useTranslation('designer');
  const [locale, setLocale] = useState<string>(i18n.language === 'zh-CN' ? 'zh-CN' : 'en');
  const [width, setWidth] = useState<'desktop' | 'phone'>('desktop');
  const [data, setData] = useState<Record<string, unknown>>({});
  const [verdict, setVerdict] = useState<Simulation | null>(null);
  const [serverErrors, setServerErrors] = useState<ErrorSchema | undefined>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const previewI18n = useMemo(() => i18n.cloneInstance({ lng: locale }), [i18n, locale]);
  const deferred = useDeferredValue(definition);
  const form = useMemo(() => {
    const localized = localizeDefinition(deferred, locale);
    return isObject(localized.form) ? localized.form : {};
  }, [deferred, locale]);
  const [showAll, setShowAll] = useState(false);
  const showEverything = useCallback(() => setShowAll(true), []);
  const deferredFocus = useDeferredValue(focusKey);
  const previous = useRef<View | null>(null);
  const view = useMemo(() => {
    const next = windowed((isObject(form.schema) ? form.schema : {}) as Record<string, unknown>, (isObject(form.ui) ? form.ui : {}) as Record<string, unknown>, deferredFocus, showAll);
    // an edit outside the window leaves the previewed form as it is: the same objects, nothing re-renders
    return previous.current && sameView(previous.current, next) ? previous.current : next;
  }, [form, deferredFocus, showAll]);
  useEffect(() => {
    previous.current = view;
  }, [view]);
  const { schema, ui } = view;
  const fieldRules = form.field_rules;
  const rules = useMemo(() => (Array.isArray(fieldRules) ? fieldRules : []) as unknown as FieldRule[], [fieldRules]);
  const ticket = useMemo(() => ({}), []);
  // a preview that broke (an error boundary caught it) tries again when what it shows changes
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const resetKey = useMemo(() => ({}), [view, rules]);

  // The rendered form depends on these only: the designer's other state changes (saving, problems)
  // must not re-render hundreds of fields.
  const rendered = useMemo(
    () => (
          <I18nextProvider i18n={previewI18n}>
            <Boundary resetKey={resetKey} fallback={(error) => <Alert type="error" showIcon message={t('preview.broken')} description={error.message} />}>
              <TicketForm
                schema={schema}
                ui={ui}
                rules={rules}
                ticket={ticket}
                data={data}
                onChange={(next) => setData(next)}
                onSubmit={(values) => void tryIt(values)}
                serverErrors={serverErrors}
                submitLabel={previewI18n.t('preview.tryIt', { ns: 'designer' })}
                submitting={busy}
                idPrefix="preview"
                extraButtons={
                  <Button
                    onClick={() => {
                      setData({});
                      setVerdict(null);
                      setServerErrors(undefined);
                      setProblem(null);
                    }}
                  >
                    {previewI18n.t('preview.clear', { ns: 'designer' })}
                  </Button>
                }
              />
            </Boundary>
          </I18nextProvider>
    ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [previewI18n, resetKey, schema, ui, rules, ticket, data, serverErrors, busy],
  );

  const tryIt = async (values: Record<string, unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await save();
      const result = await api.post<Simulation>(`/ticket-types/${encodeURIComponent(typeKey)}/simulate`, { data: values });
      setVerdict(result);
      const fields = Object.keys((schema.properties ?? {}) as object);
      const placed = serverErrorSchema(result.errors, '', fields);
      setServerErrors(result.errors.length ? placed.errorSchema : undefined);
      if (placed.unplaced.length) setProblem(placed.unplaced.join(' '));
    } catch (error) {
      setVerdict(null);
      setServerErrors(undefined);
      setProblem(error instanceof ApiError ? (error.code === 'definition_invalid' ? t('preview.fixFirst') : error.message) : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="gd-preview" aria-labelledby="gd-preview-title">
      <PreviewBar locale={locale} width={width} onLocale={setLocale} onWidth={setWidth} />
      {view.shown < view.total && <WindowNote shown={view.shown} total={view.total} onShowAll={showEverything} />}
      <div className={`gd-preview-frame gd-preview-${width}`} data-testid="designer-preview" lang={locale}>
        {rendered}
      </div>
      <div aria-live="polite">
        {problem && <Alert type="warning" showIcon message={problem} style={{ marginTop: 8 }} />}
        {verdict && (
          <Descriptions size="small" column={1} bordered className="gd-verdict" title={verdict.valid ? t('preview.accepted') : t('preview.refused')}>
            <Descriptions.Item label={t('preview.priority')}>{verdict.priority.level}</Descriptions.Item>
            <Descriptions.Item label={t('preview.route')}>{verdict.routing.matched?.name ?? t('preview.noRoute')}</Descriptions.Item>
            <Descriptions.Item label={t('preview.sla')}>{verdict.sla.policy?.name ?? t('preview.noSla')}</Descriptions.Item>
          </Descriptions>
        )}
        {verdict && !verdict.valid && <Typography.Text type="danger">{verdict.errors.map((e) => e.message).join(' ')}</Typography.Text>}
      </div>
    </section>
  );
}

export default memo(Preview);
