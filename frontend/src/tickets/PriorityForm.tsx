import { App, Button, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { Ticket } from '../types';
import { useErrorHandler } from '../utils/errors';

interface Values {
  priority: string;
  reason: string;
}

/**
 * Staff set the priority by hand, with a reason (it then stays when the fields it depends on change), or
 * give it back to the definition, which recomputes it from the fields. The server records either in the
 * history and retargets the SLA clocks.
 */
export default function PriorityForm({ ticket, levels, onSaved }: { ticket: Ticket; levels: string[]; onSaved: (ticket: Ticket) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const set = ticket.priority_set ?? null;

  useEffect(() => {
    form.setFieldsValue({ priority: ticket.priority, reason: '' });
  }, [form, ticket.priority, ticket.row_version]);

  const send = async (body: { priority: string | null; priority_reason?: string }, done: string) => {
    setBusy(true);
    try {
      const updated = await api.patch<Ticket>(`/tickets/${ticket.id}`, body, { headers: { 'If-Match': `"${ticket.row_version}"` } });
      void message.success(done);
      onSaved(updated);
    } catch (error) {
      handleError(error, form, { priority_reason: 'reason' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      name="priority"
      className="gd-priority-form"
      onFinish={(values) => void send({ priority: values.priority, priority_reason: values.reason.trim() }, t('priority.saved'))}
    >
      <Typography.Paragraph type="secondary" className="gd-small" data-testid="priority-source">
        {!set
          ? t('priority.automatic')
          : set.by
            ? t(set.reason ? 'priority.setBy' : 'priority.setByNoReason', { name: set.by.name, reason: set.reason })
            : t('priority.raisedByEscalation')}
      </Typography.Paragraph>
      <Form.Item name="priority" label={t('tickets.priority')} rules={[{ required: true }]}>
        <Select options={levels.map((level) => ({ value: level, label: level }))} />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('priority.reason')}
        rules={[{ required: true, whitespace: true, message: t('priority.reasonRequired') }, { max: 500 }]}
      >
        <Input placeholder={t('priority.reasonPlaceholder')} maxLength={500} />
      </Form.Item>
      <Space wrap>
        <Button htmlType="submit" loading={busy}>
          {t('priority.save')}
        </Button>
        {set && (
          <Button onClick={() => void send({ priority: null }, t('priority.backToAutomaticDone'))} disabled={busy}>
            {t('priority.backToAutomatic')}
          </Button>
        )}
      </Space>
    </Form>
  );
}
