import { App, Button, Form, Select } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { ItemList, Team, Ticket } from '../types';
import { useErrorHandler } from '../utils/errors';

/** Assign or reassign: a team, then one of its members (or nobody: the team's queue). */
export default function AssignmentForm({ ticket, onSaved }: { ticket: Ticket; onSaved: (ticket: Ticket) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [teams, setTeams] = useState<Team[]>([]);
  const [form] = Form.useForm<{ team: string | null; assignee: string | null }>();
  const team = Form.useWatch('team', form);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<ItemList<Team>>('/teams', { limit: 200 }).then((page) => setTeams(page.items), handleError);
  }, [handleError]);

  useEffect(() => {
    form.setFieldsValue({ team: ticket.team?.key ?? null, assignee: ticket.assignee?.email ?? null });
  }, [form, ticket.team?.key, ticket.assignee?.email]);

  const members = useMemo(() => teams.find((item) => item.key === team)?.members ?? [], [teams, team]);

  const save = async (values: { team: string | null; assignee: string | null }) => {
    setBusy(true);
    try {
      const updated = await api.patch<Ticket>(`/tickets/${ticket.id}`, { team: values.team ?? null, assignee: values.assignee ?? null }, {
        headers: { 'If-Match': `"${ticket.row_version}"` },
      });
      void message.success(t('assignment.saved'));
      onSaved(updated);
    } catch (error) {
      handleError(error, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={(values) => void save(values)} className="gd-assignment">
      <Form.Item name="team" label={t('tickets.team')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          options={teams.map((item) => ({ value: item.key, label: item.name }))}
          onChange={() => form.setFieldValue('assignee', null)}
        />
      </Form.Item>
      <Form.Item name="assignee" label={t('tickets.assignee')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('assignment.teamQueue')}
          options={(team ? members : ticket.assignee ? [ticket.assignee] : []).map((member) => ({
            value: member.email,
            label: `${member.name} <${member.email}>`,
          }))}
        />
      </Form.Item>
      <Button htmlType="submit" loading={busy}>
        {t('assignment.save')}
      </Button>
    </Form>
  );
}
