import { Alert, App, Button, Empty, Input, Modal, Switch, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api';
import LoadMore from '../components/LoadMore';
import PageHeader from '../components/PageHeader';
import '../surveys/i18n';
import '../surveys/surveys.css';
import type { Page, SurveyFollowUp } from '../types';
import { describeApiError } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';

/** Survey follow-ups: the tasks bad answers open for the team's supervisor, newest first; mark one done. */
export default function FollowUpsPage() {
  const { t } = useTranslation();
  const format = useDateTimeFormatter();
  const { message } = App.useApp();
  const [showDone, setShowDone] = useState(false);
  const [items, setItems] = useState<SurveyFollowUp[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState<SurveyFollowUp | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (after: string | null) => {
    setLoading(true);
    try {
      const page = await api.get<Page<SurveyFollowUp>>('/survey-follow-ups', { status: showDone ? 'all' : 'open', limit: 50, ...(after ? { cursor: after } : {}) });
      setItems((old) => (after ? [...old, ...page.items] : page.items));
      setCursor(page.next_cursor);
      setError(null);
    } catch (caught) {
      setError(caught instanceof ApiError ? describeApiError(caught, t) : t('errors.unexpected'));
    } finally {
      setLoading(false);
    }
  }, [showDone, t]);
  useEffect(() => void load(null), [load]);

  const markDone = async () => {
    if (!closing) return;
    setBusy(true);
    try {
      const done = await api.post<SurveyFollowUp>(`/survey-follow-ups/${closing.id}/done`, { note: note.trim() || null });
      void message.success(t('surveys.doneOk', { number: done.survey.ticket.number }));
      setItems((old) => (showDone ? old.map((f) => (f.id === done.id ? done : f)) : old.filter((f) => f.id !== done.id)));
      setClosing(null);
      setNote('');
    } catch (caught) {
      void message.error(caught instanceof ApiError ? describeApiError(caught, t) : t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('surveys.followUps')}>
        <Typography.Text type="secondary">{t('surveys.followUpsHelp')}</Typography.Text>
      </PageHeader>
      <div className="gd-toolbar">
        <label>
          <Switch size="small" checked={showDone} onChange={setShowDone} /> {t('surveys.showDone')}
        </label>
      </div>
      {error && <Alert type="error" showIcon message={error} />}
      {!loading && !error && !items.length && <Empty description={t('surveys.followUpsEmpty')} />}
      <ul className="gd-follow-ups" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((task) => {
          const { survey } = task;
          return (
            <li key={task.id} className="gd-follow-up">
              <div>
                <Link to={`/tickets/${survey.ticket.id}`}>{survey.ticket.number}</Link> · {survey.ticket.title}
              </div>
              <div>
                <Tag color="red">{t('surveys.rated', { score: survey.score, high: survey.high })}</Tag>
                <Tag color={task.status === 'open' ? 'orange' : 'green'}>{t(task.status === 'open' ? 'surveys.statusOpen' : 'surveys.statusDone')}</Tag>
                <Typography.Text type="secondary">
                  {format(task.created_at)}
                  {task.team && ` · ${task.team}`}
                  {task.assignee && ` · ${t('surveys.assignedTo', { name: task.assignee.name })}`}
                </Typography.Text>
              </div>
              {survey.comment && <Typography.Paragraph className="gd-follow-up-comment">“{survey.comment}”</Typography.Paragraph>}
              {task.note && <Typography.Paragraph type="secondary" className="gd-follow-up-comment">{task.note}</Typography.Paragraph>}
              {task.status === 'open' && (
                <Button size="small" aria-label={t('surveys.markDoneTicket', { number: survey.ticket.number })} onClick={() => setClosing(task)}>
                  {t('surveys.markDone')}
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      <LoadMore visible={!!cursor} loading={loading} onClick={() => void load(cursor)} />
      <Modal
        open={!!closing}
        title={closing ? t('surveys.markDoneTicket', { number: closing.survey.ticket.number }) : ''}
        okText={t('surveys.markDone')}
        confirmLoading={busy}
        onOk={() => void markDone()}
        onCancel={() => setClosing(null)}
      >
        <label className="gd-survey-comment">
          <span>{t('surveys.doneNote')}</span>
          <Input.TextArea rows={3} maxLength={5000} value={note} onChange={(event) => setNote(event.target.value)} />
        </label>
      </Modal>
    </>
  );
}
