import { Tag, Timeline as AntTimeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LockOutlined } from '../icons';
import type { Comment, PortalForm, TicketEvent } from '../types';
import { useDateTimeFormatter } from '../utils/format';
import { fieldTitle, stateName } from './typeForms';

type Entry = { at: string; key: string; internal: boolean; comment?: Comment; event?: TicketEvent };

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(text).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Events and comments in one history, oldest first; internal entries are marked (staff only ever get them). */
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
    switch (event.kind) {
      case 'created':
        return t('timeline.created');
      case 'transitioned':
        return t('timeline.transitioned', { name: text(d.name), from: stateName(form, text(d.from)), to: stateName(form, text(d.to)) });
      case 'assigned': {
        const team = (d.team as unknown[] | undefined)?.[1];
        const assignee = (d.assignee as unknown[] | undefined)?.[1];
        return t('timeline.assigned', { team: text(team), assignee: text(assignee) });
      }
      case 'field_changed':
        return t('timeline.fieldChanged', { field: fieldTitle(form, text(d.field)), old: text(d.old), new: text(d.new) });
      case 'attachment_added':
        return t('timeline.attachmentAdded', { name: text(d.filename ?? d.name) });
      case 'link_added':
        return t('timeline.linkAdded', { ticket: text(d.ticket) });
      case 'child_created':
        return t('timeline.childCreated', { ticket: text(d.child) });
      case 'notified':
        return t('timeline.notified', { to: text(d.to) });
      case 'watcher_added':
        return t('timeline.watcherAdded', { user: text(d.user) });
      case 'sla_warning':
        return t('timeline.slaWarning', { metric: t(`sla.metric.${text(d.metric)}`, { defaultValue: text(d.metric) }), due: format(text(d.due_at)) });
      case 'sla_breached':
        return t('timeline.slaBreached', { metric: t(`sla.metric.${text(d.metric)}`, { defaultValue: text(d.metric) }) });
      case 'escalated':
        return t('timeline.escalated', { level: Number(d.level ?? 0) + 1, metric: t(`sla.metric.${text(d.metric)}`, { defaultValue: text(d.metric) }) });
      case 'automation_ran':
        return t(d.outcome === 'succeeded' ? 'timeline.automationRan' : 'timeline.automationFailed',
          { name: text(d.automation), error: text(d.error) });
      case 'survey_requested':
        return t('timeline.surveyRequested');
      case 'survey_answered':
        return t('timeline.surveyAnswered', { score: text(d.score) });
      case 'webhook_delivered':
        return t('timeline.webhookDelivered');
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
              {entry.comment ? <p className="gd-comment-body">{entry.comment.body}</p> : <p className="gd-event-text">{describe(entry.event!)}</p>}
            </article>
          ),
        };
      })}
    />
  );
}
