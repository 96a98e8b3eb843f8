import { Tag, Timeline as AntTimeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import '../approvals/i18n';
import { CheckOutlined, LockOutlined } from '../icons';
import type { Approval, Comment, PortalForm, TicketEvent } from '../types';
import { useDateTimeFormatter } from '../utils/format';
import { fieldTitle, stateName } from './typeForms';

type Entry = { at: string; key: string; internal: boolean; comment?: Comment; event?: TicketEvent };

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(text).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Events and comments in one history, oldest first; internal entries are marked (staff only ever get them).
 * An event's `display` (from the server) holds its details as the reader reads them — state, transition,
 * field, team and people's names, value labels — and the sentences around them are this app's own.
 */
export default function Timeline({ events, comments, form }: { events: TicketEvent[]; comments: Comment[]; form: PortalForm | null }) {
  const { t } = useTranslation();
  const format = useDateTimeFormatter();
  const entries: Entry[] = [
    ...comments.map((comment) => ({ at: comment.created_at, key: `c${comment.id}`, internal: comment.internal, comment })),
    ...events
      .filter((event) => event.kind !== 'comment_added')
      .map((event) => ({ at: event.at, key: `e${event.id}`, internal: event.internal, event })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.key.localeCompare(b.key));

  const describe = (event: TicketEvent): string => {
    const d = event.details as Record<string, unknown>;
    const shown = (event.display ?? {}) as Record<string, unknown>;
    const label = (key: string, fallback: () => string) => (typeof shown[key] === 'string' && shown[key] ? (shown[key] as string) : fallback());
    const approvalState = () => label('state', () => stateName(form, text(d.state)));
    switch (event.kind) {
      case 'created':
        return t('timeline.created');
      case 'transitioned':
        return t('timeline.transitioned', {
          name: label('name', () => text(d.name)),
          from: label('from', () => stateName(form, text(d.from))),
          to: label('to', () => stateName(form, text(d.to))),
        });
      case 'assigned': {
        const names = (shown.assignee as (string | null)[] | undefined) ?? [];
        const teams = (shown.team as (string | null)[] | undefined) ?? [];
        const team = teams[1] ?? ((d.team as unknown[] | undefined)?.[1] as string | null | undefined) ?? null;
        const assignee = names[1] ?? null;
        if (team && assignee) return t('timeline.assignedBoth', { team, assignee });
        if (team) return t('timeline.assignedTeam', { team });
        if (assignee) return t('timeline.assignedPerson', { assignee });
        return t('timeline.unassigned');
      }
      case 'field_changed':
        if (d.field === 'priority' && (d.manual || d.automatic)) {
          const values = { old: text(d.old), new: text(d.new), reason: text(d.reason) };
          if (d.manual) return t(d.reason ? 'timeline.prioritySet' : 'timeline.prioritySetNoReason', values);
          return t(d.because ? 'timeline.priorityRecomputed' : 'timeline.priorityAutomatic', values);
        }
        return t('timeline.fieldChanged', {
          field: label('field', () => (d.field === 'priority' ? t('tickets.priority') : fieldTitle(form, text(d.field)))),
          old: label('old', () => text(d.old)),
          new: label('new', () => text(d.new)),
        });
      case 'attachment_added':
        return t('timeline.attachmentAdded', { name: text(d.filename ?? d.name) });
      case 'link_added':
        return t('timeline.linkAdded', { ticket: text(d.ticket) });
      case 'child_created':
        return t('timeline.childCreated', { ticket: text(d.child) });
      case 'notified':
        return t('timeline.notified', { to: label('to', () => text(d.to)) });
      case 'watcher_added':
        return t('timeline.watcherAdded', { user: label('user', () => text(d.user)) });
      case 'sla_warning':
        return t('timeline.slaWarning', { metric: t(`sla.metric.${text(d.metric)}`, { defaultValue: text(d.metric) }), due: format(text(d.due_at)) });
      case 'sla_breached':
        return t('timeline.slaBreached', { metric: t(`sla.metric.${text(d.metric)}`, { defaultValue: text(d.metric) }) });
      case 'escalated':
        return t('timeline.escalated', { level: Number(d.level ?? 0) + 1, metric: t(`sla.metric.${text(d.metric)}`, { defaultValue: text(d.metric) }) });
      case 'sla_retargeted':
        return t('timeline.slaRetargeted', { priority: text(d.priority) });
      case 'automation_ran':
        return t(d.outcome === 'succeeded' ? 'timeline.automationRan' : 'timeline.automationFailed',
          { name: label('automation', () => text(d.automation)), error: text(d.error) });
      case 'survey_requested':
        return t('timeline.surveyRequested');
      case 'article_drafted':
        return t('timeline.articleDrafted');
      case 'survey_answered':
        return t('timeline.surveyAnswered', { score: text(d.score) });
      case 'survey_follow_up':
        return d.assignee ? t('timeline.surveyFollowUp', { name: text(d.assignee) }) : t('timeline.surveyFollowUpTeam');
      case 'survey_follow_up_done':
        return t('timeline.surveyFollowUpDone');
      case 'approval_requested':
        return t('timeline.approvalRequested', { state: approvalState(), count: (d.approvers as unknown[] | undefined)?.length ?? 0 });
      case 'approval_decided': {
        const sentence = t(d.decision === 'reject' ? 'timeline.approvalRejected' : 'timeline.approvalApproved', { state: approvalState() });
        const behalf = d.on_behalf_of ? ` ${t('timeline.onBehalfOf', { who: label('on_behalf_of', () => text(d.on_behalf_of)) })}` : '';
        const link = d.via === 'link' ? ` ${t('timeline.viaLink')}` : '';
        return `${sentence}${behalf}${link}${d.comment ? t('timeline.approvalComment', { comment: text(d.comment) }) : ''}`;
      }
      case 'approval_completed':
        return t('timeline.approvalCompleted', { state: approvalState(), status: t(`approvals.status.${text(d.status) as Approval['status']}`) });
      case 'approval_warning':
        return t('timeline.approvalWarning', { due: format(text(d.due_at)) });
      case 'approval_timed_out':
        return t('timeline.approvalTimedOut', { state: approvalState() });
      case 'approval_escalated':
        return t('timeline.approvalEscalated', { to: label('escalated_to', () => text(d.escalated_to)) });
      case 'approval_cancelled':
        return t('timeline.approvalCancelled', { state: approvalState() });
      case 'webhook_delivered':
        return t('timeline.webhookDelivered');
      case 'intake_repeated':
        return t('timeline.intakeRepeated', { endpoint: text(d.endpoint), count: Number(d.occurrences ?? 0) });
      default:
        return t('timeline.other', { kind: event.kind.replace(/_/g, ' ') });
    }
  };

  return (
    <AntTimeline
      className="gd-timeline"
      items={entries.map((entry) => {
        const who = entry.comment ? entry.comment.author?.name : entry.event?.actor?.name;
        return {
          key: entry.key,
          color: entry.internal ? 'orange' : entry.comment ? 'blue' : 'gray',
          children: (
            <article className={entry.internal ? 'gd-entry gd-entry-internal' : 'gd-entry'} aria-label={entry.internal ? t('timeline.internalEntry') : undefined}>
              <div className="gd-entry-head">
                <strong>{who ?? t('timeline.system')}</strong>
                <Typography.Text type="secondary" className="gd-small">
                  {format(entry.at)}
                </Typography.Text>
                {entry.internal && (
                  <Tag color="orange" icon={<LockOutlined />}>
                    {t('timeline.internal')}
                  </Tag>
                )}
              </div>
              {entry.comment ? (
                <p className="gd-comment-body">{entry.comment.body}</p>
              ) : (
                <>
                  <p className="gd-event-text">{describe(entry.event!)}</p>
                  <Checked event={entry.event!} />
                </>
              )}
            </article>
          ),
        };
      })}
    />
  );
}

/** The checklist items ticked when taking a transition, as the reader reads them. */
function Checked({ event }: { event: TicketEvent }) {
  const { t } = useTranslation();
  if (event.kind !== 'transitioned') return null;
  const items = ((event.display as { checklist?: string[] } | undefined)?.checklist ??
    ((event.details as { checklist?: string[] }).checklist ?? [])) as string[];
  if (!items.length) return null;
  return (
    <ul className="gd-checked" aria-label={t('timeline.checked')}>
      {items.map((item, index) => (
        <li key={index}>
          <CheckOutlined /> {item}
        </li>
      ))}
    </ul>
  );
}
