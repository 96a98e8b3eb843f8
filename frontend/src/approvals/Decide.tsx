import { App, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import './i18n';
import { ApiError, api } from '../api';
import { useAuth } from '../auth/AuthContext';
import { CheckOutlined } from '../icons';
import { CloseOutlined } from './icons';
import type { Approval } from '../types';
import { useErrorHandler } from '../utils/errors';

type Decision = 'approve' | 'reject';

/**
 * Approve and Reject for one approval: each opens a small dialog for the comment (required to reject), then
 * decides. A decision someone made first (409) is reported and the caller reloads.
 */
export default function DecideButtons({ approval, onDone, block }: { approval: Approval; onDone: () => void; block?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [open, setOpen] = useState<Decision | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ comment: string }>();
  const { user } = useAuth();
  // the server decides for the reader's own row first, else for the first person away who delegated to them
  const own = approval.approvers.some((a) => a.user.id === user?.id && a.decision === null);
  const behalf = !own ? (approval.on_behalf_of[0] ?? null) : null;

  const decide = async ({ comment }: { comment?: string }) => {
    if (!open) return;
    setBusy(true);
    try {
      await api.post(`/approvals/${approval.id}/decision`, { decision: open, comment: comment?.trim() || null });
      void message.success(t(open === 'approve' ? 'approvals.approvedDone' : 'approvals.rejectedDone', { number: approval.ticket.number }));
      setOpen(null);
      form.resetFields();
      onDone();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        void message.warning(error.message);
        setOpen(null);
        onDone();
      } else {
        handleError(error, form);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Space wrap className={block ? 'gd-decide gd-decide-block' : 'gd-decide'}>
        <Button type="primary" icon={<CheckOutlined />} onClick={() => setOpen('approve')} aria-label={t('approvals.approveTicket', { number: approval.ticket.number })}>
          {t('approvals.approve')}
        </Button>
        <Button danger icon={<CloseOutlined />} onClick={() => setOpen('reject')} aria-label={t('approvals.rejectTicket', { number: approval.ticket.number })}>
          {t('approvals.reject')}
        </Button>
      </Space>
      <Modal
        open={open !== null}
        title={t(open === 'reject' ? 'approvals.rejectTitle' : 'approvals.approveTitle', { number: approval.ticket.number })}
        okText={t(open === 'reject' ? 'approvals.reject' : 'approvals.approve')}
        okButtonProps={{ danger: open === 'reject', loading: busy }}
        cancelText={t('common.cancel')}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <p>{approval.ticket.title}</p>
        {behalf && <p className="gd-small">{t('approvals.onBehalfOf', { name: behalf.name })}</p>}
        <Form form={form} layout="vertical" onFinish={(values) => void decide(values)}>
          <Form.Item
            name="comment"
            label={t(open === 'reject' ? 'approvals.reason' : 'approvals.comment')}
            rules={open === 'reject' ? [{ required: true, whitespace: true, message: t('approvals.reasonRequired') }] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
