// A JsonLogic rule read aloud, for diff sentences and summaries: "Category is Hardware and Urgency is high".
// Rules the reader cannot be told in a sentence come out as their JSON (shortened).
import type { FlowT } from './i18n/types';
import type { Json } from '../../rules/logic';
import type { Definition } from './types';

export type FieldTitles = Record<string, string>;

/** Field name -> title from the form's schema (and transition fields), for sentences. */
export function fieldTitles(definition: Pick<Definition, 'form' | 'workflow'> | null | undefined): FieldTitles {
  const titles: FieldTitles = {};
  for (const t of definition?.workflow?.transitions ?? []) {
    for (const [name, schema] of Object.entries(t.fields ?? {})) {
      if (typeof schema?.title === 'string') titles[name] = schema.title;
    }
  }
  for (const [name, schema] of Object.entries(definition?.form?.schema?.properties ?? {})) {
    titles[name] = typeof schema?.title === 'string' ? schema.title : name;
  }
  return titles;
}

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function varName(v: Json): string | null {
  if (isObj(v) && 'var' in v) {
    const arg = v.var;
    if (typeof arg === 'string') return arg;
    if (Array.isArray(arg) && typeof arg[0] === 'string') return arg[0];
  }
  return null;
}

function literal(v: Json): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function short(rule: Json): string {
  const text = JSON.stringify(rule);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

type T = FlowT;

export function describeRule(t: T, rule: Json | undefined, titles: FieldTitles = {}): string {
  if (rule === undefined || rule === true) return t('rule.always');
  if (rule === false || rule === null) return t('rule.never');
  const name = (n: string) => {
    if (titles[n]) return titles[n];
    if (n.startsWith('ticket.')) return t('rule.ticketAttr', { attr: n.slice(7) });
    return n;
  };
  if (!isObj(rule)) return short(rule);
  const ops = Object.keys(rule);
  if (ops.length !== 1) return short(rule);
  const op = ops[0];
  const raw = rule[op];
  const args = Array.isArray(raw) ? raw : [raw];
  if (op === 'var') {
    const n = varName(rule);
    return n ? t('rule.isSet', { field: name(n) }) : short(rule);
  }
  if (op === 'and' || op === 'or') {
    const parts = args.map((a) => describeRule(t, a, titles));
    return parts.join(t(op === 'and' ? 'rule.and' : 'rule.or'));
  }
  if ((op === '!' || op === '!!') && args.length === 1) {
    const n = varName(args[0]);
    if (n) return t(op === '!' ? 'rule.isEmpty' : 'rule.isSet', { field: name(n) });
    return op === '!' ? t('rule.not', { rule: describeRule(t, args[0], titles) }) : describeRule(t, args[0], titles);
  }
  if (args.length === 2) {
    const [a, b] = args;
    const left = varName(a);
    if (op === 'in') {
      const container = varName(b);
      if (container && !isObj(a)) return t('rule.contains', { field: name(container), value: literal(a) });
      if (left && Array.isArray(b)) return t('rule.oneOf', { field: name(left), values: b.map(literal).join(', ') });
      return short(rule);
    }
    const comparisons: Record<string, string> = {
      '==': 'rule.eq', '===': 'rule.eq', '!=': 'rule.ne', '!==': 'rule.ne',
      '<': 'rule.lt', '<=': 'rule.le', '>': 'rule.gt', '>=': 'rule.ge',
    };
    if (comparisons[op] && left && !isObj(b)) {
      return t(comparisons[op] as 'rule.eq', { field: name(left), value: literal(b) });
    }
  }
  return short(rule);
}
