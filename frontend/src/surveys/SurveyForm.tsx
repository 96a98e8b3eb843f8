import { Alert, Button, Input, Space, Typography } from 'antd';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Survey } from '../types';
import { StarFilled } from './icons';
import './i18n';
import './surveys.css';

/**
 * The rating control: five stars for CSAT (1-5), eleven numbered buttons for NPS (0-10). A radio group, so the
 * keyboard and screen readers know it: arrows move, each choice says what it is ("2 stars", "7").
 */
export function ScorePicker({ survey, value, onChange }: { survey: Survey; value: number | null; onChange: (score: number) => void }) {
  const { t } = useTranslation();
  const [hover, setHover] = useState<number | null>(null);
  const scores = Array.from({ length: survey.high - survey.low + 1 }, (_, i) => survey.low + i);
  const csat = survey.kind === 'csat';
  const shown = hover ?? value;
  const move = (event: KeyboardEvent, score: number) => {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowUp' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowDown' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = Math.min(survey.high, Math.max(survey.low, score + step));
    onChange(next);
    (event.currentTarget.parentElement?.querySelector(`[data-score="${next}"]`) as HTMLElement | null)?.focus();
  };
  return (
    <div>
      <div role="radiogroup" aria-label={t('surveys.scale')} className={csat ? 'gd-survey-stars' : 'gd-survey-nps'} onMouseLeave={() => setHover(null)}>
        {scores.map((score) => {
          const checked = value === score;
          const name = csat ? t(score === 1 ? 'surveys.star' : 'surveys.stars', { count: score }) : String(score);
          return (
            <button
              key={score}
              type="button"
              role="radio"
              aria-checked={checked}
              aria-label={name}
              title={csat ? t(`surveys.csat${score}` as 'surveys.csat1') : undefined}
              data-score={score}
              tabIndex={checked || (value === null && score === survey.low) ? 0 : -1}
              className={`gd-survey-choice${checked ? ' gd-survey-choice-on' : ''}${csat && shown !== null && score <= shown ? ' gd-survey-star-lit' : ''}`}
              onClick={() => onChange(score)}
              onMouseEnter={() => setHover(score)}
              onKeyDown={(event) => move(event, score)}
            >
              {/* one icon whatever the state (only its colour changes): a node swapped between mousedown and mouseup loses the click */}
              {csat ? <StarFilled /> : score}
            </button>
          );
        })}
      </div>
      <Typography.Text type="secondary" className="gd-survey-hint" aria-live="polite">
        {csat ? (shown !== null ? t(`surveys.csat${shown}` as 'surveys.csat1') : '\u00a0') : `${t('surveys.npsLow')} · ${t('surveys.npsHigh')}`}
      </Typography.Text>
    </div>
  );
}

/** Ask, rate, comment, send: the portal's ticket page and My tickets, and the survey link's page. */
export default function SurveyForm({ survey, onSend, busy, error }: {
  survey: Survey;
  onSend: (score: number, comment: string) => void;
  busy: boolean;
  error?: string | null;
}) {
  const { t } = useTranslation();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const number = survey.ticket.number.replace(/-/g, '\u2011'); // a non-breaking hyphen: the number stays whole
  return (
    <form
      className="gd-survey-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (score === null) setMissing(true);
        else onSend(score, comment.trim());
      }}
    >
      <Typography.Paragraph strong>{t(survey.kind === 'nps' ? 'surveys.askNps' : 'surveys.askCsat', { number })}</Typography.Paragraph>
      <ScorePicker survey={survey} value={score} onChange={(next) => { setScore(next); setMissing(false); }} />
      {missing && <Typography.Text type="danger" role="alert">{t('surveys.chooseScore')}</Typography.Text>}
      {score !== null && ( // asked once a score is chosen, so a list of surveys stays short
        <label className="gd-survey-comment">
          <span>{t('surveys.comment')}</span>
          <Input.TextArea rows={3} maxLength={5000} value={comment} onChange={(event) => setComment(event.target.value)} />
        </label>
      )}
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 12 }} />}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>{t('surveys.send')}</Button>
      </Space>
    </form>
  );
}
