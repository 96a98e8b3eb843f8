// The rule engine in the browser: JsonLogic with exactly the semantics of the server's engine
// (runtime/rules/logic.py and runtime/rules/values.py, described in docs/rules.md), so that a form's field
// rules show, hide and require the same fields while the user types as the server checks on submit.
// tests/runtime/test_logic_js.py evaluates a corpus of rules with both engines and compares.
//
// Self-contained (no imports): scripts/rules-cli.mjs transpiles this one file to run it under Node.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class RuleError extends Error {
  readonly pointer: string;
  constructor(message: string, pointer = '') {
    super(message);
    this.name = 'RuleError';
    this.pointer = pointer;
  }
}

const MAX_DEPTH = 64;
const MAX_NODES = 5000;
const MAX_SAFE = 2 ** 53;

const ARITY: Record<string, [number, number | null]> = {
  var: [0, 2], missing: [0, null], missing_some: [2, 2],
  if: [0, null], '?:': [3, 3], and: [1, null], or: [1, null], '!': [1, 1], '!!': [1, 1],
  '==': [2, 2], '!=': [2, 2], '===': [2, 2], '!==': [2, 2],
  '<': [2, 3], '<=': [2, 3], '>': [2, 2], '>=': [2, 2],
  '+': [1, null], '-': [1, 2], '*': [1, null], '/': [2, 2], '%': [2, 2], min: [0, null], max: [0, null],
  map: [2, 2], filter: [2, 2], reduce: [2, 3], all: [2, 2], some: [2, 2], none: [2, 2],
  merge: [0, null], in: [2, 2], cat: [0, null], substr: [2, 3],
  now: [0, 0], today: [0, 0], start_of_today: [0, 0],
  date_add: [3, 3], datetime_add: [3, 3], datetime_truncate: [2, 2],
  'date==': [2, 2], 'date!=': [2, 2], 'datetime==': [2, 2], 'datetime!=': [2, 2],
  toLowerCase: [1, 1], toUpperCase: [1, 1], locked: [1, 1],
};

// ------------------------------------------------------------------------------------------ kinds

const isObject = (v: unknown): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

type Kind = 'null' | 'bool' | 'number' | 'string' | 'array' | 'object';

function kind(v: Json): Kind {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

/** false, null, 0, "" and [] are falsy; everything else, objects included, is truthy. */
export function truthy(v: Json): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return true;
  return !!v;
}

// ------------------------------------------------------------------------------------------ numbers

const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

function numberResult(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  return n === 0 ? 0 : n; // no negative zero, as Python's int(-0.0)
}

function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  return numberResult(Number(trimmed));
}

function toNumber(v: Json): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseNumber(v);
  return null;
}

function jsRemainder(a: number, b: number): number | null {
  if (b === 0) return null;
  return numberResult(a % b);
}

// ------------------------------------------------------------------------------------------ text

function toText(v: Json): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map((item) => (item === null || item === undefined ? '' : toText(item))).join(',');
  return '[object Object]';
}

/** Code points, so that lengths and positions count characters as Python does. */
const codePoints = (s: string): string[] => Array.from(s);

function codePointCompare(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    if (x.value !== y.value) return x.value.codePointAt(0)! < y.value.codePointAt(0)! ? -1 : 1;
  }
}

// ------------------------------------------------------------------------------------------ equality, order

function strictEqual(a: Json, b: Json): boolean {
  const ka = kind(a);
  if (ka !== kind(b)) return false;
  if (ka === 'array') {
    const x = a as Json[];
    const y = b as Json[];
    return x.length === y.length && x.every((item, i) => strictEqual(item, y[i]!));
  }
  if (ka === 'object') {
    const x = a as Record<string, Json>;
    const y = b as Record<string, Json>;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    return keys.every((key) => Object.prototype.hasOwnProperty.call(y, key) && strictEqual(x[key]!, y[key]!));
  }
  if (ka === 'null') return true;
  return a === b;
}

function looseEqual(a: Json, b: Json): boolean {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === kb) return strictEqual(a, b);
  const structured = (k: Kind) => k === 'null' || k === 'array' || k === 'object';
  if (structured(ka) || structured(kb)) return false;
  const na = toNumber(a);
  const nb = toNumber(b);
  return na !== null && nb !== null && na === nb;
}

