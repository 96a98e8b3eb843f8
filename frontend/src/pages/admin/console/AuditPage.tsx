// The admin console's audit log: who did what, and when, filtered; a page at a time; the same filters as a CSV
// download (GET /api/v1/audit.csv).
import { Button, Card, DatePicker, Form, Input, Space, Table, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, buildUrl, type Query } from '../../../api';
import LoadMore from '../../../components/LoadMore';
import { useAuth } from '../../../auth/AuthContext';
import PageHeader from '../../../components/PageHeader';
import UserPicker from '../../../components/UserPicker';
import type { Page, UserRef } from '../../../types';
import { useDateTimeFormatter } from '../../../utils/format';
import { useErrorHandler } from '../../../utils/errors';
import { wallTimeToIso } from '../../../utils/timezones';
import './i18n';

export interface AuditEntry {
  id: number;
  at: string;
  actor_id: number | null;
  actor: UserRef | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Record<string, unknown>;
  client_address: string | null;
}

interface FilterValues {
  actor_id?: number | null;
  action?: string;
  target_type?: string;
  target_id?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const PAGE_SIZE = 50;

/** The query of the list and the CSV export: the whole days of the range in the viewer's profile time zone
 *  (the zone every date on the page is shown in), or the browser's when the profile has none. */
export function auditQuery(values: FilterValues, zone?: string): Query {
  const [from, to] = values.range ?? [null, null];
  return {
    actor_id: values.actor_id ?? undefined,
    action: values.action?.trim() || undefined,
    target_type: values.target_type?.trim() || undefined,
    target_id: values.target_id?.trim() || undefined,
    since: from ? wallTimeToIso(from.startOf('day'), zone) : undefined,
    until: to ? wallTimeToIso(to.add(1, 'day').startOf('day'), zone) : undefined,
  };
}

export default function AuditPage() {
  const { t } = useTranslation();
  const handleError = useErrorHandler();
  const formatDateTime = useDateTimeFormatter();
  const { user } = useAuth();
  const [form] = Form.useForm<FilterValues>();
  const [query, setQuery] = useState<Query>({});
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const load = useCallback(
    async (q: Query, after: string | null) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      setLoading(true);
      try {
        const page = await api.get<Page<AuditEntry>>('/audit', { ...q, limit: PAGE_SIZE, cursor: after }, { signal: abort.signal });
        setEntries((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.next_cursor);
      } catch (error) {
        handleError(error, form, { since: 'range', until: 'range' });
      } finally {
        if (controller.current === abort) setLoading(false);
      }
    },
    [handleError, form],
  );

  useEffect(() => {
    void load(query, null);
  }, [load, query]);

  useEffect(() => () => controller.current?.abort(), []);

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('console.audit.at'), dataIndex: 'at', key: 'at', render: (at: string) => formatDateTime(at) },
    {
      title: t('console.audit.actor'),
      key: 'actor',
      render: (_, entry) =>
        entry.actor ? (
          <span title={entry.actor.email}>{entry.actor.name || entry.actor.email}</span>
        ) : (
          <Typography.Text type="secondary">{entry.actor_id ? `#${entry.actor_id}` : t('console.audit.system')}</Typography.Text>
        ),
    },
    { title: t('console.audit.action'), dataIndex: 'action', key: 'action', render: (action: string) => <Typography.Text code>{action}</Typography.Text> },
    {
      title: t('console.audit.target'),
      key: 'target',
      render: (_, entry) => (entry.target_id ? `${entry.target_type} ${entry.target_id}` : entry.target_type),
    },
    {
      title: t('console.audit.detailsCol'),
      dataIndex: 'details',
      key: 'details',
      render: (details: Record<string, unknown>) =>
        details && Object.keys(details).length ? (
          <Typography.Text style={{ maxWidth: 360, display: 'inline-block' }} ellipsis={{ tooltip: JSON.stringify(details, null, 1) }}>
            {JSON.stringify(details)}
          </Typography.Text>
        ) : null,
    },
    { title: t('console.audit.address'), dataIndex: 'client_address', key: 'client_address' },
  ];

  return (
    <>
      <PageHeader
        title={t('console.audit.title')}
        extra={
          <Button href={buildUrl('/audit.csv', query)} download data-testid="audit-csv">
            {t('console.audit.exportCsv')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('console.audit.intro')}</Typography.Paragraph>
      </PageHeader>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <Form<FilterValues> form={form} name="audit-filters" layout="inline" onFinish={(values) => setQuery(auditQuery(values, user?.time_zone ?? undefined))} className="gd-filter-form">
            <Form.Item label={t('console.audit.actor')} name="actor_id" style={{ minWidth: 220 }}>
              <UserPicker allowClear placeholder={t('console.audit.anyone')} activeOnly={false} style={{ minWidth: 200 }} />
            </Form.Item>
            <Form.Item label={t('console.audit.action')} name="action" tooltip={t('console.audit.actionHelp')}>
              <Input placeholder={t('console.audit.actionPlaceholder')} maxLength={64} allowClear spellCheck={false} />
            </Form.Item>
            <Form.Item label={t('console.audit.targetType')} name="target_type">
              <Input maxLength={32} allowClear spellCheck={false} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item label={t('console.audit.targetId')} name="target_id">
              <Input maxLength={64} allowClear spellCheck={false} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item label={t('console.audit.when')} name="range" htmlFor="audit-range">
              <DatePicker.RangePicker
                id={{ start: 'audit-range' }}
                allowEmpty={[true, true]}
                placeholder={[t('console.audit.from'), t('console.audit.to')]}
              />
            </Form.Item>
            <Form.Item>
              <Space>
                <Button type="primary" htmlType="submit">
                  {t('console.audit.apply')}
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    setQuery({});
                  }}
                >
                  {t('console.audit.reset')}
                </Button>
              </Space>
            </Form.Item>
          </Form>
        </Card>
        <Table<AuditEntry>
          rowKey="id"
          columns={columns}
          dataSource={entries}
          loading={loading && !entries.length}
          pagination={false}
          size="small"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('console.audit.empty') }}
        />
        <LoadMore visible={!!cursor} loading={loading} onClick={() => void load(query, cursor)} />
      </Space>
    </>
  );
}
