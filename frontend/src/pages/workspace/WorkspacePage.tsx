import { Alert, App, Button, Form, Input, Menu, Modal, Popconfirm, Select, Space, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, type Query } from '../../api';
import ApprovalQueue from '../../approvals/ApprovalQueue';
import PageHeader from '../../components/PageHeader';
import { DeleteOutlined, SaveOutlined } from '../../icons';
import { useIsDesktop, useMediaQuery } from '../../layout/useMediaQuery';
import TicketTable from '../../tickets/TicketTable';
import { useStateNames } from '../../tickets/useStateNames';
import { useTicketPages } from '../../tickets/useTicketPages';
import type { ItemList, PortalType, SavedFilter } from '../../types';
import { describeApiError, useErrorHandler } from '../../utils/errors';

/** Filters a dashboard's drill-down puts in the URL (runtime/dashboards): the ticket list's own parameters. */
const DRILL_KEYS = ['team', 'assignee', 'status', 'created_after', 'created_before'] as const;
const QUEUES = ['mine', 'teams', 'unassigned', 'breaching', 'approvals', 'all'] as const;
type QueueKey = (typeof QUEUES)[number];
const CATEGORIES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
const BREACH_WINDOW_MS = 2 * 3600 * 1000;
/** The work queues show work not finished: every status category but closed. */
const NOT_CLOSED = CATEGORIES.filter((category) => category !== 'closed').join(',');

function queueQuery(queue: string, saved: SavedFilter[]): Query {
  switch (queue as QueueKey) {
    case 'mine':
      return { assignee: 'me', status_category: NOT_CLOSED };
    case 'teams':
      return { team: 'mine', status_category: NOT_CLOSED };
    case 'unassigned':
      return { assignee: 'none' };
    case 'breaching':
      // Open tickets whose next SLA target falls within two hours (or has passed), soonest first.
      return { sla_due_before: new Date(Date.now() + BREACH_WINDOW_MS).toISOString(), sort: 'sla_due' };
    case 'all':
    case 'approvals': // not a ticket list: the approval queue shows instead
      return {};
    default: {
      const found = saved.find((item) => `saved:${item.id}` === queue);
      return found ? { ...found.query } : {};
    }
  }
}

const FILTER_KEYS = ['q', 'status_category', 'priority', 'type', 'sort', ...DRILL_KEYS] as const;

