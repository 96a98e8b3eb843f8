import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';

/** Formats ISO timestamps in the user's profile time zone and UI language. */
export function formatDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  } catch {
    // unknown time zone: fall back to the browser's
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}

export function useDateTimeFormatter(): (iso: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const { user } = useAuth();
  const timeZone = user?.time_zone;
  const language = i18n.language;
  return useCallback((iso) => formatDateTime(iso, language, timeZone), [language, timeZone]);
}

/** A file size for people: 512 B, 1.2 KB, 3.4 MB. */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
