import { Card, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import './approvals.css';
import './i18n';
import type { Approval, Approver } from '../types';
import { useDateTimeFormatter } from '../utils/format';
import DecideButtons from './Decide';

const STATUS_COLOR: Record<Approval['status'], string> = { pending: 'gold', approved: 'green', rejected: 'red', cancelled: 'default' };

export function ApprovalStatus({ status }: { status: Approval['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`approvals.status.${status}`)}</Tag>;
}

function Decision({ approver }: { approver: Approver }) {
  const { t } = useTranslation();
  const format = useDateTimeFormatter();
  const delegate = approver.decided_by && approver.decided_by.id !== approver.user.id ? approver.decided_by.name : null;
  return (
    <li className="gd-approver">
      <div>
        <Space size={4} wrap>
          <strong>{approver.user.name}</strong>
          {approver.decision ? (
            <Tag color={approver.decision === 'approve' ? 'green' : 'red'}>{t(`approvals.decision.${approver.decision}`)}</Tag>
          ) : (
            <Tag>{t('approvals.decision.none')}</Tag>
          )}
          {approver.source === 'escalation' && <Tag color="orange">{t('approvals.escalated')}</Tag>}
        </Space>
        {approver.decided_at && (
          <div className="gd-small">
            <Typography.Text type="secondary">
              {format(approver.decided_at)}
              {delegate ? ` · ${t('approvals.byDelegate', { name: delegate })}` : ''}
              {approver.via === 'link' ? ` · ${t('approvals.viaLink')}` : ''}
            </Typography.Text>
          </div>
        )}
        {approver.comment && <p className="gd-approval-comment">{approver.comment}</p>}
      </div>
    </li>
  );
}

/** One approval of a ticket: who is asked, who decided what, and (for an approver) Approve and Reject. */
export function ApprovalSummary({ approval, onDone }: { approval: Approval; onDone: () => void }) {
  const { t } = useTranslation();
  const format = useDateTimeFormatter();
  return (
    <section className="gd-approval" aria-label={t('approvals.inState', { state: approval.state_name })} data-testid={`approval-${approval.id}`}>
      <Space size={4} wrap>
        <ApprovalStatus status={approval.status} />
        <Typography.Text>{t('approvals.inState', { state: approval.state_name })}</Typography.Text>
      </Space>
      <div className="gd-small">
        <Typography.Text type="secondary">
          {t(approval.mode === 'all' ? 'approvals.modeAll' : 'approvals.modeAny')}
          {approval.due_at && approval.status === 'pending' ? ` · ${t('approvals.due', { due: format(approval.due_at) })}` : ''}
        </Typography.Text>
      </div>
      {approval.approvers.length ? (
        <ul className="gd-approvers">
          {approval.approvers.map((approver) => (
            <Decision key={approver.user.id} approver={approver} />
          ))}
        </ul>
      ) : (
        <Typography.Paragraph type="secondary">{t('approvals.nobody')}</Typography.Paragraph>
      )}
      {approval.can_decide && <DecideButtons approval={approval} onDone={onDone} block />}
    </section>
  );
}

/** The ticket page's card: the open approval first, then the decided ones. */
export default function ApprovalCard({ approvals, onDone }: { approvals: Approval[]; onDone: () => void }) {
  const { t } = useTranslation();
  if (!approvals.length) return null;
  const ordered = [...approvals].sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending') || b.id - a.id);
  return (
    <Card size="small" className="gd-approval-card" title={<h2 className="gd-card-title">{t('approvals.title')}</h2>}>
      {ordered.map((approval) => (
        <ApprovalSummary key={approval.id} approval={approval} onDone={onDone} />
      ))}
    </Card>
  );
}