function order(a: Json, b: Json): number | null {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === 'string' && kb === 'string') return stringOrder(a as string, b as string);
  const scalar = (k: Kind) => k === 'bool' || k === 'number' || k === 'string';
  if (!scalar(ka) || !scalar(kb)) return null;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na === null || nb === null) return null;
  return na > nb ? 1 : na < nb ? -1 : 0;
}

function stringOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (looksLikeDate(a) && looksLikeDate(b)) {
    const ia = parseInstant(a);
    const ib = parseInstant(b);
    if (ia && ib) return compareInstants(ia, ib);
  }
  return codePointCompare(a, b);
}

function less(a: Json, b: Json): boolean {
  const r = order(a, b);
  return r !== null && r < 0;
}

function lessEqual(a: Json, b: Json): boolean {
  const r = order(a, b);
  if (r !== null) return r <= 0;
  return looseEqual(a, b);
}

function contains(needle: Json, haystack: Json): boolean {
  const hk = kind(haystack);
  if (hk === 'string') {
    const nk = kind(needle);
    return (nk === 'string' || nk === 'number' || nk === 'bool') && (haystack as string).includes(toText(needle));
  }
  if (hk === 'array') return (haystack as Json[]).some((item) => strictEqual(needle, item));
  return false;
}

// ------------------------------------------------------------------------------------------ data access

const MISSING = Symbol('missing');
type Segment = [string, number | null];
type Path = Segment[] | null | typeof MISSING; // null: the whole data; MISSING: can never be found

const isForbiddenSegment = (s: string) => s.length >= 4 && s.startsWith('__') && s.endsWith('__');

function splitPath(path: string): Segment[] | typeof MISSING {
  const out: Segment[] = [];
  for (const segment of path.split('.')) {
    if (isForbiddenSegment(segment)) return MISSING;
    const index = /^[0-9]+$/.test(segment) && (segment === '0' || segment[0] !== '0') ? Number(segment) : null;
    out.push([segment, index]);
  }
  return out;
}

function pathOf(value: Json): Path {
  const k = kind(value);
  if (k === 'null') return null;
  if (k === 'string') return value === '' ? null : splitPath(value as string);
  if (k === 'number') return splitPath(toText(value));
  return MISSING;
}

function lookup(data: Json, path: Segment[]): Json | typeof MISSING {
  let current: Json | typeof MISSING = data;
  for (const [key, index] of path) {
    if (isObject(current)) {
      current = Object.prototype.hasOwnProperty.call(current, key) ? current[key]! : MISSING;
    } else if (index !== null && Array.isArray(current)) {
      current = index < current.length ? current[index]! : MISSING;
    } else {
      return MISSING;
    }
    if (current === MISSING) return MISSING;
  }
  return current;
}

function absent(data: Json, path: Path): boolean {
  if (path === MISSING) return true;
  const value = path === null ? data : lookup(data, path);
  return value === MISSING || value === null || value === '';
}

// ------------------------------------------------------------------------------------------ dates
// An instant is [milliseconds since the epoch, extra microseconds 0..999], as exact as Python's datetime.

type Instant = [number, number];

function looksLikeDate(text: string): boolean {
  if (text.length < 10 || !/^[0-9]{4}-/.test(text)) return false;
  const chars = codePoints(text);
  return chars.length >= 10 && chars[4] === '-' && chars[7] === '-';
}

const ISO = new RegExp(
  '^(\\d{4})-(\\d{2})-(\\d{2})' +
    '(?:[^]' + // one separator character, any (as Python's datetime.fromisoformat)
    '(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d*))?)?)?' +
    '(?:(Z)|([+-])(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d*))?)?)?)?)?$',
  'u',
);

