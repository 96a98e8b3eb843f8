// Machine-fed intake (docs/intake.md): the endpoints, a new one with its secret shown once, the mapping test on a
// sample payload, and the intake log of each endpoint.
import { CopyOutlined, PlusOutlined } from '../../icons';
import {
  Alert, App, Button, Descriptions, Drawer, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tabs, Tag,
  Typography, type TableColumnsType,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './intakeI18n';
import { api } from '../../api';
import PageHeader from '../../components/PageHeader';
import type { Page } from '../../types';
import { copyText } from '../../utils/clipboard';
import { useErrorHandler } from '../../utils/errors';
import { useDateTimeFormatter } from '../../utils/format';
import { parseJsonBox, parseMapping, toJsonBox } from './intakeJson';

interface Endpoint {
  id: number;
  key: string;
  name: string;
  ticket_type: string;
  requester: string;
  auth_mode: 'token' | 'hmac';
  secret_prefix: string;
  mapping: Record<string, unknown>;
  dedup_key: unknown;
  on_duplicate: 'count' | 'comment';
  source_key: unknown;
  rate_per_minute: number;
  active: boolean;
}

interface Call {
  id: number;
  at: string;
  outcome: 'created' | 'deduplicated' | 'replayed' | 'rejected';
  status_code: number;
  ticket_id: number | null;
  occurrences: number | null;
  error: string | null;
  client_address: string;
}

interface MappingResult {
  data: Record<string, unknown>;
  valid: boolean;
  errors: { path: string; field?: string; message: string }[];
  source_key: string | null;
  dedup_key: string | null;
  would: 'create' | 'deduplicate' | 'replay' | null;
  ticket: { id: number; number: string } | null;
}

interface EndpointValues {
  key: string;
  name: string;
  ticket_type: string;
  requester?: string;
  auth_mode: 'token' | 'hmac';
  mapping: string;
  dedup_key?: string;
  source_key?: string;
  on_duplicate: 'count' | 'comment';
  rate_per_minute: number;
}

const OUTCOME_COLOURS: Record<Call['outcome'], string> = {
  created: 'green', deduplicated: 'blue', replayed: 'default', rejected: 'red',
};

const EXAMPLE_MAPPING = toJsonBox({ title: { cat: ['Alarm ', { var: 'code' }, ' on ', { var: 'machine' }] }, description: { var: 'message' } });

export default function IntakePage() {
  const { t } = useTranslation();
  const handleError = useErrorHandler();
  const [endpoints, setEndpoints] = useState<Endpoint[]>([]);
  const [types, setTypes] = useState<{ key: string; name: string }[]>([]);
  const [loading, setLoading] = useState(true);
  const [createOpen, setCreateOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ endpoint: Endpoint; secret: string } | null>(null);
  const [open, setOpen] = useState<Endpoint | null>(null);
  const [form] = Form.useForm<EndpointValues>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setEndpoints((await api.get<Page<Endpoint>>('/intake-endpoints', { limit: 200 })).items);
    } catch (error) {
      handleError(error);
    } finally {
      setLoading(false);
    }
  }, [handleError]);

  useEffect(() => {
    void load();
    api.get<Page<{ key: string; name: string }>>('/ticket-types', { limit: 200 }).then((page) => setTypes(page.items), handleError);
  }, [load, handleError]);

  const create = async (values: EndpointValues) => {
    const boxes = { mapping: parseMapping(values.mapping), dedup_key: parseJsonBox(values.dedup_key), source_key: parseJsonBox(values.source_key) };
    const wrong = Object.entries(boxes).filter(([, parsed]) => !parsed.ok);
    if (wrong.length) {
      form.setFields(wrong.map(([name]) => ({ name: name as keyof EndpointValues, errors: [t('intake.notJson')] })));
      return;
    }
    setCreating(true);
    try {
      const body = {
        ...values, requester: values.requester?.trim() || undefined,
        mapping: boxes.mapping.ok ? boxes.mapping.value : {}, dedup_key: boxes.dedup_key.ok ? boxes.dedup_key.value : null,
        source_key: boxes.source_key.ok ? boxes.source_key.value : null,
      };
      const created = await api.post<Endpoint & { secret: string }>('/intake-endpoints', body);
      setCreateOpen(false);
      form.resetFields();
      setSecret({ endpoint: created, secret: created.secret });
      await load();
    } catch (error) {
      handleError(error, form);
    } finally {
      setCreating(false);
    }
  };

  const setActive = async (endpoint: Endpoint, active: boolean) => {
    try {
      await api.patch(`/intake-endpoints/${endpoint.id}`, { active });
      await load();
    } catch (error) {
      handleError(error);
    }
  };

  const columns: TableColumnsType<Endpoint> = [
    { title: t('intake.key'), dataIndex: 'key', key: 'key', render: (key: string) => <Typography.Text code>{key}</Typography.Text> },
    { title: t('intake.name'), dataIndex: 'name', key: 'name' },
    { title: t('intake.ticketType'), dataIndex: 'ticket_type', key: 'ticket_type', responsive: ['md'] },
    { title: t('intake.auth'), dataIndex: 'auth_mode', key: 'auth_mode', render: (mode: Endpoint['auth_mode']) => <Tag>{t(`intake.authMode.${mode}`)}</Tag>, responsive: ['sm'] },
    {
      title: t('intake.active'), key: 'active',
      render: (_, endpoint) => (
        <Switch size="small" checked={endpoint.active} aria-label={t('intake.activeNamed', { key: endpoint.key })}
          onChange={(checked) => void setActive(endpoint, checked)} />
      ),
    },
    {
      title: t('common.actions'), key: 'actions',
      render: (_, endpoint) => <Button size="small" onClick={() => setOpen(endpoint)}>{t('intake.open')}</Button>,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('intake.title')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreateOpen(true)}>{t('intake.new')}</Button>}
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t('intake.intro')}</Typography.Paragraph>
      </PageHeader>

      <Table<Endpoint> rowKey="id" columns={columns} dataSource={endpoints} loading={loading} pagination={false}
        scroll={{ x: 'max-content' }} locale={{ emptyText: t('intake.empty') }} />

      <Modal title={t('intake.new')} open={createOpen} onCancel={() => setCreateOpen(false)} okText={t('intake.create')}
        cancelText={t('common.cancel')} confirmLoading={creating} onOk={() => form.submit()} destroyOnHidden width={640}>
        <Form<EndpointValues> form={form} name="new-intake-endpoint" layout="vertical" onFinish={create} preserve={false}
          initialValues={{ auth_mode: 'hmac', on_duplicate: 'count', rate_per_minute: 600, mapping: EXAMPLE_MAPPING }}>
          <Form.Item label={t('intake.key')} name="key" extra={t('intake.keyHelp')}
            rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_-]{0,63}$/, message: t('intake.keyRule') }]}>
            <Input maxLength={64} autoFocus />
          </Form.Item>
          <Form.Item label={t('intake.name')} name="name" rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('intake.name') }) }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label={t('intake.ticketType')} name="ticket_type" rules={[{ required: true, message: t('validation.required', { field: t('intake.ticketType') }) }]}>
            <Select options={types.map((type) => ({ value: type.key, label: `${type.name} (${type.key})` }))} showSearch />
          </Form.Item>
          <Form.Item label={t('intake.requester')} name="requester" extra={t('intake.requesterHelp')}>
            <Input type="email" maxLength={320} />
          </Form.Item>
          <Form.Item label={t('intake.auth')} name="auth_mode">
            <Radio.Group options={[{ value: 'hmac', label: t('intake.authMode.hmac') }, { value: 'token', label: t('intake.authMode.token') }]} />
          </Form.Item>
          <Form.Item label={t('intake.mapping')} name="mapping" extra={t('intake.mappingHelp')}>
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 14 }} className="gd-code" spellCheck={false} />
          </Form.Item>
          <Form.Item label={t('intake.dedupKey')} name="dedup_key" extra={t('intake.dedupHelp')}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} className="gd-code" spellCheck={false} placeholder='{"cat": [{"var": "machine"}, "|", {"var": "code"}]}' />
          </Form.Item>
          <Form.Item label={t('intake.onDuplicate')} name="on_duplicate">
            <Select options={[{ value: 'count', label: t('intake.duplicate.count') }, { value: 'comment', label: t('intake.duplicate.comment') }]} />
          </Form.Item>
          <Form.Item label={t('intake.sourceKey')} name="source_key" extra={t('intake.sourceHelp')}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} className="gd-code" spellCheck={false} placeholder='{"var": "event_id"}' />
          </Form.Item>
          <Form.Item label={t('intake.rate')} name="rate_per_minute">
            <InputNumber min={1} max={100000} />
          </Form.Item>
        </Form>
      </Modal>

      <SecretModal shown={secret} onClose={() => setSecret(null)} />
      {open && <EndpointDrawer endpoint={open} onClose={() => setOpen(null)} onSecret={(value) => {
        setOpen(null); // the secret's dialog over a closed drawer: nothing else to click by mistake
        setSecret({ endpoint: open, secret: value });
      }} />}
    </>
  );
}

