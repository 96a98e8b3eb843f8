import { Alert, App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, buildUrl } from '../../../api';
import { useAuth } from '../../../auth/AuthContext';
import PageHeader from '../../../components/PageHeader';
import type { ItemList } from '../../../types';
import { useErrorHandler } from '../../../utils/errors';
import './i18n';
import { formatCell, lastDay, periodProblem, runQuery, type ReportInfo, type ReportResult, type ReportTable, type Subscription } from './periodic';

interface UserItem {
  id: number;
  name: string;
  email: string;
  roles: string[];
}

function ResultTable({ table }: { table: ReportTable }) {
  const { t } = useTranslation();
  // a `key` column is the stored value a text column labels: for the CSV and programs, not for reading
  const columns = table.columns.filter((column) => column.unit !== 'key').map((column) => ({
    key: column.key,
    title: column.title,
    dataIndex: column.key,
    align: (column.unit === 'text' || column.unit === 'link' ? 'left' : 'right') as 'left' | 'right',
    render: (value: unknown) =>
      column.unit === 'link' ? (typeof value === 'string' && value ? <Link to={value}>{column.title}</Link> : '–') : formatCell(value, column.unit),
  }));
  return (
    <Card size="small" title={table.title} style={{ marginBottom: 16 }} data-testid={`gd-report-table-${table.key}`}>
      <Table
        size="small"
        rowKey={(_, index) => String(index)}
        columns={columns}
        dataSource={table.rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('periodicReports.empty')} /> }}
      />
    </Card>
  );
}

