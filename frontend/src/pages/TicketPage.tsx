import { Button, Card, Descriptions, Skeleton, Space, Typography } from 'antd';
import LazyResult from '../components/LazyResult';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import { useAuth } from '../auth/AuthContext';
import { ArrowLeftOutlined, BookOutlined, EditOutlined } from '../icons';
import ApprovalCard from '../approvals/ApprovalCard';
import SurveyCard from '../surveys/SurveyCard';
import AssignmentForm from '../tickets/AssignmentForm';
import AttachmentsCard from '../tickets/AttachmentsCard';
import PriorityForm from '../tickets/PriorityForm';
import CommentBox, { type Insertion } from '../tickets/CommentBox';
import LinksList from '../tickets/LinksList';
import { PriorityTag, SlaBadges, StatusTag } from '../tickets/TicketBits';
import Timeline from '../tickets/Timeline';
import TransitionPanel from '../tickets/TransitionPanel';
import { displayValue, fieldTitle, stateName, useTypeForm } from '../tickets/typeForms';
import FileList from '../tickets/FileList';
import type { Approval, Attachment, Comment, FieldDisplay, ItemList, LinkList, Page, PortalForm, Ticket, TicketEvent, TransitionOption } from '../types';
import { useErrorHandler } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import { usePageTitle } from '../utils/usePageTitle';

// The form renderer (react-jsonschema-form) loads only when someone edits.
const DataEditor = lazy(() => import('../tickets/DataEditor'));
const TicketArticles = lazy(() => import('../knowledge/TicketArticles'));

interface Loaded {
  ticket: Ticket;
  events: TicketEvent[];
  comments: Comment[];
  attachments: Attachment[];
  links: LinkList | null;
  transitions: TransitionOption[];
  approvals: Approval[];
}

