// i18next set-up. Every UI string lives in en.json and zh-CN.json; the two
// catalogs must have the same keys (checked at compile time below).
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../types';
import { humanizeWait } from './duration';
import en from './en.json';
import zhCN from './zh-CN.json';

// Compile-time parity check: both catalogs have exactly the same keys.
const zhHasEnKeys: typeof en = zhCN;
const enHasZhKeys: typeof zhCN = en;
void zhHasEnKeys;
void enHasZhKeys;

export const SUPPORTED_LOCALES: readonly Locale[] = ['en', 'zh-CN'];
const STORAGE_KEY = 'gongdan.locale';

export function normalizeLocale(value: string | null | undefined): Locale | null {
  if (!value) return null;
  const lower = value.toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh')) return 'zh-CN';
  return null;
}

/** Language for a visitor who is not logged in: last choice on this device, else the browser's. */
export function browserLocale(): Locale {
  try {
    const stored = normalizeLocale(window.localStorage.getItem(STORAGE_KEY));
    if (stored) return stored;
  } catch {
    // storage may be unavailable (private mode); fall through
  }
  const candidates = typeof navigator !== 'undefined' ? [...(navigator.languages ?? []), navigator.language] : [];
  for (const candidate of candidates) {
    const locale = normalizeLocale(candidate);
    if (locale) return locale;
  }
  return 'en';
}

function applyLocaleSideEffects(locale: Locale): void {
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

export async function setLocale(locale: Locale, remember = true): Promise<void> {
  if (remember) {
    try {
      window.localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // ignore
    }
  }
  applyLocaleSideEffects(locale);
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

const initial = browserLocale();
applyLocaleSideEffects(initial);

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: en },
    'zh-CN': { translation: zhCN },
  },
  lng: initial,
  fallbackLng: 'en',
  supportedLngs: [...SUPPORTED_LOCALES],
  load: 'currentOnly',
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
  initAsync: false,
});

// "{{count, wait}}": a number of seconds as a wait people read ("15 minutes", "15分钟").
i18n.services.formatter?.add('wait', (value: number, lng: string | undefined) => humanizeWait(value, lng ?? 'en'));

export default i18n;
