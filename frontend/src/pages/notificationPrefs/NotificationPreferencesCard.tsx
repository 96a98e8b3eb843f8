// The user's own notification channels (GET/PUT /api/v1/me/notification-preferences): in-app always; email at
// all, and per kind.
import { App, Button, Card, Checkbox, Switch, Table, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useErrorHandler } from '../../utils/errors';
import './i18n';

export interface Preferences {
  in_app: boolean;
  email: boolean;
  kinds: Record<string, string[]>;
}

interface KindRow {
  kind: string;
  email: boolean;
}

/** The body to PUT: every kind with in_app, and email where chosen. */
export function preferencesBody(email: boolean, rows: KindRow[]): Preferences {
  return { in_app: true, email, kinds: Object.fromEntries(rows.map((r) => [r.kind, r.email ? ['in_app', 'email'] : ['in_app']])) };
}

export default function NotificationPreferencesCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [email, setEmail] = useState(true);
  const [rows, setRows] = useState<KindRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void (async () => {
      try {
        const prefs = await api.get<Preferences>('/me/notification-preferences');
        setEmail(prefs.email);
        setRows(Object.entries(prefs.kinds).map(([kind, channels]) => ({ kind, email: channels.includes('email') })));
      } catch (error) {
        handleError(error);
      } finally {
        setLoading(false);
      }
    })();
  }, [handleError]);

  const save = async () => {
    setSaving(true);
    try {
      const saved = await api.put<Preferences>('/me/notification-preferences', preferencesBody(email, rows));
      setEmail(saved.email);
      void message.success(t('notificationPrefs.saved'));
    } catch (error) {
      handleError(error);
    } finally {
      setSaving(false);
    }
  };

  const label = (kind: string) => {
    const key = `notificationPrefs.kinds.${kind}`;
    return i18n.exists(key) ? t(key as 'notificationPrefs.kinds.assigned') : kind;
  };

  const columns: TableColumnsType<KindRow> = [
    { title: t('notificationPrefs.kind'), key: 'kind', render: (_, r) => label(r.kind) },
    { title: t('notificationPrefs.inApp'), key: 'in_app', render: () => <Typography.Text type="secondary">{t('notificationPrefs.always')}</Typography.Text> },
    {
      title: t('notificationPrefs.byEmail'),
      key: 'email',
      render: (_, r) => (
        <Checkbox
          checked={email && r.email}
          disabled={!email}
          aria-label={`${t('notificationPrefs.byEmail')}: ${label(r.kind)}`}
          onChange={(e) => setRows((prev) => prev.map((p) => (p.kind === r.kind ? { ...p, email: e.target.checked } : p)))}
        />
      ),
    },
  ];

  return (
    <Card title={<h2 className="gd-card-title">{t('notificationPrefs.title')}</h2>} data-testid="notification-preferences">
      <Typography.Paragraph type="secondary">{t('notificationPrefs.intro')}</Typography.Paragraph>
      <p>
        <Switch checked={email} onChange={setEmail} aria-label={t('notificationPrefs.email')} disabled={loading} />{' '}
        <span aria-hidden>{t('notificationPrefs.email')}</span>
        <br />
        <Typography.Text type="secondary">{t('notificationPrefs.emailHelp')}</Typography.Text>
      </p>
      <Table<KindRow> rowKey="kind" size="small" columns={columns} dataSource={rows} loading={loading} pagination={false} scroll={{ x: 'max-content' }} />
      <Button type="primary" style={{ marginTop: 12 }} onClick={() => void save()} loading={saving} disabled={loading}>
        {t('notificationPrefs.save')}
      </Button>
    </Card>
  );
}