/** One ticket: for its requester (public timeline, comments, confirm / reopen) and for staff (everything). */
export default function TicketPage() {
  const { ticketId } = useParams();
  const id = Number(ticketId);
  const { t } = useTranslation();
  const { user, hasRole } = useAuth();
  const handleError = useErrorHandler();
  const format = useDateTimeFormatter();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [missing, setMissing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [insertion, setInsertion] = useState<Insertion | undefined>(undefined);
  const navigate = useNavigate();
  const form = useTypeForm(loaded?.ticket.type);
  const agent = hasRole('agent') || hasRole('admin'); // where "back" leads: the workspace or my tickets
  usePageTitle(loaded ? `${loaded.ticket.number} ${loaded.ticket.title}` : t('ticket.title'));

  const load = useCallback(async () => {
    try {
      const ticket = await api.get<Ticket>(`/tickets/${id}`);
      const [events, comments, attachments, links, transitions, approvals] = await Promise.all([
        api.get<Page<TicketEvent>>(`/tickets/${id}/events`, { limit: 500 }),
        api.get<ItemList<Comment>>(`/tickets/${id}/comments`),
        api.get<ItemList<Attachment>>(`/tickets/${id}/attachments`),
        api.get<LinkList>(`/tickets/${id}/links`),
        api.get<ItemList<TransitionOption>>(`/tickets/${id}/transitions`),
        api.get<ItemList<Approval>>(`/tickets/${id}/approvals`),
      ]);
      setLoaded({ ticket, events: events.items, comments: comments.items, attachments: attachments.items, links, transitions: transitions.items,
        approvals: approvals.items });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setMissing(true);
      else handleError(error);
    }
  }, [id, handleError]);

  useEffect(() => {
    setLoaded(null);
    setMissing(false);
    setEditing(false);
    void load();
  }, [load]);

  if (missing || !Number.isInteger(id)) {
    return <LazyResult status="404" title={t('ticket.notFound')} extra={<Link to="/">{t('common.backHome')}</Link>} />;
  }
  if (!loaded) return <Skeleton active />;

  const { ticket } = loaded;
  // Staff of this ticket, as the server decides: an agent who filed a ticket for another team is
  // its requester here, without internal comments or agent transitions.
  const staff = !!ticket.staff;
  const own = ticket.requester.id === user?.id;
  // the requester edits until work has started: as the server decides (runtime/tickets/services.py)
  const untouched = ticket.status_category === 'new' || (ticket.status_category === 'open' && !ticket.first_response_at);
  const canEdit = !!form && (staff || (own && untouched));
  // The server reads the data for us, in the form's order and our language: labels, names, file names.
  const shownFields = ticket.display?.fields ?? fallbackFields(ticket, form);
  const lastEventId = loaded.events.length ? loaded.events[loaded.events.length - 1]!.id : 0;

  return (
    <div className="gd-ticket-page">
      <Link to={agent ? '/workspace' : '/portal/tickets'} className="gd-back-link">
        <ArrowLeftOutlined /> {agent ? t('ticket.backToWorkspace') : t('ticket.backToMine')}
      </Link>
      <header className="gd-ticket-header">
        <Typography.Title level={1} className="gd-ticket-title">
          <span className="gd-ticket-number">{ticket.number}</span> {ticket.title}
        </Typography.Title>
        <Space wrap size={4}>
          <StatusTag name={ticket.display?.status ?? stateName(form, ticket.status)} category={ticket.status_category} />
          <PriorityTag priority={ticket.priority} levels={form?.priority_levels} />
          <SlaBadges clocks={ticket.sla} />
          {staff && (ticket.status_category === 'resolved' || ticket.status_category === 'closed') && (
            <Button size="small" icon={<BookOutlined />} onClick={() => navigate(`/knowledge/new?from_ticket=${ticket.id}`)}>
              {t('ticket.turnIntoArticle')}
            </Button>
          )}
        </Space>
        {ticket.priority_set && (
          <Typography.Text type="secondary" className="gd-small gd-priority-set" data-testid="priority-set">
            {ticket.priority_set.by
              ? t(ticket.priority_set.reason ? 'priority.setBy' : 'priority.setByNoReason', { name: ticket.priority_set.by.name, reason: ticket.priority_set.reason })
              : t('priority.raisedByEscalation')}
          </Typography.Text>
        )}
      </header>

      <div className="gd-ticket-grid">
        <div className="gd-ticket-main">
          <ApprovalCard approvals={loaded.approvals} onDone={() => void load()} />
          {/* asked at closure or later by the sweep: read again whenever the ticket's history grows */}
          <SurveyCard ticketId={ticket.id} own={own} key={`survey-${loaded.events.length}`} />
          <TransitionPanel ticket={ticket} options={loaded.transitions} staff={staff} onDone={() => void load()} />

          <Card
            size="small"
            title={<h2 className="gd-card-title">{t('ticket.details')}</h2>}
            extra={
              canEdit && !editing ? (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>
                  {t('common.edit')}
                </Button>
              ) : null
            }
          >
            {editing && form ? (
              <Suspense fallback={<Skeleton active />}>
              <DataEditor
                ticket={ticket}
                form={form}
                seenEventId={lastEventId}
                onCancel={() => setEditing(false)}
                onSaved={() => {
                  setEditing(false);
                  void load();
                }}
              />
              </Suspense>
            ) : (
              <Descriptions column={1} size="small" className="gd-data">
                {shownFields.map((field) => (
                  <Descriptions.Item key={field.field} label={field.title}>
                    {field.files?.length ? <FileList files={field.files} /> : <span className="gd-pre">{field.text}</span>}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </Card>

          <Card size="small" title={<h2 className="gd-card-title">{t('ticket.timeline')}</h2>}>
            <Timeline events={loaded.events} comments={loaded.comments} form={form} />
            <CommentBox ticketId={ticket.id} staff={staff} onAdded={() => void load()} insertion={insertion} />
          </Card>
        </div>

        <aside className="gd-ticket-side" aria-label={t('ticket.sidebar')}>
          <Card size="small" title={<h2 className="gd-card-title">{t('ticket.about')}</h2>}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('tickets.requester')}>{ticket.requester.name}</Descriptions.Item>
              <Descriptions.Item label={t('tickets.team')}>{ticket.team?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('tickets.assignee')}>{ticket.assignee?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('tickets.created')}>{format(ticket.created_at)}</Descriptions.Item>
              <Descriptions.Item label={t('tickets.lastUpdate')}>{format(ticket.updated_at)}</Descriptions.Item>
            </Descriptions>
          </Card>
          {staff && (
            <Card size="small" title={<h2 className="gd-card-title">{t('assignment.title')}</h2>}>
              <AssignmentForm ticket={ticket} onSaved={() => void load()} />
            </Card>
          )}
          {staff && form?.priority_levels?.length ? (
            <Card size="small" title={<h2 className="gd-card-title">{t('priority.title')}</h2>}>
              <PriorityForm ticket={ticket} levels={form.priority_levels} onSaved={() => void load()} />
            </Card>
          ) : null}
          <Card size="small" title={<h2 className="gd-card-title">{t('attachments.title')}</h2>}>
            <AttachmentsCard ticketId={ticket.id} items={loaded.attachments} staff={staff} onAdded={() => void load()} />
          </Card>
          <Card size="small" title={<h2 className="gd-card-title">{t('links.title')}</h2>}>
            <LinksList ticketId={ticket.id} links={loaded.links} staff={staff} onLinked={() => void load()} />
          </Card>
          <Suspense fallback={null}>
            <TicketArticles ticketId={ticket.id} staff={staff}
              onInsert={staff ? (text) => setInsertion((last) => ({ text, seq: (last?.seq ?? 0) + 1 })) : undefined} />
          </Suspense>
        </aside>
      </div>
    </div>
  );
}

/** The filled fields as the browser can read them, for a server that does not send `display`. */
function fallbackFields(ticket: Ticket, form: PortalForm | null): FieldDisplay[] {
  // JSON objects carry no order over the API: the UI schema's ui:order says how the form lists its fields.
  const order = ((form?.form.ui['ui:order'] as string[] | undefined) ?? []).filter((name) => name !== '*');
  const properties = Object.keys((form?.form.schema.properties ?? {}) as object).sort(
    (a, b) => (order.includes(a) ? order.indexOf(a) : order.length) - (order.includes(b) ? order.indexOf(b) : order.length),
  );
  const filled = (name: string) => {
    const value = ticket.data[name];
    return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && !value.length);
  };
  return [...properties, ...Object.keys(ticket.data).filter((name) => !properties.includes(name))]
    .filter(filled)
    .map((name) => ({ field: name, title: fieldTitle(form, name), text: displayValue(form, name, ticket.data[name]) }));
}
