// The admin console's notifications page: the outbox's delivery log (filter, details with every attempt, replay
// one or the selected), webhook signing secrets (new, rotate: the value shown once; delete), and chat endpoints
// with "send a test" (POST /api/v1/chat-endpoints/<id>/test answers with the delivery).
import { App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api';
import LoadMore from '../../../components/LoadMore';
import PageHeader from '../../../components/PageHeader';
import type { Page } from '../../../types';
import { useDateTimeFormatter } from '../../../utils/format';
import { useErrorHandler } from '../../../utils/errors';
import './i18n';

const STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead'] as const;
const CHANNELS = ['email', 'webhook', 'wecom', 'dingtalk', 'slack'] as const;
const STATUS_COLOR: Record<string, string> = { pending: 'blue', sending: 'processing', sent: 'success', failed: 'warning', dead: 'error' };
const REPLAYABLE = new Set(['sent', 'failed', 'dead']);

export interface OutboxMessage {
  id: number;
  channel: string;
  event: string;
  status: string;
  target: string;
  attempts: number;
  max_attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  response_code: number | null;
  created_at: string;
  sent_at: string | null;
  endpoint_id: number | null;
  ticket_id: number | null;
}

interface Attempt {
  number: number;
  started_at: string;
  duration_ms: number;
  outcome: string;
  response_code: number | null;
  error: string | null;
}

interface OutboxDetail extends OutboxMessage {
  payload: Record<string, unknown>;
  attempt_log: Attempt[];
}

interface WebhookSecret {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

interface ChatEndpoint {
  id: number;
  key: string;
  kind: string;
  url: string;
  team: { id: number; key: string; name: string } | null;
  locale: string;
  active: boolean;
}

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = (STATUSES as readonly string[]).includes(status);
  return <Tag color={STATUS_COLOR[status]}>{known ? t(`console.notifications.statuses.${status as (typeof STATUSES)[number]}`) : status}</Tag>;
}

function OutboxTab() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const handleError = useErrorHandler();
  const formatDateTime = useDateTimeFormatter();
  const [status, setStatus] = useState<string | undefined>();
  const [channel, setChannel] = useState<string | undefined>();
  const [rows, setRows] = useState<OutboxMessage[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [detail, setDetail] = useState<OutboxDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      setLoading(true);
      try {
        const page = await api.get<Page<OutboxMessage>>('/outbox', { status, channel, limit: 50, cursor: after }, { signal: abort.signal });
        setRows((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.next_cursor);
        if (!after) setSelected([]);
      } catch (error) {
        handleError(error);
      } finally {
        if (controller.current === abort) setLoading(false);
      }
    },
    [status, channel, handleError],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const open = async (id: number) => {
    try {
      setDetail(await api.get<OutboxDetail>(`/outbox/${id}`));
    } catch (error) {
      handleError(error);
    }
  };

  /** Replays one by one; reports how many were queued and why the others were not. */
  const replay = async (ids: number[]) => {
    setBusy(true);
    let done = 0;
    const refused: string[] = [];
    for (const id of ids) {
      try {
        await api.post(`/outbox/${id}/replay`);
        done += 1;
      } catch (error) {
        refused.push(error instanceof ApiError ? error.message : String(error));
      }
    }
    setBusy(false);
    if (done) void message.success(t('console.notifications.replayed', { count: done }));
    if (refused.length) void message.error(t('console.notifications.replaySkipped', { count: refused.length, reason: refused[0] }), 8);
    if (detail && ids.includes(detail.id)) void open(detail.id);
    await load(null);
  };

  const columns: TableColumnsType<OutboxMessage> = [
    { title: '#', dataIndex: 'id', key: 'id' },
    { title: t('console.notifications.created'), dataIndex: 'created_at', key: 'created', render: (v: string) => formatDateTime(v) },
    { title: t('console.notifications.channel'), dataIndex: 'channel', key: 'channel' },
    { title: t('console.notifications.event'), dataIndex: 'event', key: 'event', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    {
      title: t('console.notifications.target'),
      dataIndex: 'target',
      key: 'target',
      render: (v: string) => (
        <Typography.Text style={{ maxWidth: 240, display: 'inline-block' }} ellipsis={{ tooltip: v }}>
          {v}
        </Typography.Text>
      ),
    },
    { title: t('console.notifications.status'), dataIndex: 'status', key: 'status', render: (v: string) => <StatusTag status={v} /> },
    { title: t('console.notifications.attempts'), key: 'attempts', render: (_, m) => `${m.attempts} / ${m.max_attempts}` },
    {
      title: t('console.notifications.nextTry'),
      key: 'next',
      render: (_, m) => (m.status === 'pending' || m.status === 'failed' ? formatDateTime(m.next_attempt_at) : '—'),
    },
    {
      title: t('console.notifications.lastError'),
      dataIndex: 'last_error',
      key: 'error',
      render: (v: string | null) =>
        v ? (
          <Typography.Text type="danger" style={{ maxWidth: 260, display: 'inline-block' }} ellipsis={{ tooltip: v }}>
            {v}
          </Typography.Text>
        ) : null,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, m) => (
        <Space>
          <Button size="small" onClick={() => void open(m.id)} aria-label={`${t('console.notifications.details')} #${m.id}`}>
            {t('console.notifications.details')}
          </Button>
          {REPLAYABLE.has(m.status) && (
            <Button size="small" disabled={busy} onClick={() => void replay([m.id])} aria-label={`${t('console.notifications.replay')} #${m.id}`}>
              {t('console.notifications.replay')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          aria-label={t('console.notifications.status')}
          allowClear
          placeholder={t('console.notifications.anyStatus')}
          style={{ width: 200 }}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`console.notifications.statuses.${s}`) }))}
        />
        <Select
          aria-label={t('console.notifications.channel')}
          allowClear
          placeholder={t('console.notifications.anyChannel')}
          style={{ width: 160 }}
          value={channel}
          onChange={setChannel}
          options={CHANNELS.map((c) => ({ value: c, label: c }))}
        />
        <Button
          type="primary"
          disabled={!selected.length}
          loading={busy}
          onClick={() =>
            modal.confirm({
              title: t('console.notifications.replayConfirm', { count: selected.length }),
              okText: t('console.notifications.replay'),
              cancelText: t('common.cancel'),
              onOk: () => replay(selected),
            })
          }
        >
          {t('console.notifications.replaySelected', { count: selected.length })}
        </Button>
      </Space>
      <Table<OutboxMessage>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={loading && !rows.length}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('console.notifications.empty') }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as number[]),
          getCheckboxProps: (m) => ({ disabled: !REPLAYABLE.has(m.status), 'aria-label': `#${m.id}` }),
        }}
      />
      <LoadMore visible={!!cursor} loading={loading} onClick={() => void load(cursor)} />
      <Drawer
        open={!!detail}
        onClose={() => setDetail(null)}
        title={detail ? t('console.notifications.detailsTitle', { id: detail.id }) : ''}
        width={Math.min(640, window.innerWidth)}
        extra={
          detail && REPLAYABLE.has(detail.status) ? (
            <Button onClick={() => void replay([detail.id])} loading={busy}>
              {t('console.notifications.replay')}
            </Button>
          ) : null
        }
      >
        {detail && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('console.notifications.status')}>
                <StatusTag status={detail.status} />
              </Descriptions.Item>
              <Descriptions.Item label={t('console.notifications.channel')}>{detail.channel}</Descriptions.Item>
              <Descriptions.Item label={t('console.notifications.target')}>{detail.target}</Descriptions.Item>
              <Descriptions.Item label={t('console.notifications.attempts')}>{`${detail.attempts} / ${detail.max_attempts}`}</Descriptions.Item>
              <Descriptions.Item label={t('console.notifications.nextTry')}>
                {detail.status === 'pending' || detail.status === 'failed' ? formatDateTime(detail.next_attempt_at) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('console.notifications.lastError')}>{detail.last_error ?? '—'}</Descriptions.Item>
            </Descriptions>
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              {t('console.notifications.attemptLog')}
            </Typography.Title>
            {detail.attempt_log.length ? (
              <ol className="gd-attempt-log">
                {detail.attempt_log.map((a) => (
                  <li key={a.number}>
                    {formatDateTime(a.started_at)} · <StatusTag status={a.outcome} />
                    {a.response_code !== null ? ` ${t('console.notifications.responseCode')} ${a.response_code}` : ''} ·{' '}
                    {t('console.notifications.duration', { ms: a.duration_ms })}
                    {a.error && <div><Typography.Text type="danger">{a.error}</Typography.Text></div>}
                  </li>
                ))}
              </ol>
            ) : (
              <Typography.Text type="secondary">{t('console.notifications.noAttempts')}</Typography.Text>
            )}
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              {t('console.notifications.payload')}
            </Typography.Title>
            <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }}>{JSON.stringify(detail.payload, null, 2)}</pre>
          </Space>
        )}
      </Drawer>
    </Space>
  );
}

