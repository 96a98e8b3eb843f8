// The admin console's system page: /healthz graded red/amber/green per check with what each grade means,
// refreshed on its own, and the read-only maintenance switch (PUT /api/v1/maintenance/read-only, audited).
import { Alert, App, Button, Card, Input, List, Popconfirm, Space, Switch, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api';
import { useAuth } from '../../../auth/AuthContext';
import PageHeader from '../../../components/PageHeader';
import { useDateTimeFormatter } from '../../../utils/format';
import { useErrorHandler } from '../../../utils/errors';
import { gradeHealth, jobLag, worst, type Check, type Grade, type HealthReport, type JobRun } from './health';
import './i18n';

export const REFRESH_SECONDS = 15;

const TAG_COLOR: Record<Grade, string> = { green: 'success', amber: 'warning', red: 'error' };
const ALERT_TYPE: Record<Grade, 'success' | 'warning' | 'error'> = { green: 'success', amber: 'warning', red: 'error' };

interface Maintenance {
  read_only: boolean;
  since: string | null;
  reason: string | null;
}

export function GradeTag({ grade }: { grade: Grade }) {
  const { t } = useTranslation();
  return (
    <Tag color={TAG_COLOR[grade]} data-grade={grade}>
      {t(`console.grade.${grade}`)}
    </Tag>
  );
}

/** /healthz answers 503 with the same body when something is down: both are a report. */
async function fetchHealth(): Promise<HealthReport> {
  const response = await fetch('/healthz', { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' });
  const body = (await response.json()) as HealthReport;
  if (!body || typeof body !== 'object' || typeof body.status !== 'string') throw new Error(`HTTP ${response.status}`);
  return body;
}

export default function SystemPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const formatDateTime = useDateTimeFormatter();
  const { refreshMaintenance } = useAuth();
  const [report, setReport] = useState<HealthReport | null>(null);
  const [checkedAt, setCheckedAt] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [auto, setAuto] = useState(true);
  const [reason, setReason] = useState('');
  const [switching, setSwitching] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setReport(await fetchHealth());
      setFailure(null);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setCheckedAt(Date.now());
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!auto) return undefined;
    const timer = window.setInterval(() => void load(), REFRESH_SECONDS * 1000);
    return () => window.clearInterval(timer);
  }, [auto, load]);

  const checks = useMemo(() => (report ? gradeHealth(report, checkedAt ?? Date.now()) : []), [report, checkedAt]);
  const overall: Grade = failure ? 'red' : worst(checks.map((c) => c.grade));
  const jobChecks = new Map(checks.filter((c) => c.id.startsWith('job:')).map((c) => [c.id.slice(4), c]));
  const otherChecks = checks.filter((c) => !c.id.startsWith('job:'));

  const explain = (check: Check) => {
    const values = { ...check.values };
    if (check.reason === 'housekeepingOk' && typeof values.at === 'string') values.at = formatDateTime(values.at);
    return t(`console.health.reason.${check.reason}` as 'console.health.reason.ok', values);
  };
  const nameOf = (id: string) =>
    id.startsWith('queue:')
      ? t('console.system.names.queue', { name: id.slice(6) })
      : t(`console.system.names.${id}` as 'console.system.names.database');

  const switchReadOnly = async (on: boolean) => {
    setSwitching(true);
    try {
      await api.put<Maintenance>('/maintenance/read-only', { read_only: on, reason: on ? reason.trim() || null : null });
      void message.success(t(on ? 'console.system.switchedOn' : 'console.system.switchedOff'));
      setReason('');
      await Promise.all([load(), refreshMaintenance()]);
    } catch (error) {
      handleError(error);
    } finally {
      setSwitching(false);
    }
  };

  const checkItem = (check: Check) => (
    <List.Item key={check.id} data-check={check.id} data-grade={check.grade}>
      <List.Item.Meta
        title={
          <Space wrap size={8}>
            <span>{nameOf(check.id)}</span>
            <GradeTag grade={check.grade} />
          </Space>
        }
        description={<span className="gd-check-explain">{explain(check)}</span>}
      />
    </List.Item>
  );

  // The page's language for the jobs it knows; the server's English for a job added since (marked lang="en").
  const description = (job: JobRun) => {
    const key = `console.system.jobDescriptions.${job.name}`;
    if (i18n.exists(key)) return <div>{t(key as 'console.system.jobDescriptions.sla_sweep')}</div>;
    return job.description ? <div lang="en">{job.description}</div> : null;
  };

  const jobItem = (job: JobRun) => {
    const check = jobChecks.get(job.name);
    const lag = jobLag(job, checkedAt ?? Date.now());
    return (
      <List.Item key={job.name} data-check={`job:${job.name}`} data-grade={check?.grade}>
        <List.Item.Meta
          title={
            <Space wrap size={8}>
              <Typography.Text code>{job.name}</Typography.Text>
              {check && <GradeTag grade={check.grade} />}
              {check && <span style={{ fontWeight: 'normal' }}>{explain(check)}</span>}
            </Space>
          }
          description={
            <>
              <div>
                {t('console.system.every')} {job.every_seconds} s · {t('console.system.lastRun')}{' '}
                {job.last_started_at ? formatDateTime(job.last_started_at) : t('common.never')}
                {job.last_status ? ` · ${t('console.system.lastStatus')} ${job.last_status}` : ''}
                {lag !== null ? ` · ${t('console.system.lag')} ${lag} s` : ''}
              </div>
              {description(job)}
            </>
          }
        />
      </List.Item>
    );
  };

  const maintenance = report?.maintenance;
  return (
    <>
      <PageHeader
        title={t('console.system.title')}
        extra={
          <Space wrap>
            <Switch checked={auto} onChange={setAuto} aria-label={t('console.system.autoRefresh')} />
            <span aria-hidden>{t('console.system.autoRefresh')}</span>
            <Button onClick={() => void load()} loading={loading}>
              {t('console.system.refresh')}
            </Button>
          </Space>
        }
      />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {(report || failure) && (
          <Alert
            type={ALERT_TYPE[overall]}
            showIcon
            data-testid="overall"
            data-grade={overall}
            message={t('console.system.overall', { grade: t(`console.grade.${overall}`) })}
            description={
              <>
                {failure && <div>{t('console.system.unreachable', { error: failure })}</div>}
                {checkedAt && (
                  <div>
                    {t('console.system.checkedAt', { time: formatDateTime(new Date(checkedAt).toISOString()), seconds: REFRESH_SECONDS })}
                  </div>
                )}
                {report?.version && <div>{t('console.system.version', { version: report.version })}</div>}
              </>
            }
          />
        )}
        <Card title={<h2 className="gd-card-title">{t('console.system.dependenciesTitle')}</h2>}>
          <List<Check> size="small" loading={loading && !report} dataSource={otherChecks} renderItem={checkItem} />
        </Card>
        <Card title={<h2 className="gd-card-title">{t('console.system.jobsTitle')}</h2>}>
          <List<JobRun> size="small" loading={loading && !report} dataSource={report?.periodic_jobs ?? []} renderItem={jobItem} />
        </Card>
        <Card title={<h2 className="gd-card-title">{t('console.system.readOnlyTitle')}</h2>} style={{ maxWidth: 720 }}>
          {maintenance && (
            <Space direction="vertical" style={{ width: '100%' }}>
              <div data-testid="read-only-state" data-read-only={maintenance.read_only ? 'on' : 'off'}>
                <GradeTag grade={maintenance.read_only ? 'amber' : 'green'} />{' '}
                {maintenance.read_only
                  ? t('console.system.readOnlyOn', { since: formatDateTime(maintenance.since ?? null) })
                  : t('console.system.readOnlyOff')}
                {maintenance.read_only && maintenance.reason && (
                  <div>{t('console.system.readOnlyOnReason', { reason: maintenance.reason })}</div>
                )}
              </div>
              <Typography.Paragraph type="secondary">{t('console.system.readOnlyHelp')}</Typography.Paragraph>
              {maintenance.read_only ? (
                <Button type="primary" loading={switching} onClick={() => void switchReadOnly(false)}>
                  {t('console.system.switchOff')}
                </Button>
              ) : (
                <>
                  <label htmlFor="read-only-reason">{t('console.system.reason')}</label>
                  <Input id="read-only-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
                  <Popconfirm
                    title={t('console.system.confirmOn')}
                    description={t('console.system.confirmOnText')}
                    okText={t('console.system.switchOn')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => switchReadOnly(true)}
                  >
                    <Button danger loading={switching}>
                      {t('console.system.switchOn')}
                    </Button>
                  </Popconfirm>
                </>
              )}
            </Space>
          )}
        </Card>
      </Space>
    </>
  );
}
