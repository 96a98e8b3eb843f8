import { Button, Empty, List, Space, Table, Typography, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Ticket } from '../types';
import { useDateTimeFormatter } from '../utils/format';
import { PriorityTag, SlaBadges, StatusTag, nextDue } from './TicketBits';

const TITLE_MIN_PX = 240;

export type SortKey = 'created_at' | 'updated_at' | 'priority' | 'number' | 'sla_due';

interface Props {
  items: Ticket[];
  loading: boolean;
  /** e.g. "-updated_at" */
  sort: string;
  onSort?: (sort: string) => void;
  compact: boolean;
  stateNames?: (ticket: Ticket) => string;
  showRequester?: boolean;
  pageIndex: number;
  hasNext: boolean;
  onNext: () => void;
  onPrevious: () => void;
  caption: string;
}

/** Tickets as a sortable table (wide screens) or a list of cards (phones), one page at a time. */
export default function TicketTable(props: Props) {
  const { items, loading, sort, onSort, compact, stateNames, showRequester, pageIndex, hasNext, onNext, onPrevious, caption } = props;
  const { t } = useTranslation();
  const format = useDateTimeFormatter();
  const name = (ticket: Ticket) => stateNames?.(ticket) ?? ticket.status;
  const order = (key: SortKey) => (sort === key ? 'ascend' : sort === `-${key}` ? 'descend' : null);

  const pager = (
    <nav className="gd-pager" aria-label={t('tickets.pagination')}>
      <Button onClick={onPrevious} disabled={pageIndex === 0 || loading}>
        {t('tickets.previousPage')}
      </Button>
      <span aria-live="polite">{t('tickets.pageNumber', { page: pageIndex + 1 })}</span>
      <Button onClick={onNext} disabled={!hasNext || loading}>
        {t('tickets.nextPage')}
      </Button>
    </nav>
  );

  if (compact) {
    return (
      <>
        <List
          loading={loading}
          aria-label={caption}
          dataSource={items}
          locale={{ emptyText: <Empty description={t('tickets.empty')} /> }}
          renderItem={(ticket) => (
            <List.Item className="gd-ticket-card">
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Link to={`/tickets/${ticket.id}`} className="gd-ticket-card-title">
                  {ticket.number} · {ticket.title}
                </Link>
                <Space wrap size={4}>
                  <StatusTag name={name(ticket)} category={ticket.status_category} />
                  <PriorityTag priority={ticket.priority} />
                  <SlaBadges clocks={ticket.sla?.filter((c) => c === nextDue(ticket.sla))} />
                </Space>
                <Typography.Text type="secondary" className="gd-small">
                  {t('tickets.updatedAt', { at: format(ticket.updated_at) })}
                  {ticket.assignee ? ` · ${ticket.assignee.name}` : ''}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
        {pager}
      </>
    );
  }

  // Every column but the title is as wide as its content needs; the title takes all the rest (at
  // least TITLE_MIN_PX, below which the table scrolls sideways) and wraps to two lines before it is cut.
  const columns: TableProps<Ticket>['columns'] = [
    {
      key: 'number',
      title: t('tickets.number'),
      width: 116,
      sorter: !!onSort,
      sortOrder: order('number'),
      render: (_, ticket) => <Link to={`/tickets/${ticket.id}`}>{ticket.number}</Link>,
    },
    {
      key: 'title',
      title: t('tickets.titleColumn'),
      dataIndex: 'title',
      render: (_, ticket) => (
        <span className="gd-row-title" title={ticket.title}>
          {ticket.title}
        </span>
      ),
    },
    {
      key: 'status',
      title: t('tickets.status'),
      width: 104,
      render: (_, ticket) => <StatusTag name={name(ticket)} category={ticket.status_category} />,
    },
    {
      key: 'priority',
      title: t('tickets.priority'),
      width: 92,
      sorter: !!onSort,
      sortOrder: order('priority'),
      render: (_, ticket) => <PriorityTag priority={ticket.priority} />,
    },
    ...(showRequester
      ? [
          {
            key: 'assignment',
            title: t('tickets.assignment'),
            width: 140,
            render: (_: unknown, ticket: Ticket) => (
              <>
                <div>{ticket.assignee?.name ?? '—'}</div>
                {ticket.team && <div className="gd-small gd-secondary">{ticket.team.name}</div>}
              </>
            ),
          },
        ]
      : []),
    {
      key: 'sla_due',
      title: t('tickets.slaDue'),
      width: 168,
      sorter: !!onSort,
      sortOrder: order('sla_due'),
      render: (_, ticket) => {
        const due = nextDue(ticket.sla);
        return due ? <SlaBadges clocks={[due]} /> : '—';
      },
    },
    {
      key: 'updated_at',
      title: t('tickets.lastUpdate'),
      width: 120,
      sorter: !!onSort,
      sortOrder: order('updated_at'),
      // Date and time wrap onto two lines rather than take width from the title.
      render: (_, ticket) => format(ticket.updated_at),
    },
  ];

  return (
    <>
      <Table<Ticket>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: columns.reduce((sum, column) => sum + (Number(column.width) || TITLE_MIN_PX), 0) }}
        caption={<span className="gd-visually-hidden">{caption}</span>}
        locale={{ emptyText: <Empty description={t('tickets.empty')} /> }}
        onChange={(_pagination, _filters, sorter) => {
          if (!onSort || Array.isArray(sorter)) return;
          const key = sorter.columnKey as SortKey | undefined;
          if (!key || !sorter.order) onSort('-updated_at');
          else onSort(sorter.order === 'ascend' ? key : `-${key}`);
        }}
      />
      {pager}
    </>
  );
}
