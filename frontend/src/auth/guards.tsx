import { Button, Spin } from 'antd';
import LazyResult from '../components/LazyResult';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from './AuthContext';

export function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <div className="gd-center" role="status" aria-live="polite">
      <Spin size="large" />
      <span className="gd-visually-hidden">{t('common.loading')}</span>
    </div>
  );
}

/** Only a safe, same-site path is accepted as the page to return to. */
export function safeNext(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value.startsWith('/login')) return '/';
  return value;
}

/** Sends visitors who are not logged in to /login?next=<where they were going>. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, loadError, loggedOut, reload } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();

  if (status === 'loading') return <FullPageSpinner />;
  if (status === 'error') {
    return (
      <LazyResult
        status="warning"
        title={t('errors.loadSessionTitle')}
        subTitle={loadError?.message}
        extra={
          <Button type="primary" onClick={() => void reload()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (status === 'anonymous') {
    const next = `${location.pathname}${location.search}${location.hash}`;
    // After an explicit logout, do not carry the page over to the next login.
    const to = next === '/' || loggedOut ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  return <>{children}</>;
}

/** Renders its children for users with the role (or any of the roles), a 403 page otherwise. */
export function RequireRole({ role, children }: { role: string | string[]; children: ReactNode }) {
  return <RequireAnyRole roles={Array.isArray(role) ? role : [role]}>{children}</RequireAnyRole>;
}

/** The page for users holding at least one of `roles`; a 403 page for the others. */
export function RequireAnyRole({ roles, children }: { roles: string[]; children: ReactNode }) {
  const { hasRole } = useAuth();
  const { t } = useTranslation();
  const navigate = useNavigate();
  if (!roles.some((role) => hasRole(role))) {
    return (
      <LazyResult
        status="403"
        title={t('errors.forbiddenTitle')}
        subTitle={t('errors.forbiddenText')}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {t('common.backHome')}
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
}
