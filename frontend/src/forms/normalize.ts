// Form data as the server validates and stores it (runtime/rules/definition.py, normalize_data): every
// text trimmed, and a text that was only whitespace left out, as if the field had not been filled in.
// The browser validates the same normalized data, so "required" and "minLength" mean the same on both
// sides: three spaces are not a title.

type Data = Record<string, unknown>;

export function normalizeText(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map(normalizeText);
  if (value && typeof value === 'object') return normalizeData(value as Data);
  return value;
}

export function normalizeData<T = Data>(data: T): T {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  const out: Data = {};
  for (const [name, value] of Object.entries(data as Data)) {
    const cleaned = normalizeText(value);
    if (cleaned !== '') out[name] = cleaned;
  }
  return out as T;
}
