import { LockOutlined, MailOutlined } from '../icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, fieldFromPath } from '../api';
import { useAuth } from '../auth/AuthContext';
import { FullPageSpinner, safeNext } from '../auth/guards';
import LanguageSwitch from '../components/LanguageSwitch';
import { describeApiError } from '../utils/errors';
import { usePageTitle } from '../utils/usePageTitle';

interface LoginValues {
  email: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { status, login } = useAuth();
  const [form] = Form.useForm<LoginValues>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  usePageTitle(t('login.title'));

  // Count down a 429's Retry-After so the message stays true.
  useEffect(() => {
    if (retryUntil === null) return;
    const timer = window.setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= retryUntil) {
        setRetryUntil(null);
        setError(null);
      }
    }, 1000);
    return () => window.clearInterval(timer);
  }, [retryUntil]);

  if (status === 'loading') return <FullPageSpinner />;
  if (status === 'authenticated') return <Navigate to={next} replace />;

  const onFinish = async (values: LoginValues) => {
    setSubmitting(true);
    setError(null);
    setRetryUntil(null);
    try {
      await login(values.email.trim(), values.password);
      navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError) {
        if (err.status === 429 && err.retryAfter !== null) {
          const until = Date.now() + err.retryAfter * 1000;
          setNow(Date.now());
          setRetryUntil(until);
        } else if (err.status === 401) {
          setError(t('login.invalidCredentials'));
        } else {
          setError(describeApiError(err, t));
        }
        const fields = err.details
          .map((d) => ({ name: fieldFromPath(d.path), message: d.message }))
          .filter((d): d is { name: 'email' | 'password'; message: string } => d.name === 'email' || d.name === 'password');
        if (fields.length) form.setFields(fields.map((f) => ({ name: f.name, errors: [f.message] })));
      } else {
        setError(t('errors.unexpected'));
      }
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  };

  const secondsLeft = retryUntil !== null ? Math.max(0, Math.ceil((retryUntil - now) / 1000)) : 0;
  const alertText = retryUntil !== null ? t('errors.rateLimitedRetry', { count: secondsLeft }) : error;

  return (
    <main className="gd-login">
      <Card className="gd-login-card">
        <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center', marginTop: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('login.subtitle')}
        </Typography.Paragraph>
        {alertText && (
          <Alert type="error" showIcon message={alertText} role="alert" style={{ marginBottom: 16 }} />
        )}
        <Form<LoginValues> form={form} name="login" layout="vertical" requiredMark={false} onFinish={onFinish} autoComplete="on">
          <Form.Item
            label={t('login.email')}
            name="email"
            rules={[
              { required: true, message: t('validation.required', { field: t('login.email') }) },
              { type: 'email', message: t('validation.email') },
            ]}
          >
            <Input prefix={<MailOutlined />} type="email" autoComplete="username" autoFocus inputMode="email" />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('validation.required', { field: t('login.password') }) }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting} disabled={retryUntil !== null}>
            {t('login.submit')}
          </Button>
        </Form>
        <p className="gd-login-links">
          <Link to="/forgot-password">{t('password.forgotLink')}</Link>
        </p>
      </Card>
      <div className="gd-login-footer">
        <LanguageSwitch />
      </div>
    </main>
  );
}