function SecretValueModal({ shown, onClose }: { shown: { name: string; value: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Modal
      open={!!shown}
      title={shown ? t('console.notifications.secretShownOnce', { name: shown.name }) : ''}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('console.notifications.done')}
        </Button>
      }
    >
      {shown && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="warning">{t('console.notifications.secretOnceHelp')}</Typography.Text>
          <Space.Compact style={{ width: '100%' }}>
            <Input readOnly value={shown.value} aria-label={t('console.notifications.secretShownOnce', { name: shown.name })} />
            <Button
              onClick={() =>
                void navigator.clipboard?.writeText(shown.value).then(
                  () => message.success(t('console.notifications.copied')),
                  () => undefined,
                )
              }
            >
              {t('console.notifications.copy')}
            </Button>
          </Space.Compact>
        </Space>
      )}
    </Modal>
  );
}

function SecretsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const formatDateTime = useDateTimeFormatter();
  const [form] = Form.useForm<{ name: string }>();
  const [secrets, setSecrets] = useState<WebhookSecret[]>([]);
  const [loading, setLoading] = useState(true);
  const [shown, setShown] = useState<{ name: string; value: string } | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setSecrets((await api.get<{ items: WebhookSecret[] }>('/webhook-secrets')).items);
    } catch (error) {
      handleError(error);
    } finally {
      setLoading(false);
    }
  }, [handleError]);

  useEffect(() => {
    void load();
  }, [load]);

  const create = async ({ name }: { name: string }) => {
    try {
      const created = await api.post<WebhookSecret & { value: string }>('/webhook-secrets', { name: name.trim() });
      form.resetFields();
      setShown({ name: created.name, value: created.value });
      await load();
    } catch (error) {
      handleError(error, form);
    }
  };

  const rotate = async (secret: WebhookSecret) => {
    try {
      const rotated = await api.post<WebhookSecret & { value: string }>(`/webhook-secrets/${secret.id}/rotate`);
      setShown({ name: rotated.name, value: rotated.value });
      await load();
    } catch (error) {
      handleError(error);
    }
  };

  const remove = async (secret: WebhookSecret) => {
    try {
      await api.delete(`/webhook-secrets/${secret.id}`);
      void message.success(t('console.notifications.deleted', { name: secret.name }));
      await load();
    } catch (error) {
      handleError(error);
    }
  };

  const columns: TableColumnsType<WebhookSecret> = [
    { title: t('console.notifications.secretName'), dataIndex: 'name', key: 'name', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('console.notifications.created'), dataIndex: 'created_at', key: 'created', render: (v: string) => formatDateTime(v) },
    { title: t('console.notifications.lastUsed'), dataIndex: 'last_used_at', key: 'used', render: (v: string | null) => (v ? formatDateTime(v) : t('common.never')) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, s) => (
        <Space>
          <Popconfirm
            title={t('console.notifications.rotateConfirm', { name: s.name })}
            description={t('console.notifications.rotateConfirmText')}
            okText={t('console.notifications.rotate')}
            cancelText={t('common.cancel')}
            onConfirm={() => rotate(s)}
          >
            <Button size="small" aria-label={`${t('console.notifications.rotate')} ${s.name}`}>
              {t('console.notifications.rotate')}
            </Button>
          </Popconfirm>
          <Popconfirm
            title={t('console.notifications.deleteConfirm', { name: s.name })}
            description={t('console.notifications.deleteConfirmText')}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => remove(s)}
          >
            <Button size="small" danger aria-label={`${t('common.delete')} ${s.name}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Table<WebhookSecret>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={secrets}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('console.notifications.secretsEmpty') }}
      />
      <Card size="small" title={t('console.notifications.newSecret')} style={{ maxWidth: 560 }}>
        <Form form={form} name="new-webhook-secret" layout="inline" onFinish={create}>
          <Form.Item
            label={t('console.notifications.secretName')}
            name="name"
            rules={[{ required: true, message: t('validation.required', { field: t('console.notifications.secretName') }) }]}
          >
            <Input maxLength={200} autoComplete="off" spellCheck={false} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('console.notifications.create')}
          </Button>
        </Form>
      </Card>
      <SecretValueModal shown={shown} onClose={() => setShown(null)} />
    </Space>
  );
}

function ChatTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [endpoints, setEndpoints] = useState<ChatEndpoint[]>([]);
  const [loading, setLoading] = useState(true);
  const [testing, setTesting] = useState<number | null>(null);
  const [results, setResults] = useState<Record<number, OutboxDetail>>({});

  useEffect(() => {
    void (async () => {
      try {
        setEndpoints((await api.get<{ items: ChatEndpoint[] }>('/chat-endpoints')).items);
      } catch (error) {
        handleError(error);
      } finally {
        setLoading(false);
      }
    })();
  }, [handleError]);

  const sendTest = async (endpoint: ChatEndpoint) => {
    setTesting(endpoint.id);
    try {
      const result = await api.post<OutboxDetail>(`/chat-endpoints/${endpoint.id}/test`);
      setResults((prev) => ({ ...prev, [endpoint.id]: result }));
      if (result.status === 'sent') {
        void message.success(t('console.notifications.testSent', { key: endpoint.key, code: result.response_code ? ` (HTTP ${result.response_code})` : '' }));
      } else {
        void message.error(t('console.notifications.testFailed', { key: endpoint.key, error: result.last_error ?? result.status }), 8);
      }
    } catch (error) {
      handleError(error);
    } finally {
      setTesting(null);
    }
  };

  const columns: TableColumnsType<ChatEndpoint> = [
    { title: t('console.notifications.key'), dataIndex: 'key', key: 'key', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('console.notifications.kind'), dataIndex: 'kind', key: 'kind' },
    { title: t('console.notifications.url'), dataIndex: 'url', key: 'url' },
    { title: t('console.notifications.team'), key: 'team', render: (_, e) => e.team?.name ?? t('console.notifications.everyTeam') },
    { title: t('console.notifications.locale'), dataIndex: 'locale', key: 'locale' },
    {
      title: t('console.notifications.active'),
      dataIndex: 'active',
      key: 'active',
      render: (v: boolean) => (v ? <Tag color="success">{t('console.notifications.active')}</Tag> : <Tag>{t('console.notifications.inactive')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, e) => {
        const result = results[e.id];
        return (
          <Space direction="vertical" size={2}>
            <Button size="small" disabled={!e.active} loading={testing === e.id} onClick={() => void sendTest(e)} aria-label={`${t('console.notifications.sendTest')} ${e.key}`}>
              {t('console.notifications.sendTest')}
            </Button>
            {result && (
              <span data-testid={`test-result-${e.key}`}>
                <StatusTag status={result.status} />
                {result.status === 'sent' ? (result.response_code ? `HTTP ${result.response_code}` : '') : result.last_error}
              </span>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <Table<ChatEndpoint>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={endpoints}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('console.notifications.chatEmpty') }}
    />
  );
}

export default function NotificationsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('console.notifications.title')}>
        <Typography.Paragraph type="secondary">{t('console.notifications.intro')}</Typography.Paragraph>
      </PageHeader>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'outbox', label: t('console.notifications.tabs.outbox'), children: <OutboxTab /> },
          { key: 'secrets', label: t('console.notifications.tabs.secrets'), children: <SecretsTab /> },
          { key: 'chat', label: t('console.notifications.tabs.chat'), children: <ChatTab /> },
        ]}
      />
    </>
  );
}