function daysInMonth(year: number, month: number): number {
  return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function utcMillis(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(h, m, s, ms);
  return date.getTime();
}

const MIN_MS = utcMillis(1, 1, 1);
const MAX_MS = utcMillis(9999, 12, 31, 23, 59, 59, 999);

function micros(fraction: string | undefined): number {
  return fraction ? Number((fraction + '000000').slice(0, 6)) : 0;
}

function parseInstant(text: string): Instant | null {
  if (!looksLikeDate(text)) return null;
  const m = ISO.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const h = Number(m[4] ?? 0);
  const min = Number(m[5] ?? 0);
  const s = Number(m[6] ?? 0);
  if (h > 23 || min > 59 || s > 59) return null;
  const us = micros(m[7]);
  let offsetUs = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11] ?? 0);
    const os = Number(m[12] ?? 0);
    if (oh > 23 || om > 59 || os > 59) return null;
    offsetUs = ((oh * 60 + om) * 60 + os) * 1e6 + micros(m[13]);
    if (m[9] === '-') offsetUs = -offsetUs;
  }
  const totalUs = us - offsetUs; // local time minus the offset is UTC
  const baseMs = utcMillis(year, month, day, h, min, s);
  const shiftMs = Math.floor(totalUs / 1000);
  const instant: Instant = [baseMs + shiftMs, totalUs - shiftMs * 1000];
  if (instant[0] < MIN_MS || instant[0] > MAX_MS) return null;
  return instant;
}

function instantOf(v: Json): Instant | null {
  return typeof v === 'string' ? parseInstant(v) : null;
}

function compareInstants(a: Instant, b: Instant): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}

function formatInstant(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

const inRange = (ms: number) => ms >= MIN_MS && ms <= MAX_MS;

const DATE_UNITS: Record<string, string> = {
  year: 'year', years: 'year', month: 'month', months: 'month', week: 'week', weeks: 'week', day: 'day', days: 'day',
  hour: 'hour', hours: 'hour', minute: 'minute', minutes: 'minute', second: 'second', seconds: 'second',
};

const roundHalfAway = (v: number) => Math.floor(Math.abs(v) + 0.5) * (v >= 0 ? 1 : -1);

/** Python's round(): half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
}

function addToInstant(instant: Instant, amount: number, unit: string): Instant | null {
  const d = new Date(instant[0]);
  if (unit === 'year' || unit === 'month') {
    const months = roundHalfAway(amount) * (unit === 'year' ? 12 : 1);
    const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
    const year = Math.floor(index / 12);
    const month = index - year * 12 + 1;
    if (year < 1 || year > 9999) return null;
    const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
    const ms = utcMillis(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
    return [ms, instant[1]];
  }
  let deltaMs: number;
  if (unit === 'week' || unit === 'day') deltaMs = roundHalfAway(amount) * (unit === 'week' ? 7 : 1) * 86400000;
  else deltaMs = roundHalfEven(({ hour: 3600, minute: 60, second: 1 } as Record<string, number>)[unit]! * amount * 1000);
  const ms = instant[0] + deltaMs;
  return Number.isFinite(ms) && inRange(ms) ? [ms, instant[1]] : null;
}

function truncateInstant(instant: Instant, unit: string): number | null {
  const d = new Date(instant[0]);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const parts: Record<string, () => number> = {
    second: () => utcMillis(y, mo, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()),
    minute: () => utcMillis(y, mo, day, d.getUTCHours(), d.getUTCMinutes()),
    hour: () => utcMillis(y, mo, day, d.getUTCHours()),
    day: () => utcMillis(y, mo, day),
    week: () => utcMillis(y, mo, day) - d.getUTCDay() * 86400000,
    month: () => utcMillis(y, mo, 1),
    year: () => utcMillis(y, 1, 1),
  };
  const ms = parts[unit]!();
  return inRange(ms) ? ms : null;
}

// ------------------------------------------------------------------------------------------ compiling

type Fn = (data: Json, env: Env) => Json;
interface Env {
  now: string | null;
}
interface Node {
  fn: Fn;
  isConst: boolean;
  value?: Json;
}

const constant = (value: Json): Node => ({
  fn: Array.isArray(value) ? () => JSON.parse(JSON.stringify(value)) as Json : () => value,
  isConst: true,
  value,
});

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function nowText(env: Env): string {
  if (env.now === null) env.now = formatInstant(Date.now());
  return env.now;
}

function staticPath(value: Json, pointer: string): Path {
  const path = pathOf(value);
  if (path === MISSING && typeof value === 'string') {
    throw new RuleError(`The variable name '${value}' at ${pointer} uses a reserved name (one that starts and ends with '__'); rules cannot read such keys.`, pointer);
  }
  return path;
}

function integer(v: Json): number {
  const n = toNumber(v);
  return n === null ? 0 : Math.trunc(n);
}

/** Python's text[start:] then [:length], by code point. */
function pySlice(chars: string[], start: number, end?: number): string[] {
  const n = chars.length;
  const norm = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(n, i));
  return chars.slice(norm(start), end === undefined ? n : norm(end));
}

