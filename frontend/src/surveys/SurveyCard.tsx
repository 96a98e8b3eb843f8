import { App, Card, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api';
import type { ItemList, Survey } from '../types';
import { describeApiError } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import SurveyForm from './SurveyForm';
import './i18n';

/** One survey: the form while the requester may answer it, else what was answered (or that none was yet). */
export function SurveyItem({ survey, own, onAnswered }: { survey: Survey; own: boolean; onAnswered: (answered: Survey) => void }) {
  const { t } = useTranslation();
  const format = useDateTimeFormatter();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (score: number, comment: string) => {
    setBusy(true);
    setError(null);
    try {
      const answered = await api.post<Survey>(`/tickets/${survey.ticket_id}/surveys/${survey.id}`, { score, comment: comment || null });
      void message.success(t('surveys.thanks'));
      onAnswered(answered);
    } catch (caught) {
      setError(caught instanceof ApiError ? describeApiError(caught, t) : t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  };
  if (survey.can_answer) return <SurveyForm survey={survey} onSend={(score, comment) => void send(score, comment)} busy={busy} error={error} />;
  if (survey.score !== null) {
    return (
      <div>
        <Typography.Text>
          {t(own ? 'surveys.answered' : 'surveys.staffAnswered', { score: survey.score, high: survey.high })}{' '}
          {survey.bad && <Tag color="red">{t('surveys.bad')}</Tag>}
        </Typography.Text>
        {survey.comment && <Typography.Paragraph className="gd-follow-up-comment">“{survey.comment}”</Typography.Paragraph>}
      </div>
    );
  }
  return (
    <Typography.Text type="secondary">
      {survey.expired ? t('surveys.expired') : t('surveys.staffWaiting', { date: format(survey.requested_at) })}
    </Typography.Text>
  );
}

/** The ticket page's satisfaction card: nothing until a survey was asked. */
export default function SurveyCard({ ticketId, own }: { ticketId: number; own: boolean }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Survey[]>([]);
  const load = useCallback(() => {
    api.get<ItemList<Survey>>(`/tickets/${ticketId}/surveys`).then((list) => setItems(list.items), () => setItems([]));
  }, [ticketId]);
  useEffect(load, [load]);
  if (!items.length) return null;
  return (
    <Card size="small" className="gd-survey-card" title={<h2 className="gd-card-title">{t(own ? 'surveys.title' : 'surveys.linkTitle')}</h2>}>
      {items.map((survey) => (
        <div key={survey.id} className="gd-survey-item">
          <SurveyItem survey={survey} own={own} onAnswered={(answered) => setItems((old) => old.map((s) => (s.id === answered.id ? answered : s)))} />
        </div>
      ))}
    </Card>
  );
}

/** My tickets: the surveys waiting for the requester's answer, each answerable in place. */
export function WaitingSurveys({ items }: { items: Survey[] }) {
  const { t } = useTranslation();
  const [answered, setAnswered] = useState<Survey[]>([]);
  if (!items.length) return null;
  return (
    <Card size="small" className="gd-survey-card" style={{ marginBottom: 16 }} title={<h2 className="gd-card-title">{t('surveys.waiting')}</h2>}>
      {items.map((survey) => {
        const done = answered.find((s) => s.id === survey.id);
        return (
          <section key={survey.id} className="gd-survey-item" aria-label={`${survey.ticket.number} ${survey.ticket.title}`}>
            <Typography.Text type="secondary">
              <Link to={`/tickets/${survey.ticket.id}`}>{survey.ticket.number}</Link> · {survey.ticket.title}
            </Typography.Text>
            <SurveyItem survey={done ?? survey} own onAnswered={(s) => setAnswered((old) => [...old, s])} />
          </section>
        );
      })}
    </Card>
  );
}