/** Queues, a filterable, sortable, paged ticket list, and saved filters. */
export default function WorkspacePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const isDesktop = useIsDesktop();
  // The queue list sits beside the tickets on wide screens, above them (a select) otherwise.
  const wide = useMediaQuery('(min-width: 1440px)');
  const [params, setParams] = useSearchParams();
  const queue = params.get('queue') ?? 'teams';
  const [saved, setSaved] = useState<SavedFilter[]>([]);
  const [types, setTypes] = useState<PortalType[]>([]);
  const [saving, setSaving] = useState(false);
  const [nameForm] = Form.useForm<{ name: string }>();
  const [search, setSearch] = useState(params.get('q') ?? '');

  const loadSaved = useCallback(() => {
    api.get<ItemList<SavedFilter>>('/me/saved-filters').then((page) => setSaved(page.items), handleError);
  }, [handleError]);

  useEffect(() => {
    loadSaved();
    api.get<ItemList<PortalType>>('/portal/ticket-types').then((page) => setTypes(page.items), handleError);
  }, [loadSaved, handleError]);

  const filters = useMemo(() => Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? undefined])), [params]);
  const base = useMemo(() => queueQuery(queue, saved), [queue, saved]);
  const query: Query = useMemo(() => {
    const merged: Query = { ...base };
    for (const [key, value] of Object.entries(filters)) if (value) merged[key] = value;
    if (!merged.sort) merged.sort = '-updated_at';
    return merged;
  }, [base, filters]);
  const pages = useTicketPages(query);
  const stateName = useStateNames(pages.items);

  const setParam = (key: string, value: string | undefined | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const chooseQueue = (key: string) => {
    const next = new URLSearchParams();
    next.set('queue', key);
    setSearch('');
    setParams(next);
  };

  const saveFilter = async ({ name }: { name: string }) => {
    const stored: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '' && key !== 'sla_due_before') stored[key] = String(value);
    }
    try {
      const created = await api.post<SavedFilter>('/me/saved-filters', { name: name.trim(), query: stored });
      setSaving(false);
      nameForm.resetFields();
      void message.success(t('workspace.filterSaved', { name: created.name }));
      loadSaved();
      chooseQueue(`saved:${created.id}`);
    } catch (error) {
      handleError(error, nameForm);
    }
  };

  const deleteFilter = async (item: SavedFilter) => {
    try {
      await api.delete(`/me/saved-filters/${item.id}`);
      void message.success(t('workspace.filterDeleted', { name: item.name }));
      loadSaved();
      if (queue === `saved:${item.id}`) chooseQueue('teams');
    } catch (error) {
      handleError(error);
    }
  };

  const queueLabel = (key: string) =>
    (QUEUES as readonly string[]).includes(key) ? t(`workspace.queue.${key as QueueKey}`) : (saved.find((s) => `saved:${s.id}` === key)?.name ?? key);

  const queueItems = [
    ...QUEUES.map((key) => ({ key, label: t(`workspace.queue.${key}`) })),
    ...(saved.length
      ? [
          {
            type: 'group' as const,
            key: 'saved',
            label: t('workspace.savedFilters'),
            children: saved.map((item) => ({ key: `saved:${item.id}`, label: item.name })),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('workspace.title')}
        extra={
          queue === 'approvals' ? null : (
            <Button icon={<SaveOutlined />} onClick={() => setSaving(true)}>
              {t('workspace.saveFilter')}
            </Button>
          )
        }
      />
      <div className={wide ? 'gd-workspace gd-workspace-wide' : 'gd-workspace'}>
        {wide ? (
          <nav aria-label={t('workspace.queues')} className="gd-queues">
            <Menu mode="inline" selectedKeys={[queue]} items={queueItems} onClick={({ key }) => chooseQueue(key)} />
          </nav>
        ) : (
          <Select
            aria-label={t('workspace.queues')}
            className="gd-queue-select"
            value={queue}
            onChange={chooseQueue}
            options={[
              ...QUEUES.map((key) => ({ value: key, label: t(`workspace.queue.${key}`) })),
              ...saved.map((item) => ({ value: `saved:${item.id}`, label: item.name })),
            ]}
          />
        )}
        <section className="gd-workspace-list" aria-labelledby="queue-title">
          <Space className="gd-queue-head" wrap>
            <Typography.Title level={2} id="queue-title" className="gd-section-title">
              {queueLabel(queue)}
            </Typography.Title>
            {queue.startsWith('saved:') && (
              <Popconfirm
                title={t('workspace.deleteFilterConfirm')}
                onConfirm={() => {
                  const item = saved.find((s) => `saved:${s.id}` === queue);
                  if (item) void deleteFilter(item);
                }}
              >
                <Button size="small" danger icon={<DeleteOutlined />}>
                  {t('workspace.deleteFilter')}
                </Button>
              </Popconfirm>
            )}
          </Space>
          {queue === 'approvals' ? (
            <ApprovalQueue />
          ) : (
          <>
          <div className="gd-toolbar" role="search">
            <Input.Search
              aria-label={t('workspace.search')}
              placeholder={t('workspace.searchPlaceholder')}
              allowClear
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              onSearch={(value) => setParam('q', value.trim())}
              style={{ maxWidth: 280 }}
            />
            <Select
              aria-label={t('workspace.statusFilter')}
              allowClear
              placeholder={base.status_category === NOT_CLOSED ? t('workspace.notClosed') : t('workspace.anyStatus')}
              value={filters.status_category}
              onChange={(value) => setParam('status_category', value)}
              options={CATEGORIES.map((value) => ({ value, label: t(`myTickets.category.${value}`) }))}
              style={{ minWidth: 140 }}
            />
            <Select
              aria-label={t('workspace.priorityFilter')}
              allowClear
              placeholder={t('workspace.anyPriority')}
              value={filters.priority}
              onChange={(value) => setParam('priority', value)}
              options={['P1', 'P2', 'P3', 'P4'].map((value) => ({ value, label: value }))}
              style={{ minWidth: 120 }}
            />
            <Select
              aria-label={t('workspace.typeFilter')}
              allowClear
              placeholder={t('workspace.anyType')}
              value={filters.type}
              onChange={(value) => setParam('type', value)}
              options={types.map((type) => ({ value: type.key, label: type.name }))}
              style={{ minWidth: 160 }}
            />
          </div>
          {DRILL_KEYS.some((key) => filters[key]) && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={t('workspace.drillFilters', {
                filters: DRILL_KEYS.filter((key) => filters[key])
                  .map((key) => `${t(`workspace.drill.${key}`)}: ${key.startsWith('created') ? new Date(filters[key] as string).toLocaleString() : filters[key]}`)
                  .join(' · '),
              })}
              action={
                <Button
                  size="small"
                  onClick={() => {
                    const next = new URLSearchParams(params);
                    for (const key of DRILL_KEYS) next.delete(key);
                    setParams(next, { replace: true });
                  }}
                >
                  {t('workspace.clearDrill')}
                </Button>
              }
            />
          )}
          {pages.error && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message={queue === 'breaching' && pages.error.status === 422 ? t('workspace.slaUnavailable') : describeApiError(pages.error, t)}
            />
          )}
          <TicketTable
            items={pages.items}
            loading={pages.loading}
            sort={String(query.sort)}
            onSort={(sort) => setParam('sort', sort)}
            compact={!isDesktop}
            stateNames={stateName}
            showRequester
            pageIndex={pages.pageIndex}
            hasNext={pages.hasNext}
            onNext={pages.next}
            onPrevious={pages.previous}
            caption={queueLabel(queue)}
          />
          </>
          )}
        </section>
      </div>
      <Modal
        open={saving}
        title={t('workspace.saveFilterTitle')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onCancel={() => setSaving(false)}
        onOk={() => nameForm.submit()}
        destroyOnHidden
      >
        <Form form={nameForm} layout="vertical" onFinish={(values) => void saveFilter(values)}>
          <Form.Item
            name="name"
            label={t('workspace.filterName')}
            rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('workspace.filterName') }) }]}
          >
            <Input maxLength={100} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
