import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken, setReadOnlyHandler, setUnauthorizedHandler } from '../api';
import { normalizeLocale, setLocale } from '../i18n';
import type { Locale, SessionResponse, User } from '../types';

/** While read-only, how often /me is asked whether it has ended. */
const READ_ONLY_POLL_MS = 30_000;

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated' | 'error';

export interface ProfilePatch {
  name?: string;
  locale?: Locale;
  time_zone?: string;
  current_password?: string;
  new_password?: string;
}

interface AuthContextValue {
  status: AuthStatus;
  user: User | null;
  /** Error from the initial GET /me when it was neither 200 nor 401. */
  loadError: ApiError | null;
  /** True after the user logged out here (not when the session expired). */
  loggedOut: boolean;
  login: (email: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
  reload: () => Promise<void>;
  updateProfile: (patch: ProfilePatch) => Promise<User>;
  hasRole: (role: string) => boolean;
  /** The instance is in read-only maintenance mode: writes are refused (503) until it ends. */
  readOnly: boolean;
  /** Ask /me again whether the read-only mode has begun or ended, without disturbing the page. */
  refreshMaintenance: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

function applyUserLocale(user: User): void {
  const locale = normalizeLocale(user.locale);
  if (locale) void setLocale(locale);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [user, setUser] = useState<User | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [loggedOut, setLoggedOut] = useState(false);
  const [readOnly, setReadOnly] = useState(false);

  const acceptSession = useCallback((session: SessionResponse) => {
    setCsrfToken(session.csrf_token);
    setUser(session.user);
    setStatus('authenticated');
    setLoadError(null);
    setLoggedOut(false);
    setReadOnly(!!session.maintenance?.read_only);
    applyUserLocale(session.user);
  }, []);

  // Ask /me again without disturbing the page: whether the read-only mode has begun or ended.
  const refreshMaintenance = useCallback(async () => {
    try {
      const session = await api.get<SessionResponse>('/me', undefined, { skipAuthRedirect: true });
      setReadOnly(!!session.maintenance?.read_only);
    } catch {
      // the next poll or the next request tells
    }
  }, []);

  useEffect(() => {
    setReadOnlyHandler(() => setReadOnly(true));
    return () => setReadOnlyHandler(null);
  }, []);

  useEffect(() => {
    if (!readOnly || status !== 'authenticated') return undefined;
    const timer = window.setInterval(() => void refreshMaintenance(), READ_ONLY_POLL_MS);
    return () => window.clearInterval(timer);
  }, [readOnly, status, refreshMaintenance]);

  const clearSession = useCallback(() => {
    setCsrfToken(null);
    setUser(null);
    setStatus('anonymous');
  }, []);

  const reload = useCallback(async () => {
    setStatus('loading');
    try {
      const session = await api.get<SessionResponse>('/me', undefined, { skipAuthRedirect: true });
      acceptSession(session);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        clearSession();
      } else {
        setLoadError(error instanceof ApiError ? error : new ApiError(0, 'unexpected', String(error)));
        setStatus('error');
      }
    }
  }, [acceptSession, clearSession]);

  useEffect(() => {
    void reload();
  }, [reload]);

  // Any later 401 means the session has ended (expired, logged out elsewhere).
  useEffect(() => {
    setUnauthorizedHandler(clearSession);
    return () => setUnauthorizedHandler(null);
  }, [clearSession]);

  const login = useCallback(
    async (email: string, password: string) => {
      const session = await api.post<SessionResponse>('/auth/login', { email, password }, { skipAuthRedirect: true });
      acceptSession(session);
      return session.user;
    },
    [acceptSession],
  );

  const logout = useCallback(async () => {
    try {
      await api.post<void>('/auth/logout', {}, { skipAuthRedirect: true });
    } finally {
      setLoggedOut(true);
      clearSession();
    }
  }, [clearSession]);

  const updateProfile = useCallback(
    async (patch: ProfilePatch) => {
      const session = await api.patch<SessionResponse>('/me', patch);
      acceptSession(session);
      return session.user;
    },
    [acceptSession],
  );

  const hasRole = useCallback((role: string) => !!user?.roles.includes(role), [user]);

  const value = useMemo<AuthContextValue>(
    () => ({ status, user, loadError, loggedOut, login, logout, reload, updateProfile, hasRole, readOnly, refreshMaintenance }),
    [status, user, loadError, loggedOut, login, logout, reload, updateProfile, hasRole, readOnly, refreshMaintenance],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}

/** Whether the instance is read-only (maintenance): write buttons are disabled. False outside an AuthProvider. */
export function useReadOnly(): boolean {
  return useContext(AuthContext)?.readOnly ?? false;
}