function unitFn(node: Node, pointer: string, op: string): (d: Json, e: Env) => string | null {
  if (node.isConst) {
    const unit = typeof node.value === 'string' ? DATE_UNITS[node.value] : undefined;
    if (!unit) {
      throw new RuleError(`Operator '${op}' at ${pointer} has the unit ${JSON.stringify(node.value)}; the unit must be one of year, month, week, day, hour, minute, second.`, pointer);
    }
    return () => unit;
  }
  return (d, e) => {
    const v = node.fn(d, e);
    return typeof v === 'string' ? (DATE_UNITS[v] ?? null) : null;
  };
}

function build(op: string, args: Node[], p: string): Fn {
  const f = args.map((a) => a.fn);
  switch (op) {
    case 'var': {
      if (!args.length || (args[0]!.isConst && (args[0]!.value === null || args[0]!.value === ''))) return (d) => d;
      const fdefault = args.length > 1 ? f[1]! : null;
      const fallback = (d: Json, e: Env): Json => (fdefault ? fdefault(d, e) : null);
      if (!args[0]!.isConst) {
        return (d, e) => {
          const path = pathOf(f[0]!(d, e));
          if (path === null) return d;
          const value = path === MISSING ? MISSING : lookup(d, path);
          return value === MISSING ? fallback(d, e) : value;
        };
      }
      const path = staticPath(args[0]!.value!, p);
      if (path === MISSING) return fallback;
      return (d, e) => {
        const value = path === null ? d : lookup(d, path);
        return value === MISSING ? fallback(d, e) : value;
      };
    }
    case 'missing': {
      const namesAreList = args.length >= 1 && args[0]!.isConst && Array.isArray(args[0]!.value);
      const literal = namesAreList ? (args[0]!.value as Json[]) : args.map((a) => a.value as Json);
      if (args.every((a) => a.isConst) && !literal.some((n) => Array.isArray(n))) {
        const paths = literal.map((name) => [name, staticPath(name, p)] as const);
        return (d) => paths.filter(([, path]) => absent(d, path)).map(([name]) => name);
      }
      return (d, e) => {
        const values = f.map((fn) => fn(d, e));
        const names = values.length && Array.isArray(values[0]) ? (values[0] as Json[]) : values;
        return names.filter((name) => absent(d, pathOf(name)));
      };
    }
    case 'missing_some': {
      const [needNode, namesNode] = args as [Node, Node];
      if (needNode.isConst && namesNode.isConst && Array.isArray(namesNode.value) && !namesNode.value.some((n) => Array.isArray(n))) {
        const need = toNumber(needNode.value!);
        const paths = (namesNode.value as Json[]).map((name) => [name, staticPath(name, p)] as const);
        return (d) => {
          const missing = paths.filter(([, path]) => absent(d, path)).map(([name]) => name);
          return need !== null && paths.length - missing.length >= need ? [] : missing;
        };
      }
      return (d, e) => {
        const need = toNumber(f[0]!(d, e));
        const raw = f[1]!(d, e);
        const names = Array.isArray(raw) ? raw : [raw];
        const missing = names.filter((name) => absent(d, pathOf(name)));
        return need !== null && names.length - missing.length >= need ? [] : missing;
      };
    }
    case 'if':
    case '?:':
      return (d, e) => {
        let i = 0;
        for (; i + 1 < f.length; i += 2) if (truthy(f[i]!(d, e))) return f[i + 1]!(d, e);
        return i < f.length ? f[i]!(d, e) : null;
      };
    case 'and':
      return (d, e) => {
        let x: Json = null;
        for (const fn of f) {
          x = fn(d, e);
          if (!truthy(x)) return x;
        }
        return x;
      };
    case 'or':
      return (d, e) => {
        let x: Json = null;
        for (const fn of f) {
          x = fn(d, e);
          if (truthy(x)) return x;
        }
        return x;
      };
    case '!':
      return (d, e) => !truthy(f[0]!(d, e));
    case '!!':
      return (d, e) => truthy(f[0]!(d, e));
    case '==':
      return (d, e) => looseEqual(f[0]!(d, e), f[1]!(d, e));
    case '!=':
      return (d, e) => !looseEqual(f[0]!(d, e), f[1]!(d, e));
    case '===':
      return (d, e) => strictEqual(f[0]!(d, e), f[1]!(d, e));
    case '!==':
      return (d, e) => !strictEqual(f[0]!(d, e), f[1]!(d, e));
    case '<':
      if (f.length === 2) return (d, e) => less(f[0]!(d, e), f[1]!(d, e));
      return (d, e) => {
        const [a, b, c] = [f[0]!(d, e), f[1]!(d, e), f[2]!(d, e)];
        return less(a, b) && less(b, c);
      };
    case '<=':
      if (f.length === 2) return (d, e) => lessEqual(f[0]!(d, e), f[1]!(d, e));
      return (d, e) => {
        const [a, b, c] = [f[0]!(d, e), f[1]!(d, e), f[2]!(d, e)];
        return lessEqual(a, b) && lessEqual(b, c);
      };
    case '>':
      return (d, e) => less(f[1]!(d, e), f[0]!(d, e));
    case '>=':
      return (d, e) => lessEqual(f[1]!(d, e), f[0]!(d, e));
    case '+':
    case '*':
      return (d, e) => {
        let total = op === '+' ? 0 : 1;
        const values: number[] = [];
        for (const fn of f) {
          const n = toNumber(fn(d, e));
          if (n === null) return null;
          values.push(n);
        }
        for (const n of values) {
          const next = numberResult(op === '+' ? total + n : total * n);
          if (next === null) return null;
          total = next;
        }
        return total;
      };
    case '-':
      if (f.length === 1) {
        return (d, e) => {
          const n = toNumber(f[0]!(d, e));
          return n === null ? null : numberResult(-n);
        };
      }
      return (d, e) => {
        const a = toNumber(f[0]!(d, e));
        const b = toNumber(f[1]!(d, e));
        return a === null || b === null ? null : numberResult(a - b);
      };
    case '/':
      return (d, e) => {
        const a = toNumber(f[0]!(d, e));
        const b = toNumber(f[1]!(d, e));
        return a === null || b === null || b === 0 ? null : numberResult(a / b);
      };
    case '%':
      return (d, e) => {
        const a = toNumber(f[0]!(d, e));
        const b = toNumber(f[1]!(d, e));
        return a === null || b === null ? null : jsRemainder(a, b);
      };
    case 'min':
    case 'max':
      return (d, e) => {
        const values: number[] = [];
        for (const fn of f) {
          const n = toNumber(fn(d, e));
          if (n === null) return null;
          values.push(n);
        }
        if (!values.length) return null;
        return numberResult(op === 'max' ? Math.max(...values) : Math.min(...values));
      };
    case 'map':
      return (d, e) => {
        const items = f[0]!(d, e);
        return Array.isArray(items) ? items.map((item) => f[1]!(item, e)) : [];
      };
    case 'filter':
      return (d, e) => {
        const items = f[0]!(d, e);
        return Array.isArray(items) ? items.filter((item) => truthy(f[1]!(item, e))) : [];
      };
    case 'reduce':
      return (d, e) => {
        const items = f[0]!(d, e);
        let accumulator: Json = f.length === 3 ? f[2]!(d, e) : null;
        if (!Array.isArray(items)) return accumulator;
        for (const current of items) accumulator = f[1]!({ accumulator, current }, e);
        return accumulator;
      };
    case 'all':
      return (d, e) => {
        const items = f[0]!(d, e);
        return Array.isArray(items) && items.length > 0 && items.every((item) => truthy(f[1]!(item, e)));
      };
    case 'some':
    case 'none':
      return (d, e) => {
        const items = f[0]!(d, e);
        const found = Array.isArray(items) && items.some((item) => truthy(f[1]!(item, e)));
        return op === 'some' ? found : !found;
      };
    case 'merge':
      return (d, e) => {
        const out: Json[] = [];
        for (const fn of f) {
          const v = fn(d, e);
          if (Array.isArray(v)) out.push(...v);
          else out.push(v);
        }
        return out;
      };
    case 'in':
      return (d, e) => contains(f[0]!(d, e), f[1]!(d, e));
    case 'cat':
      return (d, e) => f.map((fn) => toText(fn(d, e))).join('');
    case 'substr':
      return (d, e) => {
        const chars = codePoints(toText(f[0]!(d, e)));
        const tail = pySlice(chars, integer(f[1]!(d, e)));
        return (f.length === 3 ? pySlice(tail, 0, integer(f[2]!(d, e))) : tail).join('');
      };
    case 'toLowerCase':
    case 'toUpperCase':
      return (d, e) => {
        const v = f[0]!(d, e);
        if (v === null) return null;
        const text = toText(v);
        return op === 'toUpperCase' ? text.toUpperCase() : text.toLowerCase();
      };
    case 'locked':
      return f[0]!;
    case 'now':
      return (_d, e) => nowText(e);
    case 'today':
    case 'start_of_today':
      return (_d, e) => `${nowText(e).slice(0, 10)}T00:00:00.000Z`;
    case 'date_add':
    case 'datetime_add': {
      const unit = unitFn(args[2]!, p, op);
      return (d, e) => {
        const instant = instantOf(f[0]!(d, e));
        const amount = toNumber(f[1]!(d, e));
        const u = unit(d, e);
        if (!instant || amount === null || !u) return null;
        const result = addToInstant(instant, amount, u);
        return result ? formatInstant(result[0]) : null;
      };
    }
    case 'datetime_truncate': {
      const unit = unitFn(args[1]!, p, op);
      return (d, e) => {
        const instant = instantOf(f[0]!(d, e));
        const u = unit(d, e);
        if (!instant || !u) return null;
        const ms = truncateInstant(instant, u);
        return ms === null ? null : formatInstant(ms);
      };
    }
    case 'date==':
    case 'date!=':
    case 'datetime==':
    case 'datetime!=': {
      const negate = op.endsWith('!=');
      const sameDay = !op.startsWith('datetime');
      return (d, e) => {
        const a = instantOf(f[0]!(d, e));
        const b = instantOf(f[1]!(d, e));
        if (!a || !b) return negate;
        const same = sameDay ? formatInstant(a[0]).slice(0, 10) === formatInstant(b[0]).slice(0, 10) : a[0] === b[0];
        return same !== negate;
      };
    }
    default:
      throw new RuleError(`Unknown operator '${op}'.`, p);
  }
}

