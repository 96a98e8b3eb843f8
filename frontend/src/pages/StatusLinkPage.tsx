import { Alert, Card, Descriptions, Skeleton, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import LanguageSwitch from '../components/LanguageSwitch';
import i18n, { normalizeLocale, setLocale } from '../i18n';
import '../status/i18n';
import '../status/status.css';
import type { StatusLinkView } from '../types';
import { formatDateTime } from '../utils/format';
import { usePageTitle } from '../utils/usePageTitle';

const CATEGORY_COLOURS: Record<StatusLinkView['status_category'], string> = {
  new: 'blue', open: 'processing', pending: 'warning', resolved: 'success', closed: 'default',
};

function Frame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <main className="gd-login">
      <Card className="gd-login-card gd-status-card">
        <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center', marginTop: 0 }}>{t('app.name')}</Typography.Title>
        <Typography.Title level={2} style={{ fontSize: 18, textAlign: 'center' }}>{title}</Typography.Title>
        {children}
      </Card>
      <div className="gd-login-footer"><LanguageSwitch /></div>
    </main>
  );
}

/**
 * The page a status link opens (sent to the requester when the ticket is created): no sign-in, read-only. It speaks
 * the requester's language (state names from the definition's translations) unless they switch it here, and shows
 * the ticket's number, product, current state, service details and public timeline. A link that was changed or has
 * expired shows nothing of the ticket.
 */
export default function StatusLinkPage() {
  const { t, i18n: { language } } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [view, setView] = useState<StatusLinkView | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  usePageTitle(t('status.title'));

  useEffect(() => {
    if (!token) {
      setInvalid(i18n.t('status.noToken'));
      return;
    }
    api.get<StatusLinkView>('/status-links', { token }, { skipAuthRedirect: true }).then(
      async (found) => {
        const locale = normalizeLocale(found.locale);
        if (locale) await setLocale(locale, false); // the requester's language, unless they switch it here
        setView(found);
      },
      (caught) => setInvalid(caught instanceof ApiError ? caught.message : i18n.t('errors.unexpected')),
    );
  }, [token]);

  useEffect(() => { // switched language here: the state names and field values follow
    if (!view || normalizeLocale(view.locale) === normalizeLocale(language)) return;
    api.get<StatusLinkView>('/status-links', { token, locale: normalizeLocale(language) ?? 'en' }, { skipAuthRedirect: true })
      .then(setView, () => undefined);
  }, [language, token, view]);

  const title = t('status.title');
  if (invalid) {
    return (
      <Frame title={title}>
        <Alert type="error" showIcon role="alert" message={invalid} description={t('status.invalidMore')} />
        <p className="gd-login-links"><Link to="/portal/tickets">{t('status.openPortal')}</Link></p>
      </Frame>
    );
  }
  if (!view) return <Frame title={title}><Skeleton active /></Frame>;
  const when = (iso: string) => formatDateTime(iso, language);
  return (
    <Frame title={title}>
      <p className="gd-survey-ticket"><strong>{view.number}</strong> · {view.type}</p>
      <p>{view.title}</p>
      <div className="gd-status-now" data-testid="status-now">
        <span>{t('status.current')}</span>
        <Tag color={CATEGORY_COLOURS[view.status_category]}>{view.status_name}</Tag>
      </div>
      <Typography.Text type="secondary">{t('status.updated', { at: when(view.updated_at) })}</Typography.Text>
      {view.fields.length > 0 && (
        <Descriptions title={t('status.details')} column={1} size="small" bordered style={{ marginTop: 16 }}
          items={view.fields.map((field) => ({ key: field.name, label: field.title, children: field.value }))} />
      )}
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 24 }}>{t('status.timeline')}</Typography.Title>
      <Timeline
        items={[...view.timeline].reverse().map((step, index) => ({
          key: index,
          color: step.kind === 'reply' ? 'green' : 'blue',
          children: (
            <div>
              <Typography.Text strong>
                {step.kind === 'created' ? t('status.created')
                  : step.kind === 'status' ? t('status.changed', { state: step.state ?? '' })
                    : step.by === 'you' ? t('status.replyYou') : t('status.replyStaff')}
              </Typography.Text>
              <br />
              <Typography.Text type="secondary">{when(step.at)}</Typography.Text>
              {step.text && <p className="gd-status-reply">{step.text}</p>}
            </div>
          ),
        }))}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('status.validity', { days: view.expires_in_days })}</Typography.Paragraph>
    </Frame>
  );
}