function SecretModal({ shown, onClose }: { shown: { endpoint: Endpoint; secret: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async () => {
    if (!shown) return;
    if (await copyText(shown.secret)) void message.success(t('tokens.copied'));
    else void message.warning(t('tokens.copyFailed'));
  };
  return (
    <Modal title={t('intake.createdTitle')} open={shown !== null} maskClosable={false} keyboard={false} onCancel={onClose}
      footer={<Button type="primary" onClick={onClose}>{t('tokens.done')}</Button>}>
      {shown && (
        <>
          <Alert type="warning" showIcon message={t('intake.secretWarning')} style={{ marginBottom: 16 }} />
          <Typography.Paragraph>
            {t(shown.endpoint.auth_mode === 'hmac' ? 'intake.secretHmac' : 'intake.secretToken', { key: shown.endpoint.key })}
          </Typography.Paragraph>
          <Input.TextArea aria-label={t('intake.secret')} className="gd-secret" value={shown.secret} readOnly autoSize
            onFocus={(event) => event.currentTarget.select()} />
          <Button icon={<CopyOutlined />} onClick={() => void copy()} style={{ marginTop: 12 }}>{t('tokens.copy')}</Button>
        </>
      )}
    </Modal>
  );
}

function EndpointDrawer({ endpoint, onClose, onSecret }: { endpoint: Endpoint; onClose: () => void; onSecret: (secret: string) => void }) {
  const { t } = useTranslation();
  const handleError = useErrorHandler();
  const replace = async () => {
    try {
      onSecret((await api.post<{ secret: string }>(`/intake-endpoints/${endpoint.id}/secret`)).secret);
    } catch (error) {
      handleError(error);
    }
  };
  return (
    <Drawer open title={`${endpoint.name} (${endpoint.key})`} onClose={onClose} width="min(760px, 100vw)" destroyOnHidden
      extra={
        <Popconfirm title={t('intake.replaceConfirm')} okText={t('intake.replace')} cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }} onConfirm={() => void replace()}>
          <Button size="small">{t('intake.replace')}</Button>
        </Popconfirm>
      }>
      <Tabs items={[
        { key: 'test', label: t('intake.testTab'), children: <MappingTest endpoint={endpoint} /> },
        { key: 'log', label: t('intake.logTab'), children: <CallLog endpoint={endpoint} /> },
      ]} />
    </Drawer>
  );
}

