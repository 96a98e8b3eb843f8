import { Alert, Skeleton, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './approvals.css';
import './i18n';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api';
import LoadMore from '../components/LoadMore';
import type { Approval, Page } from '../types';
import { describeApiError } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import DecideButtons from './Decide';

const PAGE_SIZE = 25;

/** "Awaiting my approval": pending approvals I am asked to decide (or decide for someone away), oldest first. */
export default function ApprovalQueue() {
  const { t } = useTranslation();
  const format = useDateTimeFormatter();
  const [items, setItems] = useState<Approval[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      try {
        const page = await api.get<Page<Approval>>('/approvals', { limit: PAGE_SIZE, ...(after ? { cursor: after } : {}) });
        setItems((previous) => (after ? [...previous, ...page.items] : page.items));
        setCursor(page.next_cursor);
        setError(null);
      } catch (err) {
        setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected'));
      } finally {
        setLoading(false);
      }
    },
    [t],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const overdue = (approval: Approval) => !!approval.due_at && Date.parse(approval.due_at) < Date.now();

  return (
    <>
      {error && <Alert type="warning" showIcon message={error} style={{ marginBottom: 12 }} />}
      {loading && !items.length ? (
        <Skeleton active />
      ) : !items.length ? (
        <Typography.Paragraph type="secondary" className="gd-approval-empty">{t('approvals.queueEmpty')}</Typography.Paragraph>
      ) : (
        <ul className="gd-approval-queue">
          {items.map((approval) => (
          <li key={approval.id} className="gd-approval-item" data-testid={`queue-approval-${approval.id}`}>
            <div className="gd-approval-item-text">
              <Space size={4} wrap>
                <Link to={`/tickets/${approval.ticket.id}`} className="gd-ticket-number">
                  {approval.ticket.number}
                </Link>
                <Typography.Text strong>{approval.ticket.title}</Typography.Text>
              </Space>
              <div className="gd-small">
                <Space size={4} wrap split={<span aria-hidden>·</span>}>
                  <Tag>{approval.state_name}</Tag>
                  <Typography.Text type="secondary">{t(approval.mode === 'all' ? 'approvals.modeAll' : 'approvals.modeAny')}</Typography.Text>
                  {approval.due_at && (
                    <Typography.Text type={overdue(approval) ? 'danger' : 'secondary'}>{t('approvals.due', { due: format(approval.due_at) })}</Typography.Text>
                  )}
                  {approval.on_behalf_of.length > 0 && (
                    <Typography.Text type="secondary">{t('approvals.forAway', { names: approval.on_behalf_of.map((u) => u.name).join(', ') })}</Typography.Text>
                  )}
                </Space>
              </div>
            </div>
            <DecideButtons approval={approval} onDone={() => void load(null)} />
          </li>
          ))}
        </ul>
      )}
      <LoadMore visible={!!cursor} loading={loading} onClick={() => void load(cursor)} />
    </>
  );
}
