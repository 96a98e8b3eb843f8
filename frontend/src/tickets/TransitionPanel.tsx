import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fieldFromPath } from '../api';
import type { Ticket, TransitionOption, ValueOption } from '../types';
import { describeApiError, useErrorHandler } from '../utils/errors';

interface Props {
  ticket: Ticket;
  options: TransitionOption[];
  /** Staff see every transition, blocked ones with their reasons; requesters only what they may take. */
  staff: boolean;
  onDone: (ticket: Ticket) => void;
}

type FieldSchema = {
  type?: string;
  title?: string;
  enum?: unknown[];
  oneOf?: { const?: unknown; title?: string }[];
  description?: string;
  minLength?: number;
  maxLength?: number;
};

/** A field's fixed values with their labels: the server's (in the reader's language), else the schema's. */
function choices(schema: FieldSchema | null, options?: ValueOption[]): ValueOption[] | null {
  if (options?.length) return options;
  if (schema?.oneOf?.every((option) => option && 'const' in option)) {
    return schema.oneOf.map((option) => ({ value: option.const, label: option.title ?? String(option.const) }));
  }
  return schema?.enum ? schema.enum.map((value) => ({ value, label: String(value) })) : null;
}

/** An input for a transition field; Form.Item passes id, value and onChange through to the control. */
function FieldInput({
  schema,
  options,
  ...control
}: {
  schema: FieldSchema | null;
  options?: ValueOption[];
  id?: string;
  value?: unknown;
  onChange?: (value: unknown) => void;
}) {
  const props = control as Record<string, unknown>;
  const fixed = choices(schema, options);
  if (fixed) return <Select {...props} options={fixed.map((option) => ({ value: option.value as string, label: option.label }))} />;
  if (schema?.type === 'integer' || schema?.type === 'number') return <InputNumber {...props} style={{ width: '100%' }} />;
  if (schema?.type === 'boolean') return <Switch {...props} />;
  return <Input.TextArea {...props} autoSize={{ minRows: 2, maxRows: 8 }} maxLength={schema?.maxLength} />;
}

/**
 * The transitions out of the ticket's state (GET …/transitions): allowed ones as buttons, blocked ones
 * disabled with the explainer's reasons. Taking one opens a dialog that asks only for its required
 * fields and checklist, and shows the server's refusal on the fields it names.
 */
export default function TransitionPanel({ ticket, options, staff, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [open, setOpen] = useState<TransitionOption | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [form] = Form.useForm();

  const shown = staff ? options : options.filter((o) => o.allowed);
  if (!shown.length) return null;

  const take = async (option: TransitionOption, values: Record<string, unknown>) => {
    setBusy(true);
    setRefusal(null);
    const fields: Record<string, unknown> = {};
    for (const req of option.requires) {
      const value = typeof values[req.field] === 'string' ? (values[req.field] as string).trim() : values[req.field];
      if (req.field !== 'comment' && value !== undefined && value !== '') fields[req.field] = value;
    }
    const body = {
      fields,
      checklist: (values.checklist as string[] | undefined) ?? [],
      comment: (values.comment as string | undefined)?.trim() || undefined,
      internal: !!values.internal,
    };
    try {
      const updated = await api.post<Ticket>(`/tickets/${ticket.id}/transitions/${encodeURIComponent(option.key)}`, body, {
        headers: { 'If-Match': `"${ticket.row_version}"` },
      });
      setOpen(null);
      form.resetFields();
      void message.success(t('transitions.done', { name: option.name, state: option.to_name }));
      onDone(updated);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 422 || error.status === 403 || error.status === 409 || error.status === 412)) {
        setRefusal(describeApiError(error, t));
        const byField = new Map<string, string[]>();
        for (const detail of error.details) {
          const path = detail.path ?? '';
          const name = path === '/comment' ? 'comment' : path === '/checklist' ? 'checklist' : path.startsWith('/fields/') ? fieldFromPath(path.slice(7)) : null;
          if (name) byField.set(name, [...(byField.get(name) ?? []), detail.message]);
        }
        form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
      } else {
        handleError(error);
      }
    } finally {
      setBusy(false);
    }
  };

  const start = (option: TransitionOption) => {
    if (!option.requires.length && !option.checklist.length) {
      void take(option, {});
      return;
    }
    form.resetFields();
    setRefusal(null);
    setOpen(option);
  };

  return (
    <section aria-labelledby="transitions-title" className="gd-transitions gd-panel">
      <Typography.Title level={2} id="transitions-title" className="gd-section-title">
        {t('transitions.title')}
      </Typography.Title>
      <Space wrap>
        {shown.map((option) => (
          <Button
            key={option.key}
            type={option.allowed ? 'primary' : 'default'}
            disabled={!option.allowed || busy}
            aria-describedby={option.allowed ? undefined : `blocked-${option.key}`}
            onClick={() => start(option)}
          >
            {option.name}
          </Button>
        ))}
      </Space>
      {shown.some((o) => !o.allowed) && (
        <ul className="gd-blocked-reasons">
          {shown
            .filter((o) => !o.allowed)
            .map((option) => (
              <li key={option.key} id={`blocked-${option.key}`}>
                <strong>{t('transitions.blocked', { name: option.name })}</strong> {option.reasons.map((r) => r.message).join(' ')}
              </li>
            ))}
        </ul>
      )}
      <Modal
        open={!!open}
        title={open ? t('transitions.dialogTitle', { name: open.name, state: open.to_name }) : ''}
        okText={open?.name}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        {refusal && <Alert type="error" showIcon role="alert" message={refusal} style={{ marginBottom: 12 }} />}
        {open && (
          <Form form={form} name="transition" layout="vertical" onFinish={(values) => void take(open, values)} requiredMark>
            {open.requires.map((req) =>
              req.field === 'comment' ? (
                <Form.Item
                  key="comment"
                  name="comment"
                  label={t('transitions.comment')}
                  rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('comments.noun') }) }]}
                >
                  <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
                </Form.Item>
              ) : (
                <Form.Item
                  key={req.field}
                  name={req.field}
                  label={req.title}
                  extra={(req.schema as FieldSchema | null)?.description}
                  rules={[{ required: true, whitespace: true, message: t('validation.required', { field: req.title }) }]}
                  valuePropName={(req.schema as FieldSchema | null)?.type === 'boolean' ? 'checked' : 'value'}
                >
                  <FieldInput schema={req.schema as FieldSchema | null} options={req.options} />
                </Form.Item>
              ),
            )}
            {open.checklist.length > 0 && (
              <Form.Item
                name="checklist"
                label={t('transitions.checklist')}
                rules={[
                  {
                    validator: (_, value: string[] | undefined) =>
                      (value?.length ?? 0) === open.checklist.length ? Promise.resolve() : Promise.reject(new Error(t('transitions.checkAll'))),
                  },
                ]}
              >
                <Checkbox.Group
                  className="gd-checklist"
                  options={open.checklist.map((item, index) => ({ value: open.checklist_keys?.[index] ?? item, label: item }))}
                />
              </Form.Item>
            )}
            {staff && open.requires.some((r) => r.field === 'comment') && (
              <Form.Item name="internal" valuePropName="checked">
                <Checkbox>{t('comments.internal')}</Checkbox>
              </Form.Item>
            )}
          </Form>
        )}
      </Modal>
    </section>
  );
}