function MappingTest({ endpoint }: { endpoint: Endpoint }) {
  const { t } = useTranslation();
  const handleError = useErrorHandler();
  const [mapping, setMapping] = useState(toJsonBox(endpoint.mapping));
  const [payload, setPayload] = useState('{\n  "machine": "CNC-07",\n  "code": "E42",\n  "message": "Spindle overheating"\n}');
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<MappingResult | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    const parsedMapping = parseMapping(mapping);
    const parsedPayload = parseJsonBox(payload);
    if (!parsedMapping.ok || !parsedPayload.ok) {
      setProblem(t(parsedMapping.ok ? 'intake.payloadNotJson' : 'intake.notJson'));
      return;
    }
    setProblem(null);
    setRunning(true);
    try {
      setResult(await api.post<MappingResult>('/intake-mapping-test', {
        ticket_type: endpoint.ticket_type, mapping: parsedMapping.value, dedup_key: endpoint.dedup_key,
        source_key: endpoint.source_key, requester: endpoint.requester, endpoint_id: endpoint.id, payload: parsedPayload.value,
      }));
    } catch (error) {
      handleError(error);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text strong>{t('intake.mapping')}</Typography.Text>
      <Input.TextArea aria-label={t('intake.mapping')} value={mapping} onChange={(e) => setMapping(e.target.value)}
        autoSize={{ minRows: 4, maxRows: 14 }} className="gd-code" spellCheck={false} />
      <Typography.Text strong>{t('intake.samplePayload')}</Typography.Text>
      <Input.TextArea aria-label={t('intake.samplePayload')} value={payload} onChange={(e) => setPayload(e.target.value)}
        autoSize={{ minRows: 4, maxRows: 14 }} className="gd-code" spellCheck={false} />
      <Button type="primary" loading={running} onClick={() => void run()}>{t('intake.runTest')}</Button>
      {problem && <Alert type="error" showIcon message={problem} />}
      {result && (
        <>
          <Alert type={result.valid ? 'success' : 'error'} showIcon
            message={result.valid ? t(`intake.would.${result.would ?? 'create'}`, { ticket: result.ticket?.number ?? '' }) : t('intake.invalid', { count: result.errors.length })} />
          {!result.valid && (
            <ul className="gd-intake-errors">
              {result.errors.map((error) => (
                <li key={`${error.path}-${error.message}`}><Typography.Text code>{error.path || '/'}</Typography.Text> {error.message}</li>
              ))}
            </ul>
          )}
          <Descriptions size="small" column={1} bordered items={[
            { key: 'dedup', label: t('intake.dedupKey'), children: result.dedup_key ?? '—' },
            { key: 'source', label: t('intake.sourceKey'), children: result.source_key ?? '—' },
          ]} />
          <Typography.Text strong>{t('intake.mappedData')}</Typography.Text>
          <pre className="gd-code gd-intake-data">{JSON.stringify(result.data, null, 2)}</pre>
        </>
      )}
    </Space>
  );
}

