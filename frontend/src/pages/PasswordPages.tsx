import { Alert, Button, Card, Form, Input, Result, Skeleton, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, api, fieldFromPath } from '../api';
import LanguageSwitch from '../components/LanguageSwitch';
import { LockOutlined, MailOutlined } from '../icons';
import { describeApiError } from '../utils/errors';
import { usePageTitle } from '../utils/usePageTitle';

/** The pages anyone may open without an account: the login page's look, a card and the language switch. */
export function Shell({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <main className="gd-login">
      <Card className="gd-login-card">
        <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center', marginTop: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Title level={2} style={{ fontSize: 18, textAlign: 'center' }}>
          {title}
        </Typography.Title>
        {children}
      </Card>
      <div className="gd-login-footer">
        <LanguageSwitch />
      </div>
    </main>
  );
}

/** "Forgot password": ask for a reset link by e-mail. The answer never says whether the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ email: string }>();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(t('password.forgotTitle'));

  const onFinish = async ({ email }: { email: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/password-reset', { email: email.trim() });
      setSent(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        setError(t('password.tooMany', { count: Math.ceil((err.retryAfter ?? 60) / 60) }));
      } else {
        setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Shell title={t('password.forgotTitle')}>
      {sent ? (
        <Alert type="success" showIcon role="status" message={t('password.sent')} description={t('password.sentMore')} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('password.forgotText')}</Typography.Paragraph>
          {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
          <Form form={form} name="forgot" layout="vertical" requiredMark={false} onFinish={(values) => void onFinish(values)}>
            <Form.Item
              label={t('login.email')}
              name="email"
              rules={[
                { required: true, whitespace: true, message: t('validation.required', { field: t('login.email') }) },
                { type: 'email', message: t('validation.email') },
              ]}
            >
              <Input prefix={<MailOutlined />} type="email" autoComplete="username" autoFocus inputMode="email" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('password.send')}
            </Button>
          </Form>
        </>
      )}
      <p className="gd-login-links">
        <Link to="/login">{t('password.backToLogin')}</Link>
      </p>
    </Shell>
  );
}

interface LinkInfo {
  purpose: 'invite' | 'reset';
  email: string;
  name: string;
  expires_at: string;
}

/** Where an invitation or reset link leads: choose a password (twice), once. */
export function SetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [info, setInfo] = useState<LinkInfo | null>(null);
  const [invalid, setInvalid] = useState(!token);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(t('password.setTitle'));

  useEffect(() => {
    if (!token) return;
    api.get<LinkInfo>('/auth/password-link', { token }).then(setInfo, () => setInvalid(true));
  }, [token]);

  const onFinish = async ({ password }: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/password-link', { token, password });
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 410) {
        setInvalid(true);
      } else if (err instanceof ApiError) {
        const onField = err.details.filter((d) => fieldFromPath(d.path) === 'password');
        if (onField.length) form.setFields([{ name: 'password', errors: onField.map((d) => d.message) }]);
        else setError(describeApiError(err, t));
      } else {
        setError(t('errors.unexpected'));
      }
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Shell title={t('password.setTitle')}>
        <Result status="success" title={t('password.done')} extra={<Link to="/login">{t('password.logIn')}</Link>} />
      </Shell>
    );
  }
  if (invalid) {
    return (
      <Shell title={t('password.setTitle')}>
        <Alert type="error" showIcon role="alert" message={t('password.invalid')} description={t('password.invalidMore')} />
        <p className="gd-login-links">
          <Link to="/forgot-password">{t('password.askAgain')}</Link>
        </p>
      </Shell>
    );
  }
  if (!info) return <Shell title={t('password.setTitle')}><Skeleton active /></Shell>;

  return (
    <Shell title={info.purpose === 'invite' ? t('password.welcome', { name: info.name }) : t('password.setTitle')}>
      <Typography.Paragraph type="secondary">
        {t(info.purpose === 'invite' ? 'password.inviteText' : 'password.resetText', { email: info.email })}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} name="set-password" layout="vertical" requiredMark={false} onFinish={(values) => void onFinish(values)}>
        <input type="email" name="username" autoComplete="username" value={info.email} readOnly hidden />
        <Form.Item
          label={t('password.new')}
          name="password"
          rules={[{ required: true, message: t('validation.required', { field: t('password.new') }) }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item
          label={t('password.confirm')}
          name="confirm"
          dependencies={['password']}
          rules={[
            { required: true, message: t('validation.required', { field: t('password.confirm') }) },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('password.save')}
        </Button>
      </Form>
    </Shell>
  );
}
