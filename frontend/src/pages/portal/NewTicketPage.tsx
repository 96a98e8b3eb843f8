import type { ErrorSchema } from '@rjsf/utils';
import { Alert, App, Button, Skeleton } from 'antd';
import LazyResult from '../../components/LazyResult';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../../api';
import PageHeader from '../../components/PageHeader';
import TicketForm, { serverErrorSchema } from '../../forms/TicketForm';
import { ArrowLeftOutlined } from '../../icons';
import { loadTypeForm } from '../../tickets/typeForms';
import type { PortalForm, Ticket } from '../../types';
import { describeApiError, useErrorHandler } from '../../utils/errors';
import { newIdempotencyKey } from '../../utils/idempotency';

// Loaded after the form: the portal's first load stays within its budget (tests/browser/test_bundle.py).
const KnowledgeSuggestions = lazy(() => import('../../knowledge/Suggestions'));

/** Fill the generated form of one ticket type and file it. */
export default function NewTicketPage() {
  const { key = '' } = useParams();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const handleError = useErrorHandler();
  const [form, setForm] = useState<PortalForm | null>(null);
  const [missing, setMissing] = useState(false);
  const [data, setData] = useState<Record<string, unknown>>({});
  const [serverErrors, setServerErrors] = useState<ErrorSchema | undefined>();
  const [problem, setProblem] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const idempotencyKey = useMemo(newIdempotencyKey, [key]);
  const shownArticles = useRef<Set<number>>(new Set());

  useEffect(() => {
    let live = true;
    loadTypeForm(key).then(
      (loaded) => {
        if (!live) return;
        setForm(loaded);
        const category = params.get('category');
        const field = (loaded.form.schema.properties as Record<string, { enum?: unknown[] }> | undefined)?.category;
        if (category && field?.enum?.includes(category)) setData((current) => ({ category, ...current }));
      },
      (error) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 404) setMissing(true);
        else handleError(error);
      },
    );
    return () => {
      live = false;
    };
  }, [key, params, handleError, i18n.language]); // the form's texts are in the reader's language

  if (missing) {
    return (
      <LazyResult
        status="404"
        title={t('portal.typeMissing')}
        extra={
          <Link to="/portal">
            <Button type="primary">{t('portal.backToCatalog')}</Button>
          </Link>
        }
      />
    );
  }
  if (!form) return <Skeleton active />;

  const fields = Object.keys((form.form.schema.properties ?? {}) as object);

  const submit = async (values: Record<string, unknown>) => {
    setSubmitting(true);
    setProblem(null);
    try {
      const ticket = await api.post<Ticket>('/tickets', { type: form.key, data: values }, {
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      if (shownArticles.current.size) {
        // The ticket records which articles the requester saw while typing it (a help for the agent, not a
        // condition of filing: a failure here changes nothing).
        await api
          .post(`/tickets/${ticket.id}/knowledge`, { article_ids: [...shownArticles.current].slice(0, 20), kind: 'shown' })
          .catch(() => undefined);
      }
      void message.success(t('portal.filed', { number: ticket.number }));
      navigate(`/tickets/${ticket.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        const placed = serverErrorSchema(error.details, '/data', fields);
        setServerErrors(placed.errorSchema);
        setProblem(placed.unplaced.length ? placed.unplaced.join(' ') : t('portal.fixErrors'));
        const first = Object.keys(placed.errorSchema)[0];
        if (first) window.setTimeout(() => document.getElementById(`root_${first}`)?.focus(), 0);
      } else if (error instanceof ApiError) {
        setProblem(describeApiError(error, t));
      } else {
        handleError(error);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <>
      <Link to="/portal" className="gd-back-link">
        <ArrowLeftOutlined /> {t('portal.backToCatalog')}
      </Link>
      <PageHeader title={form.name}>
        {form.description && (
          <p className="gd-page-intro">{form.description}</p>
        )}
      </PageHeader>
      <div className="gd-kb-intake">
      <div className="gd-panel gd-form-card">
        {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
        <TicketForm
          schema={form.form.schema}
          ui={form.form.ui}
          rules={form.form.field_rules}
          ticket={form.context}
          data={data}
          onChange={(next) => {
            // A server error belongs to the value it was about: drop it once that field changes.
            if (serverErrors) {
              const kept = Object.fromEntries(
                Object.entries(serverErrors).filter(([name]) => JSON.stringify(next[name]) === JSON.stringify(data[name])),
              );
              setServerErrors(Object.keys(kept).length ? (kept as ErrorSchema) : undefined);
            }
            setData(next);
          }}
          onSubmit={(values) => void submit(values)}
          serverErrors={serverErrors}
          submitLabel={t('portal.submit')}
          submitting={submitting}
        />
      </div>
      <Suspense fallback={null}>
      <KnowledgeSuggestions
        typeKey={form.key}
        text={Object.values(data).filter((value): value is string => typeof value === 'string').join(' ')}
        onShown={(ids) => ids.forEach((id) => shownArticles.current.add(id))}
        onSolved={() => {
          void message.success(t('knowledge.deflected'));
          navigate('/portal');
        }}
      />
      </Suspense>
      </div>
    </>
  );
}
