// One template in a drawer: what installing it would create and what exists already (the server's plan), and each
// ticket type's form and status graph, read-only, drawn by the portal's form renderer and the designer's graph.
import { Alert, Button, Drawer, Segmented, Skeleton, Tabs, Tag, Typography } from 'antd';
import { Component, lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './templatesI18n';
import { ApiError, api } from '../../api';
import TicketForm from '../../forms/TicketForm';
import { useIsDesktop } from '../../layout/useMediaQuery';
import type { FieldRule } from '../../rules/logic';
import { describeApiError } from '../../utils/errors';
import { PART_KINDS, type PartKind, type TemplateDetails } from './templates';

// The designer's graph component, read-only: loaded with the first graph shown (it brings React Flow and ELK).
const WorkflowGraph = lazy(() => import('../../designer/flow/WorkflowEditor').then((m) => ({ default: m.WorkflowGraph })));

/** A preview that cannot be drawn says so instead of taking the page down. */
class Boundary extends Component<{ children: ReactNode; fallback: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

type Definition = Record<string, unknown> & { form?: { schema?: Record<string, unknown>; ui?: Record<string, unknown>; field_rules?: FieldRule[] } };

const noData = {};
const noop = () => undefined;

function TypePreview({ definition }: { definition: Definition }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'form' | 'graph'>('form');
  const form = definition.form ?? {};
  const key = String(definition.key ?? '');
  return (
    <div className="gd-template-type" data-type={key}>
      {typeof definition.description === 'string' && definition.description && (
        <Typography.Paragraph type="secondary">{definition.description}</Typography.Paragraph>
      )}
      <Segmented value={view} onChange={(value) => setView(value as 'form' | 'graph')} className="gd-template-view"
        options={[{ value: 'form', label: t('templates.formView') }, { value: 'graph', label: t('templates.graphView') }]} />
      <Boundary fallback={<Alert type="warning" showIcon message={t('templates.previewBroken')} />}>
        {view === 'form' ? (
          <div className="gd-panel gd-form-card gd-template-form" aria-label={t('templates.formOf', { name: String(definition.name ?? key) })} role="group">
            <TicketForm schema={form.schema ?? {}} ui={form.ui ?? {}} rules={form.field_rules ?? []} ticket={noData} data={noData}
              onChange={noop} onSubmit={noop} submitLabel="" idPrefix={`preview-${key}`} disabled />
          </div>
        ) : (
          <div className="gd-template-graph">
            <Suspense fallback={<Skeleton active />}>
              <WorkflowGraph definition={definition as never} />
            </Suspense>
          </div>
        )}
      </Boundary>
    </div>
  );
}

interface PreviewProps {
  templateKey: string;
  /** Changes after each install: the plan is read again. */
  revision: number;
  installing: boolean;
  onClose: () => void;
  onInstall: () => void;
}

export default function TemplatePreview({ templateKey, revision, installing, onClose, onInstall }: PreviewProps) {
  const { t, i18n } = useTranslation();
  const desktop = useIsDesktop();
  const [details, setDetails] = useState<TemplateDetails | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.get<TemplateDetails>(`/templates/${encodeURIComponent(templateKey)}/details`, { locale: i18n.language }, { signal: controller.signal })
      .then((next) => { setDetails(next); setError(null); })
      .catch((reason: unknown) => {
        if (reason instanceof DOMException && reason.name === 'AbortError') return;
        setError(reason instanceof ApiError ? describeApiError(reason, t) : t('errors.unexpected'));
      });
    return () => controller.abort();
  }, [templateKey, revision, i18n.language, t]);

  // Keys in the plan, names as the reader sees them.
  const names = useMemo(() => {
    const map: Record<PartKind, Record<string, string>> = { ticket_types: {}, teams: {}, roles: {}, calendars: {}, knowledge_articles: {} };
    for (const type of details?.ticket_types ?? []) if (type.key) map.ticket_types[type.key] = type.name ?? type.key;
    for (const team of details?.teams ?? []) map.teams[team.key] = team.name;
    for (const role of details?.roles ?? []) map.roles[role.name] = role.name;
    for (const calendar of details?.calendars ?? []) map.calendars[calendar.key] = calendar.name;
    for (const article of details?.knowledge_articles ?? []) map.knowledge_articles[article.key] = article.title;
    return map;
  }, [details]);

  const plan = details?.plan;
  return (
    <Drawer open onClose={onClose} width={desktop ? 1000 : '100%'} destroyOnHidden className="gd-template-drawer"
      title={details?.name ?? t('templates.preview')}
      extra={plan && (
        <Button type="primary" disabled={!plan.can_install || !plan.changes} loading={installing} onClick={onInstall}>
          {plan.changes ? t('templates.install') : t('templates.upToDate')}
        </Button>
      )}>
      {error && <Alert type="error" showIcon message={error} />}
      {!details && !error && <Skeleton active />}
      {details && plan && (
        <>
          <Typography.Paragraph>{details.description}</Typography.Paragraph>
          <Typography.Paragraph type="secondary">
            {t('templates.version', { version: details.version })}
            {details.installed_version !== null && <> · {t('templates.installedVersion', { version: details.installed_version })}</>}
          </Typography.Paragraph>
          <h3 className="gd-template-heading">{t('templates.planTitle')}</h3>
          <table className="gd-template-plan-table">
            <thead>
              <tr><th scope="col">{t('templates.kind')}</th><th scope="col">{t('templates.willCreate')}</th><th scope="col">{t('templates.alreadyHere')}</th></tr>
            </thead>
            <tbody>
              {PART_KINDS.filter((kind) => plan.create[kind].length || plan.existing[kind].length).map((kind) => (
                <tr key={kind} data-kind={kind}>
                  <th scope="row">{t(`templates.kinds.${kind}`)}</th>
                  <td>{plan.create[kind].map((k) => <Tag key={k} color="blue">{names[kind][k] ?? k}</Tag>)}{!plan.create[kind].length && '—'}</td>
                  <td>{plan.existing[kind].map((k) => <Tag key={k}>{names[kind][k] ?? k}</Tag>)}{!plan.existing[kind].length && '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Typography.Paragraph type="secondary" className="gd-template-note">{t('templates.keptNote')}</Typography.Paragraph>
          {plan.problems.length > 0 && (
            <Alert type="error" showIcon message={t('templates.cannotInstall')}
              description={<ul>{plan.problems.map((p) => <li key={`${p.location}${p.path}${p.code}`}>{p.location} {p.path}: {p.message}</li>)}</ul>} />
          )}
          <h3 className="gd-template-heading">{t('templates.typesTitle')}</h3>
          <Tabs items={details.definitions.map((d) => ({
            key: d.file,
            label: String(d.definition.name ?? d.key ?? d.file),
            children: <TypePreview definition={d.definition as Definition} />,
          }))} />
        </>
      )}
    </Drawer>
  );
}
