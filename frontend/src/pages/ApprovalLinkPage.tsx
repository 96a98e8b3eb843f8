import { Alert, Button, Descriptions, Form, Input, Result, Skeleton, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, api, fieldFromPath } from '../api';
import { ApprovalStatus } from '../approvals/ApprovalCard';
import '../approvals/approvals.css';
import '../approvals/i18n';
import { CloseOutlined } from '../approvals/icons';
import { CheckOutlined } from '../icons';
import type { Approval, ApprovalLinkInfo } from '../types';
import { describeApiError } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import { usePageTitle } from '../utils/usePageTitle';
import { Shell } from './PasswordPages';

type Decision = 'approve' | 'reject';

/**
 * The page a one-click approval link opens (from an e-mail or a chat message): it shows what the link decides
 * and asks to confirm, with an optional comment (required to reject). Opening it decides nothing; the button
 * does. A link that was changed or has expired says so and points to the ticket.
 */
export default function ApprovalLinkPage() {
  const { t } = useTranslation();
  const format = useDateTimeFormatter();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [info, setInfo] = useState<ApprovalLinkInfo | null>(null);
  const [invalid, setInvalid] = useState<string | null>(token ? null : t('approvalLink.invalid'));
  const [done, setDone] = useState<{ approval: Approval; decision: Decision } | null>(null);
  const [closed, setClosed] = useState<string | null>(null);
  const [busy, setBusy] = useState<Decision | null>(null);
  const [form] = Form.useForm<{ comment: string }>();
  usePageTitle(t('approvalLink.title'));

  useEffect(() => {
    if (!token) return;
    api.get<ApprovalLinkInfo>('/approval-links', { token }, { skipAuthRedirect: true }).then(setInfo, (error) => {
      setInvalid(error instanceof ApiError ? error.message : t('errors.unexpected'));
    });
  }, [token, t]);

  const decide = async (decision: Decision) => {
    const comment = (form.getFieldValue('comment') as string | undefined)?.trim() ?? '';
    if (decision === 'reject' && !comment) {
      form.setFields([{ name: 'comment', errors: [t('approvals.reasonRequired')] }]);
      return;
    }
    setBusy(decision);
    try {
      const body = { token, comment: comment || null, ...(info?.decision ? {} : { decision }) };
      setDone({ approval: await api.post<Approval>('/approval-links', body, { skipAuthRedirect: true }), decision });
    } catch (error) {
      if (error instanceof ApiError && error.status === 410) setInvalid(error.message);
      else if (error instanceof ApiError && (error.status === 409 || error.status === 403)) setClosed(error.message);
      else if (error instanceof ApiError && error.details.some((d) => fieldFromPath(d.path) === 'comment')) {
        form.setFields([{ name: 'comment', errors: error.details.filter((d) => fieldFromPath(d.path) === 'comment').map((d) => d.message) }]);
      } else setClosed(error instanceof ApiError ? describeApiError(error, t) : t('errors.unexpected'));
    } finally {
      setBusy(null);
    }
  };

  const title = t('approvalLink.title');
  if (invalid) {
    return (
      <Shell title={title}>
        <Alert type="error" showIcon role="alert" message={invalid} description={t('approvalLink.invalidMore')} />
      </Shell>
    );
  }
  if (!info) return <Shell title={title}><Skeleton active /></Shell>;
  const { approval } = info;
  const ticketLink = <Link to={`/tickets/${approval.ticket.id}`}>{t('approvalLink.openTicket', { number: approval.ticket.number })}</Link>;
  if (done) {
    return (
      <Shell title={title}>
        <Result
          status={done.decision === 'reject' ? 'warning' : 'success'}
          // a non-breaking hyphen: the ticket number stays on one line in the narrow card
          title={t(done.decision === 'reject' ? 'approvalLink.rejected' : 'approvalLink.approved', { number: approval.ticket.number.replace(/-/g, '\u2011') })}
          subTitle={t('approvalLink.nowStatus', { status: t(`approvals.status.${done.approval.status}`) })}
          extra={ticketLink}
        />
      </Shell>
    );
  }
  const open = approval.status === 'pending' && (approval.can_decide || info.needs_sign_in);
  const signIn = `/login?next=${encodeURIComponent(`/approval-link?token=${token}`)}`;
  const choices: Decision[] = info.decision ? [info.decision] : ['approve', 'reject'];

  return (
    <Shell title={title}>
      <Descriptions column={1} size="small" className="gd-link-facts">
        <Descriptions.Item label={t('approvalLink.ticket')}>
          {approval.ticket.number} · {approval.ticket.title}
        </Descriptions.Item>
        <Descriptions.Item label={t('approvalLink.step')}>{approval.state_name}</Descriptions.Item>
        <Descriptions.Item label={t('approvalLink.status')}>
          <ApprovalStatus status={approval.status} />
        </Descriptions.Item>
        {info.approver && <Descriptions.Item label={t('approvalLink.approver')}>{info.approver.name}</Descriptions.Item>}
        {approval.due_at && <Descriptions.Item label={t('approvalLink.due')}>{format(approval.due_at)}</Descriptions.Item>}
      </Descriptions>
      {closed && <Alert type="warning" showIcon role="alert" message={closed} style={{ marginBottom: 16 }} />}
      {!open && !closed && (
        <Alert type="info" showIcon message={approval.status === 'pending' ? t('approvalLink.youDecided') : t('approvalLink.closed')} style={{ marginBottom: 16 }} />
      )}
      {open && info.needs_sign_in && (
        <Alert type="info" showIcon message={t('approvalLink.signIn')} action={<Link to={signIn}>{t('approvalLink.signInButton')}</Link>} style={{ marginBottom: 16 }} />
      )}
      {open && !info.needs_sign_in && !closed && (
        <Form form={form} layout="vertical" requiredMark={false} className="gd-link-form">
          <Form.Item name="comment" label={t(info.decision === 'reject' ? 'approvals.reason' : 'approvals.comment')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Space wrap>
            {choices.map((decision) => (
              <Button
                key={decision}
                type={decision === 'approve' ? 'primary' : 'default'}
                danger={decision === 'reject'}
                icon={decision === 'approve' ? <CheckOutlined /> : <CloseOutlined />}
                loading={busy === decision}
                onClick={() => void decide(decision)}
              >
                {t(decision === 'approve' ? 'approvalLink.confirmApprove' : 'approvalLink.confirmReject')}
              </Button>
            ))}
          </Space>
        </Form>
      )}
      <p className="gd-login-links">{ticketLink}</p>
    </Shell>
  );
}
