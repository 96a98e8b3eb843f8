// The JSON boxes of the intake page (mapping, keys, sample payload): text in, a value or the parse error out.

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/** Parse a JSON box. Empty text is `emptyValue` (null for an optional expression, {} for a mapping). */
export function parseJsonBox(text: string | undefined, emptyValue: unknown = null): Parsed {
  const trimmed = (text ?? '').trim();
  if (!trimmed) return { ok: true, value: emptyValue };
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** A mapping box must hold an object: form field -> JsonLogic. */
export function parseMapping(text: string | undefined): Parsed {
  const parsed = parseJsonBox(text, {});
  if (parsed.ok && (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))) {
    return { ok: false, error: 'object' };
  }
  return parsed;
}

/** Pretty JSON for a box (null and undefined: empty). */
export function toJsonBox(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value, null, 2);
}
