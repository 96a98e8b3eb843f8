// JSON values and the few operations on them the designer needs: equality in meaning (object key
// order ignored), JSON pointers (RFC 6901) and immutable updates at a pointer.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equal in meaning: same JSON value, object keys in any order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function escapePointer(part: string | number): string {
  return String(part).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...parts: (string | number)[]): string {
  return parts.map((part) => `/${escapePointer(part)}`).join('');
}

export function parsePointer(text: string): string[] {
  if (text === '' || text === '#') return [];
  return text
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getAt(root: unknown, path: string | string[]): unknown {
  const parts = typeof path === 'string' ? parsePointer(path) : path;
  let node: unknown = root;
  for (const part of parts) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else return undefined;
  }
  return node;
}

/**
 * A copy of `root` with `value` at `path` (objects created on the way); `undefined` deletes.
 * Only the objects on the path are copied, so untouched parts stay the same objects.
 */
export function setAt(root: Json | undefined, path: string | string[], value: Json | undefined): Json | undefined {
  const parts = typeof path === 'string' ? parsePointer(path) : path;
  if (!parts.length) return value;
  const [head, ...rest] = parts as [string, ...string[]];
  if (Array.isArray(root)) {
    const index = Number(head);
    const copy = root.slice();
    const next = setAt(root[index], rest, value);
    if (next === undefined) copy.splice(index, 1);
    else copy[index] = next;
    return copy;
  }
  const base: JsonObject = isObject(root) ? root : {};
  const next = setAt(base[head], rest, value);
  if (next === undefined) {
    if (!(head in base)) return base;
    const { [head]: _removed, ...others } = base;
    void _removed;
    return others;
  }
  return { ...base, [head]: next };
}
