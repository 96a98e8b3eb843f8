import { CopyOutlined, PlusOutlined } from '../icons';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useAuth } from '../auth/AuthContext';
import PageHeader from '../components/PageHeader';
import type { ApiToken, ItemList, NewApiToken } from '../types';
import { copyText } from '../utils/clipboard';
import { useErrorHandler } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import { nowInZone, wallTimeToIso } from '../utils/timezones';

interface NewTokenValues {
  name: string;
  expires_at?: Dayjs | null;
}

function tokenState(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revoked_at) return 'revoked';
  if (token.expires_at && Date.parse(token.expires_at) <= Date.now()) return 'expired';
  return 'active';
}

export default function TokensPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const formatDate = useDateTimeFormatter();
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [loading, setLoading] = useState(true);
  const [createOpen, setCreateOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const [form] = Form.useForm<NewTokenValues>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const list = await api.get<ItemList<ApiToken>>('/auth/tokens');
      setTokens(list.items);
    } catch (error) {
      handleError(error);
    } finally {
      setLoading(false);
    }
  }, [handleError]);

  useEffect(() => {
    void load();
  }, [load]);

  const create = async (values: NewTokenValues) => {
    setCreating(true);
    try {
      const body: { name: string; expires_at?: string } = { name: values.name.trim() };
      if (values.expires_at) body.expires_at = wallTimeToIso(values.expires_at, user?.time_zone);
      const result = await api.post<NewApiToken>('/auth/tokens', body);
      setCreateOpen(false);
      form.resetFields();
      setCreated(result);
      setTokens((prev) => [result.token, ...prev.filter((tok) => tok.id !== result.token.id)]);
    } catch (error) {
      handleError(error, form);
    } finally {
      setCreating(false);
    }
  };

  const revoke = async (token: ApiToken) => {
    try {
      await api.delete(`/auth/tokens/${token.id}`);
      void message.success(t('tokens.revoked', { name: token.name }));
      await load();
    } catch (error) {
      handleError(error);
    }
  };

  const copySecret = async () => {
    if (!created) return;
    const ok = await copyText(created.secret);
    if (ok) void message.success(t('tokens.copied'));
    else void message.warning(t('tokens.copyFailed'));
  };

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('tokens.prefix'),
      dataIndex: 'prefix',
      key: 'prefix',
      render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text>,
    },
    {
      title: t('tokens.status'),
      key: 'status',
      render: (_, token) => {
        const state = tokenState(token);
        const color = state === 'active' ? 'green' : state === 'expired' ? 'orange' : 'default';
        return <Tag color={color}>{t(`tokens.state.${state}`)}</Tag>;
      },
    },
    { title: t('tokens.created'), dataIndex: 'created_at', key: 'created_at', render: (v: string) => formatDate(v), responsive: ['md'] },
    {
      title: t('tokens.lastUsed'),
      dataIndex: 'last_used_at',
      key: 'last_used_at',
      render: (v: string | null) => (v ? formatDate(v) : t('common.never')),
      responsive: ['sm'],
    },
    {
      title: t('tokens.expires'),
      dataIndex: 'expires_at',
      key: 'expires_at',
      render: (v: string | null) => (v ? formatDate(v) : t('common.never')),
      responsive: ['md'],
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, token) =>
        token.revoked_at ? null : (
          <Popconfirm
            title={t('tokens.revokeConfirmTitle', { name: token.name })}
            description={t('tokens.revokeConfirmText')}
            okText={t('tokens.revoke')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => revoke(token)}
          >
            <Button danger size="small" aria-label={t('tokens.revokeNamed', { name: token.name })}>
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('tokens.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreateOpen(true)}>
            {t('tokens.new')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('tokens.intro')} <a href="/api/v1/docs">{t('tokens.docsLink')}</a>
        </Typography.Paragraph>
      </PageHeader>

      <Table<ApiToken>
        rowKey="id"
        columns={columns}
        dataSource={tokens}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tokens.empty') }}
      />

      <Modal
        title={t('tokens.new')}
        open={createOpen}
        onCancel={() => setCreateOpen(false)}
        okText={t('tokens.create')}
        cancelText={t('common.cancel')}
        confirmLoading={creating}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form<NewTokenValues> form={form} name="new-token" layout="vertical" onFinish={create} preserve={false}>
          <Form.Item
            label={t('tokens.name')}
            name="name"
            extra={t('tokens.nameHelp')}
            rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('tokens.name') }) }]}
          >
            <Input maxLength={100} autoFocus />
          </Form.Item>
          <Form.Item
            label={t('tokens.expiresAt')}
            name="expires_at"
            extra={t('tokens.expiresHelp', { zone: user?.time_zone ?? '' })}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
              disabledDate={(d) => d.isBefore(nowInZone(user?.time_zone), 'day')}
              placeholder={t('common.never')}
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('tokens.createdTitle')}
        open={created !== null}
        closable
        maskClosable={false}
        keyboard={false}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('tokens.done')}
          </Button>
        }
      >
        {created && (
          <>
            <Alert type="warning" showIcon message={t('tokens.secretWarning')} style={{ marginBottom: 16 }} />
            <Typography.Paragraph>{t('tokens.secretLabel', { name: created.token.name })}</Typography.Paragraph>
            <Input.TextArea
              aria-label={t('tokens.secret')}
              className="gd-secret"
              value={created.secret}
              readOnly
              autoSize
              onFocus={(event) => event.currentTarget.select()}
            />
            <Button icon={<CopyOutlined />} onClick={() => void copySecret()} style={{ marginTop: 12 }}>
              {t('tokens.copy')}
            </Button>
          </>
        )}
      </Modal>
    </>
  );
}
