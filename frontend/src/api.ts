// Thin fetch wrapper for the JSON API under /api/v1.
// - sends the session cookie (same-origin) and, on writes, X-CSRF-Token;
// - turns the back end's error envelope into an ApiError;
// - tells the auth layer when a request comes back 401 (session ended).
import i18n from './i18n';

export const API_BASE = '/api/v1';

export interface ErrorDetail {
  path?: string;
  location?: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** Seconds to wait, from a Retry-After header (429), if any. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = [], retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not report a 401 to the auth layer (login, the initial /me). */
  skipAuthRedirect?: boolean;
  /** Extra request headers (Idempotency-Key, If-Match). */
  headers?: Record<string, string>;
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

let onReadOnly: (() => void) | null = null;

/** Called when a write is refused because the instance is read-only (503, code read_only). */
export function setReadOnlyHandler(handler: (() => void) | null): void {
  onReadOnly = handler;
}

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  const envelope = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (envelope && typeof envelope === 'object') {
    const code = typeof envelope.code === 'string' ? envelope.code : `http_${response.status}`;
    const message =
      typeof envelope.message === 'string' && envelope.message
        ? envelope.message
        : i18n.t('errors.http', { status: response.status });
    const details = Array.isArray(envelope.details)
      ? (envelope.details as unknown[])
          .filter((d): d is ErrorDetail => !!d && typeof d === 'object' && typeof (d as ErrorDetail).message === 'string')
      : [];
    return new ApiError(response.status, code, message, details, retryAfter);
  }
  return new ApiError(response.status, `http_${response.status}`, i18n.t('errors.http', { status: response.status }), [], retryAfter);
}

function isCsrfFailure(error: ApiError): boolean {
  return error.status === 403 && error.code.toLowerCase().includes('csrf');
}

async function send(method: Method, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': i18n.language || 'en',
    ...options.headers,
  };
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    init.body = JSON.stringify(options.body ?? {});
  }
  try {
    return await fetch(buildUrl(path, options.query), init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', i18n.t('errors.network'));
  }
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(method, path, options);
  if (!response.ok) {
    let error = await toApiError(response);
    // A stale CSRF token (e.g. after the session was renewed in another tab):
    // fetch a fresh one from /me and try once more.
    if (method !== 'GET' && isCsrfFailure(error)) {
      const me = await send('GET', '/me', {});
      if (me.ok) {
        const body = (await me.json()) as { csrf_token?: string };
        if (body.csrf_token) setCsrfToken(body.csrf_token);
        response = await send(method, path, options);
        if (response.ok) return parseBody<T>(response);
        error = await toApiError(response);
      }
    }
    if (error.status === 401 && !options.skipAuthRedirect) onUnauthorized?.();
    if (error.status === 503 && error.code === 'read_only') onReadOnly?.();
    throw error;
  }
  return parseBody<T>(response);
}

async function parseBody<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'invalid_response', i18n.t('errors.invalidResponse'));
  }
}

/** POST multipart/form-data (file uploads); the same errors and CSRF handling as JSON requests. */
async function upload<T>(path: string, form: FormData): Promise<T> {
  const attempt = () => {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': i18n.language || 'en' };
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    return fetch(buildUrl(path), { method: 'POST', headers, body: form, credentials: 'same-origin' }).catch(() => {
      throw new ApiError(0, 'network_error', i18n.t('errors.network'));
    });
  };
  const response = await attempt();
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401) onUnauthorized?.();
    if (error.status === 503 && error.code === 'read_only') onReadOnly?.();
    throw error;
  }
  return parseBody<T>(response);
}

export const api = {
  upload,
  get: <T>(path: string, query?: Query, options: Omit<RequestOptions, 'query' | 'body'> = {}) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('PATCH', path, { ...options, body }),
  delete: <T = void>(path: string, options: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('DELETE', path, options),
};

/** Field name for an error detail path: "/email" -> "email", "/member_ids/0" -> "member_ids". */
export function fieldFromPath(path: string | undefined): string | null {
  if (!path) return null;
  const first = path.replace(/^\/+/, '').split('/')[0];
  return first ? decodeURIComponent(first.replace(/~1/g, '/').replace(/~0/g, '~')) : null;
}