function Subscriptions({ reports }: { reports: ReportInfo[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const { user } = useAuth();
  const [items, setItems] = useState<Subscription[]>([]);
  const [users, setUsers] = useState<UserItem[]>([]);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ report: string; recipients: number[]; tz: string; locale: string | null }>();

  const load = useCallback(() => {
    api.get<ItemList<Subscription>>('/reports/subscriptions').then((page) => setItems(page.items), handleError);
  }, [handleError]);
  useEffect(() => {
    load();
    api.get<ItemList<UserItem>>('/users', { active: true, limit: 200 }).then(
      (page) => setUsers(page.items.filter((u) => u.roles.includes('agent') || u.roles.includes('admin'))),
      () => setUsers([]),
    );
  }, [load]);

  const names = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const titles = useMemo(() => new Map(reports.map((r) => [r.key, r.title])), [reports]);

  const save = async (sub: Subscription, changes: Partial<Subscription>) => {
    try {
      await api.put(`/reports/subscriptions/${sub.id}`, {
        report: sub.report, recipients: sub.recipients, tz: sub.tz, locale: sub.locale, active: sub.active, ...changes,
      });
      load();
    } catch (error) {
      handleError(error);
    }
  };

  return (
    <Card size="small" title={t('periodicReports.subscriptions')} extra={<Button onClick={() => setOpen(true)}>{t('periodicReports.subscribe')}</Button>}>
      <Typography.Paragraph type="secondary">{t('periodicReports.subscriptionsHelp')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('periodicReports.noSubscriptions') }}
        columns={[
          { key: 'report', title: t('periodicReports.report'), render: (_, s: Subscription) => titles.get(s.report) ?? s.report },
          { key: 'recipients', title: t('periodicReports.recipients'), render: (_, s: Subscription) => s.recipients.map((id) => names.get(id) ?? `#${id}`).join(', ') },
          { key: 'tz', title: t('periodicReports.tz'), dataIndex: 'tz' },
          {
            key: 'active', title: t('periodicReports.active'),
            render: (_, s: Subscription) => <Switch size="small" checked={s.active} onChange={(active) => void save(s, { active })} />,
          },
          {
            key: 'delete', title: '',
            render: (_, s: Subscription) => (
              <Popconfirm title={t('periodicReports.deleteConfirm')} onConfirm={() => api.delete(`/reports/subscriptions/${s.id}`).then(load, handleError)}>
                <Button size="small" danger type="link">{t('periodicReports.delete')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('periodicReports.subscribe')}
        okText={t('periodicReports.save')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ report: reports[0]?.key, recipients: [], tz: user?.time_zone ?? 'UTC', locale: null }}
          onFinish={async (values) => {
            try {
              await api.post('/reports/subscriptions', values);
              message.success(t('periodicReports.saved'));
              setOpen(false);
              load();
            } catch (error) {
              handleError(error);
            }
          }}
        >
          <Form.Item name="report" label={t('periodicReports.report')} rules={[{ required: true }]}>
            <Select options={reports.map((r) => ({ value: r.key, label: r.title }))} />
          </Form.Item>
          <Form.Item name="recipients" label={t('periodicReports.recipients')} rules={[{ required: true }]}>
            <Select mode="multiple" optionFilterProp="label" options={users.map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))} />
          </Form.Item>
          <Form.Item name="tz" label={t('periodicReports.tz')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="locale" label={t('periodicReports.locale')}>
            <Select options={[{ value: null, label: t('periodicReports.localeDefault') }, { value: 'en', label: 'English' }, { value: 'zh-CN', label: '简体中文' }]} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

/** Root causes, SLA review and team summary for any period; CSV; admins manage the e-mail subscriptions. */
export default function PeriodicReportsPage() {
  const { t, i18n } = useTranslation();
  const handleError = useErrorHandler();
  const { user, hasRole } = useAuth();
  const [params, setParams] = useSearchParams();
  const [reports, setReports] = useState<ReportInfo[]>([]);
  const [report, setReport] = useState(params.get('report') ?? '');
  const [period, setPeriod] = useState(params.get('period') ?? '');
  const [tz, setTz] = useState(params.get('tz') ?? user?.time_zone ?? 'UTC');
  const [result, setResult] = useState<ReportResult | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    api.get<ItemList<ReportInfo>>('/reports/periodic').then((page) => {
      setReports(page.items);
      const chosen = page.items.find((r) => r.key === (params.get('report') ?? '')) ?? page.items[0];
      if (chosen) {
        setReport(chosen.key);
        if (!params.get('period')) setPeriod(chosen.default_period);
      }
    }, handleError);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, from the address the page was opened with
  }, [handleError]);

  const info = reports.find((r) => r.key === report);
  const problem = info ? periodProblem(info.period_kind, period) : null;

  const run = useCallback(() => {
    if (!report) return;
    setLoading(true);
    setParams(runQuery(report, period, tz), { replace: true });
    api
      .get<ReportResult>(`/reports/periodic/${encodeURIComponent(report)}`, { period: period.trim() || undefined, tz: tz.trim() || undefined })
      .then(setResult, (error) => { setResult(null); handleError(error); })
      .finally(() => setLoading(false));
  }, [report, period, tz, setParams, handleError]);

  // Run at once when opened from an e-mail's link, and again when the language changes.
  useEffect(() => {
    if (report && params.get('period')) run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [report !== '', i18n.language]);

  const csv = buildUrl(`/reports/periodic/${encodeURIComponent(report)}.csv`, { period: period.trim(), tz: tz.trim() });
  return (
    <>
      <PageHeader title={t('periodicReports.title')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap align="end">
          <div>
            <label htmlFor="gd-periodic-report">{t('periodicReports.report')}</label>
            <Select
              id="gd-periodic-report"
              style={{ display: 'block', minWidth: 200 }}
              value={report || undefined}
              options={reports.map((r) => ({ value: r.key, label: r.title }))}
              onChange={(value: string) => {
                setReport(value);
                setResult(null);
                setPeriod(reports.find((r) => r.key === value)?.default_period ?? '');
              }}
            />
          </div>
          <div>
            <label htmlFor="gd-periodic-period">{t('periodicReports.period')}</label>
            <Input id="gd-periodic-period" style={{ display: 'block', width: 160 }} value={period} status={problem ? 'error' : undefined}
              onChange={(event) => setPeriod(event.target.value)} onPressEnter={run} />
          </div>
          <div>
            <label htmlFor="gd-periodic-tz">{t('periodicReports.tz')}</label>
            <Input id="gd-periodic-tz" style={{ display: 'block', width: 180 }} value={tz} onChange={(event) => setTz(event.target.value)} onPressEnter={run} />
          </div>
          <Button type="primary" onClick={run} loading={loading} disabled={!report || !!problem}>{t('periodicReports.run')}</Button>
          <Button href={csv} download disabled={!report || !!problem}>{t('periodicReports.csv')}</Button>
        </Space>
        {problem && <Typography.Text type="danger" style={{ display: 'block', marginTop: 8 }}>{t(problem === 'month' ? 'periodicReports.monthHint' : 'periodicReports.weekHint')}</Typography.Text>}
      </Card>
      {result && (
        <>
          <Alert type="info" style={{ marginBottom: 16 }}
            message={`${result.title} · ${result.period}`}
            description={t('periodicReports.range', { from: result.from.slice(0, 10), to: lastDay(result.to), tz: result.tz })} />
          {result.tables.map((table) => <ResultTable key={table.key} table={table} />)}
        </>
      )}
      {hasRole('admin') && reports.length > 0 && <Subscriptions reports={reports} />}
    </>
  );
}
