// /designer — every ticket type with its state (draft only, published vN, draft ahead of vN), who
// saved it last and when; new (blank or a copy), open, export, import (every error listed).
import { Alert, App, Button, Card, Form, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, api } from '../api';
import LoadMore from '../components/LoadMore';
import { useCursorList } from '../hooks';
import { useIsDesktop } from '../layout/useMediaQuery';
import type { UserRef } from '../types';
import { useErrorHandler } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import { usePageTitle } from '../utils/usePageTitle';
import './designer.css';
import './i18n';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from './icons';
import { baseKey } from './model/keys';

export interface TypeRow {
  key: string;
  name: string;
  description: string;
  number_prefix: string;
  latest_version: number | null;
  archived: boolean;
  updated_at: string;
  draft?: { revision: number; updated_at: string; updated_by: UserRef | null; differs_from_published: boolean } | null;
}

/** A type key and a number prefix suggested from a name ("After-sales repair" -> after-sales-repair, ASR). */
export function suggestKeys(name: string): { key: string; prefix: string } {
  const words = baseKey(name, 'type').split('_');
  const key = words.join('-').slice(0, 64);
  let prefix = words.map((w) => w[0]!.toUpperCase()).join('').replace(/[^A-Z0-9]/g, '');
  if (!/^[A-Z]/.test(prefix)) prefix = `T${prefix}`;
  if (prefix.length < 2) prefix = (words[0] ?? 'TT').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 3).padEnd(2, 'X');
  return { key, prefix: prefix.slice(0, 10) };
}

function StateTag({ row }: { row: TypeRow }) {
  const { t } = useTranslation('designer');
  if (row.latest_version === null) return <Tag color="gold">{t('home.draftOnly')}</Tag>;
  if (row.draft?.differs_from_published) return <Tag color="blue">{t('home.draftAhead', { version: row.latest_version })}</Tag>;
  return <Tag color="green">{t('home.published', { version: row.latest_version })}</Tag>;
}

interface NewValues {
  name: string;
  key: string;
  number_prefix: string;
  copy_of?: string;
}

