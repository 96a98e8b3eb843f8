// Field keys from labels: "Serial number" -> serial_number, "序列号" -> xu_lie_hao. Stable (the same
// label always gives the same key), readable, a valid field name, not reserved, unique in the form.
import { pinyin } from 'pinyin-pro';

/** Names the format reserves: rules read `ticket.*`, `comment` is the transition comment, `i18n` holds translations. */
export const RESERVED_KEYS = ['ticket', 'comment', 'i18n'];
export const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX = 64;

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/** A field name for a label, before making it unique. */
export function baseKey(label: string, fallback = 'field'): string {
  const text = label.normalize('NFKC').trim();
  const parts = HAN.test(text) ? pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }) : [text];
  const words = parts
    .join(' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let key = '';
  for (const word of words) {
    const next = key ? `${key}_${word}` : word;
    if (next.length > MAX) break;
    key = next;
  }
  if (!key) key = fallback;
  if (!/^[a-z]/.test(key)) key = `${fallback}_${key}`.slice(0, MAX);
  return key;
}

/** `base`, or `base_2`, `base_3` … : the first that is neither taken nor reserved. */
export function uniqueKey(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const free = (key: string) => !used.has(key) && !RESERVED_KEYS.includes(key);
  if (free(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const key = `${base.slice(0, MAX - suffix.length)}${suffix}`;
    if (free(key)) return key;
  }
}

export function keyFromLabel(label: string, taken: Iterable<string>, fallback = 'field'): string {
  return uniqueKey(baseKey(label, fallback), taken);
}

export type KeyProblem = 'empty' | 'pattern' | 'reserved' | 'taken' | null;

/** Why a key typed by hand cannot be used, or null. */
export function keyProblem(key: string, taken: Iterable<string>): KeyProblem {
  if (!key) return 'empty';
  if (!KEY_PATTERN.test(key)) return 'pattern';
  if (RESERVED_KEYS.includes(key)) return 'reserved';
  if (new Set(taken).has(key)) return 'taken';
  return null;
}
