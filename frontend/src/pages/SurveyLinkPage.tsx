import { Alert, Result, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import i18n, { normalizeLocale, setLocale } from '../i18n';
import SurveyForm from '../surveys/SurveyForm';
import '../surveys/i18n';
import type { SurveyLinkInfo } from '../types';
import { describeApiError } from '../utils/errors';
import { usePageTitle } from '../utils/usePageTitle';
import { Shell } from './PasswordPages';

/**
 * The page a survey link opens (from the e-mail, the inbox or a chat message): it speaks the requester's language,
 * shows the scale, and only the button answers. A link that is not valid, has expired, or was answered already
 * says so and changes nothing; the thank-you page follows the answer.
 */
export default function SurveyLinkPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [info, setInfo] = useState<SurveyLinkInfo | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [closed, setClosed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<SurveyLinkInfo | null>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('surveys.linkTitle'));

  useEffect(() => {
    if (!token) {
      setInvalid(i18n.t('surveys.noToken'));
      return;
    }
    api.get<SurveyLinkInfo>('/survey-links', { token }, { skipAuthRedirect: true }).then(
      async (found) => {
        const locale = normalizeLocale(found.locale);
        if (locale) await setLocale(locale, false); // the requester's language, unless they switch it here
        setInfo(found);
      },
      (caught) => setInvalid(caught instanceof ApiError ? caught.message : i18n.t('errors.unexpected')),
    );
  }, [token]); // not on a language change: the requester may switch it here

  const send = async (score: number, comment: string) => {
    setBusy(true);
    setError(null);
    try {
      setDone(await api.post<SurveyLinkInfo>('/survey-links', { token, score, comment: comment || null }, { skipAuthRedirect: true }));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 410) setInvalid(caught.message);
      else if (caught instanceof ApiError && (caught.status === 409 || caught.status === 403 || caught.status === 401)) setClosed(caught.message);
      else setError(caught instanceof ApiError ? describeApiError(caught, t) : t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  };

  const title = t('surveys.linkTitle');
  if (invalid) {
    return (
      <Shell title={title}>
        <Alert type="error" showIcon role="alert" message={invalid} description={t('surveys.invalidMore')} />
        <p className="gd-login-links"><Link to="/portal/tickets">{t('surveys.openPortal')}</Link></p>
      </Shell>
    );
  }
  if (!info) return <Shell title={title}><Skeleton active /></Shell>;
  const survey = (done ?? info).survey;
  const number = survey.ticket.number.replace(/-/g, '\u2011'); // a non-breaking hyphen: the number stays on one line
  const ticketLink = <Link to={`/tickets/${survey.ticket.id}`}>{t('surveys.openTicket', { number: survey.ticket.number })}</Link>;
  if (done) {
    return (
      <Shell title={title}>
        <Result
          status="success"
          title={t('surveys.thanks')}
          subTitle={<>{t('surveys.thanksMore', { number })}{survey.bad && <><br />{t('surveys.thanksBad')}</>}</>}
        />
      </Shell>
    );
  }
  const answered = survey.score !== null;
  return (
    <Shell title={title}>
      <p className="gd-survey-ticket">{survey.ticket.number} · {survey.ticket.title}</p>
      {closed && <Alert type="warning" showIcon role="alert" message={closed} style={{ marginBottom: 16 }} />}
      {!closed && answered && (
        <Alert type="info" showIcon role="alert" message={t('surveys.answeredAlready')} description={t('surveys.answered', { score: survey.score, high: survey.high })} />
      )}
      {!closed && !answered && survey.expired && <Alert type="warning" showIcon role="alert" message={t('surveys.expired')} />}
      {!closed && !answered && !survey.expired && info.needs_sign_in && (
        <Alert
          type="info"
          showIcon
          message={t('surveys.signIn')}
          action={<Link to={`/login?next=${encodeURIComponent(`/survey?token=${token}`)}`}>{t('surveys.signInButton')}</Link>}
        />
      )}
      {!closed && survey.can_answer && <SurveyForm survey={survey} onSend={(score, comment) => void send(score, comment)} busy={busy} error={error} />}
      {(answered || closed || survey.expired) && <p className="gd-login-links">{ticketLink}</p>}
    </Shell>
  );
}