function NewTypeDialog({ open, onClose, types, copyOf }: { open: boolean; onClose: () => void; types: TypeRow[]; copyOf: string | null }) {
  const { t } = useTranslation('designer');
  const [form] = Form.useForm<NewValues>();
  const [busy, setBusy] = useState(false);
  const handleError = useErrorHandler();
  const navigate = useNavigate();
  const touched = useRef({ key: false, prefix: false });
  useEffect(() => {
    if (open) touched.current = { key: false, prefix: false };
  }, [open]);
  return (
    <Modal
      open={open}
      title={copyOf ? t('home.copyTitle') : t('home.newTitle')}
      onCancel={onClose}
      okText={t('home.create')}
      confirmLoading={busy}
      destroyOnClose
      onOk={() => form.submit()}
    >
      <Form<NewValues>
        form={form}
        preserve={false}
        initialValues={{ copy_of: copyOf ?? undefined }}
        layout="vertical"
        onValuesChange={(changed: Partial<NewValues>) => {
          if (changed.key !== undefined) touched.current.key = true;
          if (changed.number_prefix !== undefined) touched.current.prefix = true;
          if (changed.name !== undefined) {
            const s = suggestKeys(changed.name);
            if (!touched.current.key) form.setFieldValue('key', s.key);
            if (!touched.current.prefix) form.setFieldValue('number_prefix', s.prefix);
          }
        }}
        onFinish={async (values) => {
          setBusy(true);
          try {
            let definition: unknown;
            if (values.copy_of) {
              const source = await api.get<{ definition: Record<string, unknown> }>(`/ticket-types/${encodeURIComponent(values.copy_of)}/draft`);
              definition = source.definition;
            }
            await api.post('/ticket-types', { name: values.name, key: values.key, number_prefix: values.number_prefix, ...(definition ? { definition } : {}) });
            onClose();
            navigate(`/designer/${encodeURIComponent(values.key)}`);
          } catch (error) {
            handleError(error, form);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="copy_of" label={t('home.copyOf')}>
          <Select allowClear placeholder={t('home.blank')} options={types.map((row) => ({ value: row.key, label: `${row.name} (${row.key})` }))} />
        </Form.Item>
        <Form.Item name="name" label={t('home.name')} rules={[{ required: true, message: t('home.nameRequired') }]}>
          <Input autoFocus maxLength={200} />
        </Form.Item>
        <Form.Item name="key" label={t('home.key')} extra={t('home.keyHelp')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_-]{0,63}$/, message: t('home.keyPattern') }]}>
          <Input className="gd-mono" />
        </Form.Item>
        <Form.Item name="number_prefix" label={t('home.prefix')} extra={t('home.prefixHelp')} rules={[{ required: true, pattern: /^[A-Z][A-Z0-9]{1,9}$/, message: t('home.prefixPattern') }]}>
          <Input className="gd-mono" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function DesignerHome() {
  const { t } = useTranslation('designer');
  usePageTitle(t('home.title'));
  const { message } = App.useApp();
  const formatDateTime = useDateTimeFormatter();
  const isDesktop = useIsDesktop();
  const { items, loading, loadingMore, nextCursor, loadMore, reload } = useCursorList<TypeRow>('/ticket-types', {}, 100);
  const [newOpen, setNewOpen] = useState<{ copyOf: string | null } | null>(null);
  const [importErrors, setImportErrors] = useState<{ message: string; details: { path?: string; message: string }[] } | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const onImport = async (selected: File | undefined) => {
    if (!selected) return;
    setImportErrors(null);
    let document: unknown;
    try {
      document = JSON.parse(await selected.text());
    } catch (error) {
      setImportErrors({ message: t('home.importNotJson', { name: selected.name }), details: [{ message: error instanceof Error ? error.message : String(error) }] });
      return;
    }
    try {
      const created = await api.post<TypeRow>('/ticket-types/import', document, { query: { publish: false } });
      void message.success(t('home.imported', { name: created.name }));
      void reload();
    } catch (error) {
      if (error instanceof ApiError) setImportErrors({ message: error.message, details: error.details });
      else setImportErrors({ message: String(error), details: [] });
    }
  };

  const saved = (row: TypeRow) =>
    row.draft ? t('home.savedBy', { time: formatDateTime(row.draft.updated_at), name: row.draft.updated_by?.name ?? '—' }) : formatDateTime(row.updated_at);
  const exportHref = (row: TypeRow) => `/api/v1/ticket-types/${encodeURIComponent(row.key)}/export${row.latest_version === null ? '?version=draft' : ''}`;
  const actions = (row: TypeRow) => (
    <Space wrap size="small">
      <Link to={`/designer/${encodeURIComponent(row.key)}`}>
        <Button type="primary" size="small">
          {t('home.open')}
        </Button>
      </Link>
      <Button size="small" onClick={() => setNewOpen({ copyOf: row.key })} aria-label={t('home.copyNamed', { name: row.name })}>
        {t('home.copy')}
      </Button>
      <a href={exportHref(row)} download aria-label={t('home.exportNamed', { name: row.name })}>
        <Button size="small" icon={<DownloadOutlined />} tabIndex={-1}>
          {t('home.export')}
        </Button>
      </a>
    </Space>
  );

  return (
    <div className="gd-designer-home">
      <div className="gd-page-header-row">
        <Typography.Title level={1}>{t('home.title')}</Typography.Title>
        <Space wrap>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setNewOpen({ copyOf: null })}>
            {t('home.new')}
          </Button>
          <Button icon={<UploadOutlined />} onClick={() => file.current?.click()}>
            {t('home.import')}
          </Button>
          <input ref={file} type="file" accept="application/json,.json" className="gd-visually-hidden" tabIndex={-1} aria-hidden data-testid="import-file" onChange={(e) => { void onImport(e.target.files?.[0]); e.target.value = ''; }} />
        </Space>
      </div>
      <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
      {importErrors && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setImportErrors(null)}
          message={importErrors.message}
          description={
            importErrors.details.length > 0 && (
              <List
                size="small"
                className="gd-import-errors"
                dataSource={importErrors.details}
                renderItem={(d) => (
                  <List.Item>
                    {d.path && <code>{d.path}</code>} {d.message}
                  </List.Item>
                )}
              />
            )
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {isDesktop ? (
        <Table<TypeRow>
          rowKey="key"
          loading={loading}
          dataSource={items}
          pagination={false}
          columns={[
            { title: t('home.name'), key: 'name', render: (_, row) => <Link to={`/designer/${encodeURIComponent(row.key)}`}>{row.name}</Link> },
            { title: t('home.key'), dataIndex: 'key', render: (key: string) => <code>{key}</code> },
            { title: t('home.state'), key: 'state', render: (_, row) => <StateTag row={row} /> },
            { title: t('home.lastSaved'), key: 'saved', render: (_, row) => saved(row) },
            { title: t('home.actions'), key: 'actions', render: (_, row) => actions(row) },
          ]}
        />
      ) : (
        <List
          loading={loading}
          dataSource={items}
          renderItem={(row) => (
            <Card size="small" className="gd-type-card" title={row.name} extra={<StateTag row={row} />} style={{ marginBottom: 8 }}>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                <code>{row.key}</code> · {saved(row)}
              </Typography.Paragraph>
              {actions(row)}
            </Card>
          )}
        />
      )}
      <LoadMore visible={!!nextCursor} loading={loadingMore} onClick={() => void loadMore()} />
      <NewTypeDialog open={!!newOpen} copyOf={newOpen?.copyOf ?? null} onClose={() => setNewOpen(null)} types={items} />
    </div>
  );
}
