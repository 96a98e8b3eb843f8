import { Alert, Button, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api';
import { describeApiError } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import './i18n';
import './knowledge.css';
import type { Article, FeedbackSummary } from './types';

const MAX_COMMENT = 1000;

type Step = 'ask' | 'comment' | 'thanks' | 'answered';

/** "Did this help?" under a published article: Yes / No, then a thank-you (after No, an optional comment);
 * a reader who already answered sees their answer and may change it. Staff also see how readers answered. */
export default function ArticleFeedback({ article }: { article: Article }) {
  const { t, i18n } = useTranslation();
  const [summary, setSummary] = useState<FeedbackSummary>(article.feedback ?? { mine: null });
  const [step, setStep] = useState<Step>(summary.mine ? 'answered' : 'ask');
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState<'yes' | 'no' | 'comment' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const send = async (helpful: boolean, text: string, which: 'yes' | 'no' | 'comment', next: Step) => {
    setSending(which);
    setError(null);
    try {
      setSummary(await api.post<FeedbackSummary>(`/knowledge/articles/${article.id}/feedback`, { helpful, comment: text }));
      setStep(next);
    } catch (err) {
      setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected'));
    } finally {
      setSending(null);
    }
  };

  const published = article.status === 'published';
  const answers = summary.counts ? summary.counts.helpful + summary.counts.not_helpful : 0;
  if (!published && !answers) return null; // a draft takes no answers; staff still see those it had
  return (
    <section className="gd-kb-feedback" lang={i18n.language} aria-labelledby="gd-kb-feedback-title" data-testid="article-feedback">
      {published && (
        <>
          <h2 id="gd-kb-feedback-title" className="gd-kb-feedback-title">{t('knowledge.feedback.question')}</h2>
          {step === 'ask' && (
            <Space wrap>
              <Button onClick={() => void send(true, '', 'yes', 'thanks')} loading={sending === 'yes'} disabled={!!sending}>
                {t('knowledge.feedback.yes')}
              </Button>
              <Button onClick={() => void send(false, '', 'no', 'comment')} loading={sending === 'no'} disabled={!!sending}>
                {t('knowledge.feedback.no')}
              </Button>
            </Space>
          )}
          {step === 'comment' && (
            <div className="gd-kb-feedback-comment">
              <label htmlFor="gd-kb-feedback-text">{t('knowledge.feedback.commentLabel')}</label>
              <Input.TextArea id="gd-kb-feedback-text" value={comment} onChange={(e) => setComment(e.target.value)}
                maxLength={MAX_COMMENT} showCount autoSize={{ minRows: 3, maxRows: 8 }}
                placeholder={t('knowledge.feedback.commentPlaceholder')} />
              <Space wrap>
                <Button type="primary" disabled={!comment.trim() || !!sending} loading={sending === 'comment'}
                  onClick={() => void send(false, comment, 'comment', 'thanks')}>
                  {t('knowledge.feedback.send')}
                </Button>
                <Button onClick={() => setStep('thanks')} disabled={!!sending}>{t('knowledge.feedback.skip')}</Button>
              </Space>
            </div>
          )}
          {(step === 'thanks' || step === 'answered') && (
            <p className="gd-kb-feedback-done" role="status">
              {step === 'thanks'
                ? t('knowledge.feedback.thanks')
                : summary.mine?.helpful ? t('knowledge.feedback.youSaidYes') : t('knowledge.feedback.youSaidNo')}{' '}
              <Button type="link" size="small" className="gd-kb-feedback-change"
                onClick={() => { setComment(''); setStep('ask'); }}>
                {t('knowledge.feedback.change')}
              </Button>
            </p>
          )}
          {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
        </>
      )}
      {summary.counts && <FeedbackCounts counts={summary.counts} />}
    </section>
  );
}

/** Staff: how many readers found the article helpful or not, and the latest comments (never who wrote them). */
function FeedbackCounts({ counts }: { counts: NonNullable<FeedbackSummary['counts']> }) {
  const { t } = useTranslation();
  const format = useDateTimeFormatter();
  return (
    <div className="gd-kb-feedback-counts" data-testid="article-feedback-counts">
      <h3 className="gd-kb-suggestions-title">{t('knowledge.feedback.countsTitle')}</h3>
      <Typography.Text>
        {counts.helpful + counts.not_helpful
          ? t('knowledge.feedback.counts', { helpful: counts.helpful, notHelpful: counts.not_helpful })
          : t('knowledge.feedback.noAnswers')}
      </Typography.Text>
      {counts.recent_comments.length > 0 && (
        <ul className="gd-kb-list">
          {counts.recent_comments.map((item, index) => (
            <li key={index} className="gd-kb-feedback-note">
              <Tag color={item.helpful ? 'green' : 'red'}>
                {item.helpful ? t('knowledge.feedback.helpful') : t('knowledge.feedback.notHelpful')}
              </Tag>
              <Typography.Text type="secondary" className="gd-small">{format(item.answered_at)}</Typography.Text>
              <div className="gd-kb-feedback-text">{item.comment}</div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
