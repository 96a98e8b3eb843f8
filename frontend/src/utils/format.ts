import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';

const formats = new Map<string, Intl.DateTimeFormat>();

/** One Intl.DateTimeFormat per language and time zone: making one costs far more than formatting with it. */
function dateTimeFormat(locale: string, timeZone?: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    } catch {
      // unknown time zone: fall back to the browser's
      format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    }
    formats.set(key, format);
  }
  return format;
}

/** Formats ISO timestamps in the user's profile time zone and UI language. */
export function formatDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat(locale, timeZone).format(date);
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
