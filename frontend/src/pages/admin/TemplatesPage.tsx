// The templates gallery for admins: a card per industry template with what it holds, what installing it would
// create and what this instance has already, the installed version, a read-only preview of each ticket type's
// form and status graph (TemplatePreview), and install in one click after a confirmation.
import { Alert, App, Button, Card, Col, Empty, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './templatesI18n';
import { useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api';
import PageHeader from '../../components/PageHeader';
import { describeApiError } from '../../utils/errors';
import {
  countParts,
  PART_KINDS,
  summaryParts,
  templateStatus,
  type InstallResult,
  type Parts,
  type TemplateStatus,
  type TemplateSummary,
} from './templates';
import './templates.css';

const TemplatePreview = lazy(() => import('./TemplatePreview'));

const STATUS_COLORS: Record<TemplateStatus, string> = {
  broken: 'error',
  installed: 'success',
  outdated: 'warning',
  partly: 'processing',
  available: 'default',
};

/** The outcome of the last install, shown above the cards until the next one. */
type Outcome = { kind: 'success'; result: InstallResult } | { kind: 'error'; name: string; message: string; details: string[] };

export default function TemplatesPage() {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const locale = i18n.language;
  const [items, setItems] = useState<TemplateSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState<string | null>(null);
  const [installing, setInstalling] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [revision, setRevision] = useState(0);

  const load = useCallback(async () => {
    try {
      setItems((await api.get<{ items: TemplateSummary[] }>('/templates', { locale })).items);
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof ApiError ? describeApiError(error, t) : t('errors.unexpected'));
    }
  }, [locale, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const partsText = (parts: Parts) =>
    PART_KINDS.filter((kind) => parts[kind].length).map((kind) => t(`templates.count.${kind}`, { count: parts[kind].length })).join(t('templates.listSeparator'));

  const install = (template: TemplateSummary) => {
    const { create, existing } = summaryParts(template);
    modal.confirm({
      title: t('templates.confirmTitle', { name: template.name }),
      content: (
        <div className="gd-template-confirm">
          {countParts(create) ? (
            <>
              <p>{t('templates.confirmCreates')}</p>
              <ul>
                {PART_KINDS.filter((kind) => create[kind].length).map((kind) => (
                  <li key={kind}><strong>{t(`templates.kinds.${kind}`)}:</strong> {create[kind].join(t('templates.listSeparator'))}</li>
                ))}
              </ul>
            </>
          ) : <p>{t('templates.confirmNothingNew')}</p>}
          {countParts(existing) > 0 && <p>{t('templates.confirmKeeps', { list: partsText(existing) })}</p>}
        </div>
      ),
      okText: t('templates.install'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setInstalling(template.key);
        try {
          const result = await api.post<InstallResult>(`/templates/${encodeURIComponent(template.key)}/install`);
          setOutcome({ kind: 'success', result: { ...result, template: { ...result.template, name: template.name } } });
          void message.success(t(result.changed ? 'templates.installed' : 'templates.installedNothing', { name: template.name }));
        } catch (error) {
          const text = error instanceof ApiError ? describeApiError(error, t) : t('errors.unexpected');
          const details = error instanceof ApiError ? error.details.map((d) => d.message) : [];
          setOutcome({ kind: 'error', name: template.name, message: text, details });
          void message.error(t('templates.installFailed', { name: template.name }));
        } finally {
          setInstalling(null);
          setRevision((r) => r + 1);
          await load();
        }
      },
    });
  };

  return (
    <>
      <PageHeader title={t('templates.title')}>
        <p className="gd-page-intro">{t('templates.intro')}</p>
      </PageHeader>
      {outcome?.kind === 'success' && (
        <Alert type="success" showIcon closable onClose={() => setOutcome(null)} className="gd-template-outcome" role="status"
          message={t(outcome.result.changed ? 'templates.installed' : 'templates.installedNothing', { name: outcome.result.template.name })}
          description={(
            <>
              {countParts(outcome.result.created) > 0 && <p>{t('templates.created', { list: partsText(outcome.result.created) })}</p>}
              {outcome.result.skipped.length > 0 && <p>{t('templates.skipped', { count: outcome.result.skipped.length })}</p>}
              {outcome.result.created.teams.length > 0 && <p>{t('templates.nextTeams')}</p>}
              {outcome.result.created.roles.length > 0 && <p>{t('templates.nextRoles')}</p>}
              {outcome.result.created.calendars.length > 0 && <p>{t('templates.nextCalendars')}</p>}
            </>
          )} />
      )}
      {outcome?.kind === 'error' && (
        <Alert type="error" showIcon closable onClose={() => setOutcome(null)} className="gd-template-outcome" role="alert"
          message={t('templates.installFailed', { name: outcome.name })}
          description={(
            <>
              <p>{outcome.message}</p>
              {outcome.details.length > 0 && <ul>{outcome.details.map((d) => <li key={d}>{d}</li>)}</ul>}
            </>
          )} />
      )}
      {loadError && <Alert type="error" showIcon message={loadError} action={<Button size="small" onClick={() => void load()}>{t('common.retry')}</Button>} />}
      {items === null && !loadError && <Skeleton active />}
      {items?.length === 0 && <Empty description={t('templates.none')} />}
      <Row gutter={[16, 16]} className="gd-template-cards">
        {items?.map((template) => {
          const status = templateStatus(template);
          const { create, existing } = summaryParts(template);
          const upToDate = status === 'installed' && !countParts(create);
          return (
            <Col key={template.key} xs={24} lg={12} xxl={8}>
              <Card className="gd-template-card" data-template={template.key}
                title={<span className="gd-template-name">{template.name}</span>}
                extra={<Tag color={STATUS_COLORS[status]}>{t(`templates.status.${status}`, { installed: template.installed_version, version: template.version })}</Tag>}
                actions={[
                  <Button key="preview" type="link" onClick={() => setPreviewing(template.key)}
                    aria-label={t('templates.previewNamed', { name: template.name })}>
                    {t('templates.preview')}
                  </Button>,
                  ...(status === 'outdated'
                    ? [
                        // a newer version ships: the upgrade page compares it with the local changes (written as drafts)
                        <Button key="upgrade" type="primary" onClick={() => navigate(`/admin/templates/${encodeURIComponent(template.key)}/upgrade`)}
                          aria-label={t('templates.upgradeNamed', { name: template.name })}>
                          {t('templates.upgrade')}
                        </Button>,
                      ]
                    : []),
                  <Button key="install" type={upToDate || status === 'outdated' ? 'link' : 'primary'} disabled={!template.valid || upToDate}
                    loading={installing === template.key} onClick={() => install(template)}
                    aria-label={t(upToDate ? 'templates.upToDateNamed' : 'templates.installNamed', { name: template.name })}>
                    {upToDate ? t('templates.upToDate') : t('templates.install')}
                  </Button>,
                ]}>
                <Typography.Paragraph className="gd-template-description">{template.description}</Typography.Paragraph>
                <div className="gd-template-meta">
                  <Typography.Text type="secondary">{t('templates.version', { version: template.version })}</Typography.Text>
                  {template.installed_version !== null && (
                    <Typography.Text type="secondary">{t('templates.installedVersion', { version: template.installed_version })}</Typography.Text>
                  )}
                </div>
                <h3 className="gd-template-heading">{t('templates.kinds.ticket_types')}</h3>
                <ul className="gd-template-types">
                  {template.ticket_types.map((type) => (
                    <li key={type.file}>
                      <Space size={4} wrap>
                        <span>{type.name ?? type.key}</span>
                        {type.number_prefix && <Tag>{type.number_prefix}</Tag>}
                        {type.installed && <Tag color="green">{t('templates.typeInstalled', { version: type.installed_version })}</Tag>}
                      </Space>
                    </li>
                  ))}
                </ul>
                <div className="gd-template-plan">
                  <div><strong>{t('templates.willCreate')}</strong> {countParts(create) ? partsText(create) : t('templates.nothing')}</div>
                  <div><strong>{t('templates.alreadyHere')}</strong> {countParts(existing) ? partsText(existing) : t('templates.nothing')}</div>
                </div>
                {!template.valid && (
                  <Alert type="error" showIcon message={t('templates.problems', { count: template.problems.length })}
                    description={<ul>{template.problems.slice(0, 5).map((p) => <li key={`${p.location}${p.path}${p.code}`}>{p.location} {p.path}: {p.message}</li>)}</ul>} />
                )}
              </Card>
            </Col>
          );
        })}
      </Row>
      {previewing && (
        <Suspense fallback={null}>
          <TemplatePreview templateKey={previewing} revision={revision} installing={installing === previewing}
            onClose={() => setPreviewing(null)}
            onInstall={() => { const template = items?.find((x) => x.key === previewing); if (template) install(template); }} />
        </Suspense>
      )}
    </>
  );
}