function arityText(fewest: number, most: number | null): string {
  const count = (n: number) => (n === 1 ? '1 argument' : `${n} arguments`);
  if (most === null) return `needs at least ${count(fewest)}`;
  if (fewest === most) return most === 0 ? 'takes no arguments' : `needs exactly ${count(most)}`;
  return `needs ${fewest} to ${count(most)}`;
}

class Compiler {
  nodes = 0;

  node(rule: Json, pointer: string, depth: number): Node {
    this.nodes += 1;
    if (this.nodes > MAX_NODES) throw new RuleError(`The rule is too large: more than ${MAX_NODES} parts (operators and values).`, pointer);
    if (depth > MAX_DEPTH) throw new RuleError(`The rule is nested too deeply: more than ${MAX_DEPTH} levels (at ${pointer}).`, pointer);
    if (isObject(rule)) return this.operation(rule, pointer, depth);
    if (Array.isArray(rule)) {
      const items = rule.map((item, i) => this.node(item, `${pointer}/${i}`, depth + 1));
      if (items.every((item) => item.isConst)) return constant(items.map((item) => item.value as Json));
      return { fn: (d, e) => items.map((item) => item.fn(d, e)), isConst: false };
    }
    if (typeof rule === 'number' && !Number.isFinite(rule)) throw new RuleError('Rules may only contain finite numbers.', pointer);
    return constant(rule);
  }

