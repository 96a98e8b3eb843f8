import { App, Button, Checkbox, Form, Mentions } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useReadOnly } from '../auth/AuthContext';
import { SendOutlined } from '../icons';
import type { Comment, ItemList, UserRef } from '../types';
import { useErrorHandler } from '../utils/errors';
import { newIdempotencyKey } from '../utils/idempotency';

/** Text put into the reply from elsewhere on the page ("Insert into reply"); a new ``seq`` inserts again. */
export interface Insertion {
  text: string;
  seq: number;
}

/** Write a comment; staff may make it internal and @mention colleagues who can see the ticket. */
export default function CommentBox({ ticketId, staff, onAdded, insertion }: {
  ticketId: number;
  staff: boolean;
  onAdded: (comment: Comment) => void;
  insertion?: Insertion;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const readOnly = useReadOnly();
  const [form] = Form.useForm<{ body: string; internal: boolean }>();
  const [people, setPeople] = useState<UserRef[]>([]);
  const [busy, setBusy] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const wrapper = useRef<HTMLDivElement>(null);
  // Sending the same text again after an error (a timeout, a dropped connection) carries the same key: if the first
  // attempt was saved after all, the server answers with that comment instead of writing it twice.
  const attempt = useRef<{ text: string; key: string } | null>(null);

  // an inserted article goes at the end of the public reply (never into an internal note)
  useEffect(() => {
    if (!insertion) return;
    const current = (form.getFieldValue('body') as string | undefined)?.trimEnd() ?? '';
    form.setFieldsValue({ body: current ? `${current}\n\n${insertion.text}` : insertion.text, internal: false });
    wrapper.current?.scrollIntoView?.({ block: 'nearest' });
  }, [insertion, form]);

  const search = (q: string) => {
    if (!staff) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      api.get<ItemList<UserRef>>(`/tickets/${ticketId}/mentionable`, { q, limit: 8 }).then((page) => setPeople(page.items), () => setPeople([]));
    }, 200);
  };

  const submit = async ({ body, internal }: { body: string; internal: boolean }) => {
    setBusy(true);
    try {
      const payload = { body: body.trim(), internal: !!internal };
      const text = JSON.stringify(payload);
      if (attempt.current?.text !== text) attempt.current = { text, key: newIdempotencyKey() };
      const comment = await api.post<Comment>(`/tickets/${ticketId}/comments`, payload, {
        headers: { 'Idempotency-Key': attempt.current.key },
      });
      attempt.current = null;
      form.resetFields();
      void message.success(internal ? t('comments.addedInternal') : t('comments.added'));
      onAdded(comment);
    } catch (error) {
      handleError(error, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div ref={wrapper}>
    <Form form={form} layout="vertical" onFinish={(values) => void submit(values)} className="gd-comment-form">
      <Form.Item
        name="body"
        label={t('comments.label')}
        extra={staff ? t('comments.mentionHelp') : undefined}
        rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('comments.noun') }) }]}
      >
        <Mentions
          autoSize={{ minRows: 3, maxRows: 10 }}
          prefix="@"
          onSearch={(q) => search(q)}
          options={people.map((person) => ({ value: person.email, label: `${person.name} <${person.email}>`, key: String(person.id) }))}
          notFoundContent={staff ? t('comments.noPeople') : null}
        />
      </Form.Item>
      <div className="gd-form-buttons">
        {staff && (
          <Form.Item name="internal" valuePropName="checked" noStyle>
            <Checkbox>{t('comments.internal')}</Checkbox>
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={busy} disabled={readOnly}>
          {t('comments.submit')}
        </Button>
      </div>
    </Form>
    </div>
  );
}
