import { Alert, App, Button, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api';
import TicketForm, { serverErrorSchema } from '../forms/TicketForm';
import type { ErrorSchema } from '@rjsf/utils';
import type { Page, PortalForm, Ticket, TicketEvent } from '../types';
import { useErrorHandler } from '../utils/errors';
import { displayValue, fieldTitle } from './typeForms';

interface Props {
  ticket: Ticket;
  form: PortalForm;
  /** The newest event id the editor's copy of the ticket includes. */
  seenEventId: number;
  onSaved: (ticket: Ticket) => void;
  onCancel: () => void;
}

interface StaleChange {
  who: string;
  field: string;
  old: string;
  new: string;
}

/** What rules see as `ticket` for an existing ticket (the subset the browser knows). */
function ticketFacts(ticket: Ticket): Record<string, unknown> {
  return {
    number: ticket.number, type: ticket.type, version: ticket.version, status: ticket.status,
    status_category: ticket.status_category, priority: ticket.priority, team: ticket.team?.key ?? null,
    assignee: ticket.assignee?.email ?? null, requester: { email: ticket.requester.email, name: ticket.requester.name },
    source: ticket.source, created_at: ticket.created_at, updated_at: ticket.updated_at,
  };
}

/**
 * Edit the form data of a ticket with optimistic locking: the save carries If-Match, and when
 * someone changed the ticket meanwhile the editor shows who changed what instead of overwriting.
 */
export default function DataEditor({ ticket, form, seenEventId, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [base, setBase] = useState(ticket);
  const [seen, setSeen] = useState(seenEventId);
  const [data, setData] = useState<Record<string, unknown>>(ticket.data);
  const [serverErrors, setServerErrors] = useState<ErrorSchema | undefined>();
  const [stale, setStale] = useState<{ changes: StaleChange[]; latest: Ticket; lastId: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const facts = useMemo(() => ticketFacts(base), [base]);
  const fields = Object.keys((form.form.schema.properties ?? {}) as object);

  const changedFields = (values: Record<string, unknown>) =>
    fields.filter((name) => JSON.stringify(values[name] ?? null) !== JSON.stringify(base.data[name] ?? null));

  const save = async (values: Record<string, unknown>) => {
    const changes = Object.fromEntries(changedFields(values).map((name) => [name, values[name] ?? null]));
    if (!Object.keys(changes).length) {
      onCancel();
      return;
    }
    setBusy(true);
    try {
      const updated = await api.patch<Ticket>(`/tickets/${base.id}`, { data: changes }, { headers: { 'If-Match': `"${base.row_version}"` } });
      void message.success(t('editor.saved'));
      onSaved(updated);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        const [latest, events] = await Promise.all([
          api.get<Ticket>(`/tickets/${base.id}`),
          api.get<Page<TicketEvent>>(`/tickets/${base.id}/events`, { limit: 500 }),
        ]);
        const newer = events.items.filter((event) => event.id > seen);
        const list = newer
          .filter((event) => event.kind === 'field_changed')
          .map((event) => {
            const d = event.details as { field?: string; old?: unknown; new?: unknown };
            const shown = (event.display ?? {}) as { field?: string; old?: string; new?: string };
            const field = String(d.field ?? '');
            return {
              who: event.actor?.name ?? t('timeline.system'),
              field: shown.field ?? (field === 'priority' ? t('tickets.priority') : fieldTitle(form, field)),
              old: shown.old ?? (displayValue(form, field, d.old) || '—'),
              new: shown.new ?? (displayValue(form, field, d.new) || '—'),
            };
          });
        const lastId = newer.length ? newer[newer.length - 1]!.id : seen;
        setStale({ changes: list, latest, lastId });
      } else if (error instanceof ApiError && error.status === 422) {
        const placed = serverErrorSchema(error.details, '/data', fields);
        setServerErrors(placed.errorSchema);
        if (placed.unplaced.length) void message.error(placed.unplaced.join(' '));
      } else {
        handleError(error);
      }
    } finally {
      setBusy(false);
    }
  };

  /** Take the latest version as the base and put the user's own edits back on top of it. */
  const rebase = () => {
    if (!stale) return;
    const mine = Object.fromEntries(changedFields(data).map((name) => [name, data[name]]));
    setBase(stale.latest);
    setSeen(stale.lastId);
    setData({ ...stale.latest.data, ...mine });
    setStale(null);
  };

  return (
    <>
      {stale && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          message={t('editor.staleTitle')}
          description={
            <>
              {stale.changes.length ? (
                <ul className="gd-plain-list">
                  {stale.changes.map((change, index) => (
                    <li key={index}>{t('editor.staleChange', { ...change })}</li>
                  ))}
                </ul>
              ) : (
                <p>{t('editor.staleOther')}</p>
              )}
              <Space wrap>
                <Button type="primary" onClick={rebase}>
                  {t('editor.keepMine')}
                </Button>
                <Button onClick={() => onSaved(stale.latest)}>{t('editor.discardMine')}</Button>
              </Space>
            </>
          }
        />
      )}
      <TicketForm
        idPrefix="edit"
        schema={form.form.schema}
        ui={form.form.ui}
        rules={form.form.field_rules}
        ticket={facts}
        saved={base.data}
        data={data}
        onChange={(next) => setData(next)}
        onSubmit={(values) => void save(values)}
        serverErrors={serverErrors}
        submitLabel={t('common.save')}
        submitting={busy}
        extraButtons={<Button onClick={onCancel}>{t('common.cancel')}</Button>}
      />
    </>
  );
}