  operation(rule: { [key: string]: Json }, pointer: string, depth: number): Node {
    const keys = Object.keys(rule);
    if (keys.length !== 1) {
      throw new RuleError(`A rule object must have exactly one operator, but the object at ${pointer || 'the top level'} has ${keys.length} keys.`, pointer);
    }
    const op = keys[0]!;
    const raw = rule[op]!;
    const opPointer = `${pointer}/${escapePointer(op)}`;
    const arity = Object.prototype.hasOwnProperty.call(ARITY, op) ? ARITY[op] : undefined;
    if (!arity) throw new RuleError(`Unknown operator '${op}' at ${pointer || 'the top level'}.`, opPointer);
    const rawArgs = Array.isArray(raw) ? raw : [raw];
    const [fewest, most] = arity;
    if (rawArgs.length < fewest || (most !== null && rawArgs.length > most)) {
      throw new RuleError(`Operator '${op}' at ${pointer || 'the top level'} ${arityText(fewest, most)}, but has ${rawArgs.length}.`, opPointer);
    }
    const args = Array.isArray(raw)
      ? raw.map((arg, i) => this.node(arg, `${opPointer}/${i}`, depth + 1))
      : [this.node(raw, opPointer, depth + 1)];
    return { fn: build(op, args, opPointer), isConst: false };
  }
}