function CallLog({ endpoint }: { endpoint: Endpoint }) {
  const { t } = useTranslation();
  const handleError = useErrorHandler();
  const formatDate = useDateTimeFormatter();
  const [calls, setCalls] = useState<Call[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async (after: string | null) => {
    setLoading(true);
    try {
      const page = await api.get<Page<Call>>('/intake-calls', { endpoint_id: endpoint.id, outcome, cursor: after, limit: 50 });
      setCalls((previous) => (after ? [...previous, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (error) {
      handleError(error);
    } finally {
      setLoading(false);
    }
  }, [endpoint.id, outcome, handleError]);

  useEffect(() => {
    void load(null);
  }, [load]);

  const columns: TableColumnsType<Call> = [
    { title: t('intake.at'), dataIndex: 'at', key: 'at', render: (at: string) => formatDate(at) },
    { title: t('intake.outcome'), dataIndex: 'outcome', key: 'outcome',
      render: (value: Call['outcome'], call) => <Tag color={OUTCOME_COLOURS[value]}>{t(`intake.outcomes.${value}`)} {call.status_code}</Tag> },
    { title: t('intake.ticket'), key: 'ticket',
      render: (_, call) => (call.ticket_id ? <a href={`/tickets/${call.ticket_id}`}>#{call.ticket_id}</a> : '—') },
    { title: t('intake.occurrences'), dataIndex: 'occurrences', key: 'occurrences', render: (n: number | null) => n ?? '—', responsive: ['sm'] },
    { title: t('intake.error'), dataIndex: 'error', key: 'error', render: (e: string | null) => e ?? '', responsive: ['md'] },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select allowClear placeholder={t('intake.allOutcomes')} value={outcome} onChange={setOutcome} style={{ minWidth: 200 }}
        aria-label={t('intake.outcome')}
        options={(['created', 'deduplicated', 'replayed', 'rejected'] as const).map((value) => ({ value, label: t(`intake.outcomes.${value}`) }))} />
      <Table<Call> rowKey="id" size="small" columns={columns} dataSource={calls} loading={loading} pagination={false}
        scroll={{ x: 'max-content' }} locale={{ emptyText: t('intake.noCalls') }} />
      {cursor && <Button onClick={() => void load(cursor)}>{t('intake.more')}</Button>}
    </Space>
  );
}
