import { App, Button, Empty, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api';
import type { LinkList, TicketRef } from '../types';
import { useErrorHandler } from '../utils/errors';

const KINDS = ['relates_to', 'duplicates', 'blocks'] as const;

function Ref({ ticket }: { ticket: TicketRef }) {
  return (
    <Link to={`/tickets/${ticket.id}`}>
      {ticket.number} · {ticket.title}
    </Link>
  );
}

/** Parent, child and linked tickets (only those the user may see); staff can link another ticket. */
export default function LinksList({ ticketId, links, staff, onLinked }: { ticketId: number; links: LinkList | null; staff: boolean; onLinked: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [form] = Form.useForm<{ ticket: string; kind: string }>();
  const [busy, setBusy] = useState(false);
  const empty = !links || (!links.parent && !links.children.length && !links.items.length);

  const add = async (values: { ticket: string; kind: string }) => {
    setBusy(true);
    try {
      await api.post(`/tickets/${ticketId}/links`, { ticket: values.ticket.trim().toUpperCase(), kind: values.kind });
      form.resetFields();
      void message.success(t('links.added'));
      onLinked();
    } catch (error) {
      handleError(error, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {empty ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('links.none')} />
      ) : (
        <ul className="gd-plain-list">
          {links.parent && (
            <li>
              {t('links.parent')}: <Ref ticket={links.parent} />
            </li>
          )}
          {links.children.map((child) => (
            <li key={`c${child.id}`}>
              {t('links.child')}: <Ref ticket={child} />
            </li>
          ))}
          {links.items.map((link) => (
            <li key={`${link.kind}-${link.direction}-${link.ticket.id}`}>
              {t(`links.kind.${link.kind as (typeof KINDS)[number]}`, { defaultValue: link.kind })}
              {link.direction === 'incoming' ? ` (${t('links.incoming')})` : ''}: <Ref ticket={link.ticket} />
            </li>
          ))}
        </ul>
      )}
      {staff && (
        <Form form={form} name="link" layout="vertical" initialValues={{ kind: 'relates_to' }} onFinish={(values) => void add(values)} className="gd-link-form">
          <Form.Item name="kind" label={t('links.kindLabel')}>
            <Select options={KINDS.map((kind) => ({ value: kind, label: t(`links.kind.${kind}`) }))} />
          </Form.Item>
          <Form.Item
            name="ticket"
            label={t('links.ticketNumber')}
            rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('links.ticketNumber') }) }]}
          >
            <Input placeholder="INC-000123" autoComplete="off" />
          </Form.Item>
          <Button htmlType="submit" loading={busy}>
            {t('links.add')}
          </Button>
        </Form>
      )}
    </>
  );
}