export type CompiledRule = (data?: Json, now?: string | null) => Json;

const cache = new Map<string, CompiledRule>();

/** Compile a rule (throws RuleError when the server would refuse it); compiled rules are cached. */
export function compileRule(rule: Json): CompiledRule {
  const key = JSON.stringify(rule);
  const found = cache.get(key);
  if (found) return found;
  const fn = new Compiler().node(rule, '', 0).fn;
  const compiled: CompiledRule = (data = null, now = null) => {
    const fixed = now === null || now === undefined ? null : parseInstant(now);
    return fn(data, { now: fixed ? formatInstant(fixed[0]) : null });
  };
  if (cache.size > 500) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

export function evaluate(rule: Json, data: Json = null, now: string | null = null): Json {
  return compileRule(rule)(data, now);
}

// ------------------------------------------------------------------------------------------ field rules

export interface FieldRule {
  when: Json;
  show?: string[];
  hide?: string[];
  require?: string[];
  readonly?: string[];
}

export interface FieldState {
  visible: string[];
  hidden: string[];
  required: string[];
  /** Fields a matching rule makes read-only (never hidden ones). */
  readonly: string[];
}

/**
 * Which fields are shown and required for this data, as runtime.rules.definition.CompiledDefinition.field_state
 * decides: a rule that fails to compile or evaluate counts as false; fields a rule may `show` are hidden
 * unless a matching rule shows them; required fields that are hidden are not required; `readonly` lists what a
 * matching rule makes read-only.
 */
export function fieldState(
  schema: { properties?: Record<string, unknown>; required?: string[] },
  rules: FieldRule[],
  context: Json,
  now: string | null = null,
): FieldState {
  const fields = Object.keys(schema.properties ?? {});
  const shown = new Set<string>();
  const hidden = new Set<string>();
  const required = new Set<string>(schema.required ?? []);
  const readonly = new Set<string>();
  const conditional = new Set<string>(rules.flatMap((rule) => rule.show ?? []));
  for (const rule of rules) {
    let matched = false;
    try {
      matched = truthy(compileRule(rule.when)(context, now));
    } catch {
      matched = false;
    }
    if (!matched) continue;
    for (const name of rule.show ?? []) shown.add(name);
    for (const name of rule.hide ?? []) hidden.add(name);
    for (const name of rule.require ?? []) required.add(name);
    for (const name of rule.readonly ?? []) readonly.add(name);
  }
  for (const name of conditional) if (!shown.has(name)) hidden.add(name);
  return {
    visible: fields.filter((name) => !hidden.has(name)),
    hidden: fields.filter((name) => hidden.has(name)),
    required: fields.filter((name) => required.has(name) && !hidden.has(name)),
    readonly: fields.filter((name) => readonly.has(name) && !hidden.has(name)),
  };
}

/** Editing a ticket: the field state, with the fields a rule makes read-only for the saved data read-only too
 * (the server refuses a change to a field read-only before the edit or after it). */
export function lockedState(state: FieldState, savedState: FieldState | null): FieldState {
  if (!savedState) return state;
  const readonly = state.visible.filter((name) => state.readonly.includes(name) || savedState.readonly.includes(name));
  return { ...state, readonly };
}

export const MAX_SAFE_INTEGER = MAX_SAFE;
