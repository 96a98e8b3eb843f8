// What changed between two definitions, as sentences grouped by part, breaking changes marked and
// explained. Pure over the two documents (a version and the draft, or two versions); what counts
// as breaking is what the server's diff calls breaking (designer/diff.py), so the two agree.
import type { FlowT } from './i18n/types';
import type { Json } from '../../rules/logic';
import { parseDuration } from './duration';
import { describeRule, fieldTitles, type FieldTitles } from './rulesText';
import type { Action, Definition, JsonSchemaObject, State, Transition } from './types';

export type Part = 'general' | 'form' | 'priority' | 'workflow' | 'routing' | 'sla' | 'automations' | 'charts';
export const PARTS: Part[] = ['general', 'form', 'workflow', 'priority', 'routing', 'sla', 'automations', 'charts'];

/** A value of a sentence: text as it is, a rule (told in words), a duration, or a list. */
export type Param = string | number | { rule: Json } | { duration: string } | { list: string[] };

export interface Change {
  part: Part;
  /** The catalog key of the sentence under `diff.` */
  code: string;
  params: Record<string, Param>;
  breaking: boolean;
  /** The catalog key under `diff.why.` explaining why it is breaking. */
  why?: string;
  /** JSON pointer of the part in the new document (for "show me"). */
  path: string;
}

// Keywords whose change can only make a field accept less (designer/diff.py _RESTRICTING).
const RESTRICTING = ['type', 'enum', 'const', 'pattern', 'format', 'minLength', 'minimum', 'exclusiveMinimum', 'minItems',
  'maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'multipleOf', 'items', 'properties', 'required',
  'additionalProperties'];

/** JSON with object keys sorted: equal documents give equal text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const asList = <T>(v: T[] | undefined | null): T[] => (Array.isArray(v) ? v : []);

function byKey<T extends Record<string, unknown>>(items: T[] | undefined, key: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of asList(items)) if (item && typeof item[key] === 'string') map.set(item[key] as string, item);
  return map;
}

function restrictions(old: JsonSchemaObject, next: JsonSchemaObject): string[] {
  const changed: string[] = [];
  for (const kw of RESTRICTING) {
    if (kw in next && !same(old[kw], next[kw])) {
      if (kw === 'enum' && Array.isArray(old.enum) && Array.isArray(next.enum)) {
        const now = new Set(next.enum.map(canonical));
        if (old.enum.every((v) => now.has(canonical(v)))) continue; // only values added
      }
      changed.push(kw);
    }
  }
  return changed;
}

const titleOf = (schema: JsonSchemaObject | undefined, name: string) => (typeof schema?.title === 'string' ? schema.title : name);
const stateName = (s: State | undefined, key: string) => s?.name || key;
const transitionName = (t: Transition | undefined, key: string) => t?.name || t?.key || key;

export function diffDefinitions(oldDoc: Definition | null | undefined, newDoc: Definition): Change[] {
  const changes: Change[] = [];
  // Against no version at all (a first publish) nothing can break: no ticket exists yet.
  const first = !oldDoc;
  const add = (part: Part, code: string, path: string, params: Record<string, Param> = {}, reason?: string) => {
    const why = first ? undefined : reason;
    changes.push({ part, code, params, breaking: !!why, ...(why ? { why } : {}), path });
  };
  const old = (oldDoc ?? {}) as Partial<Definition>;

  // -- general
  for (const key of ['name', 'description', 'number_prefix'] as const) {
    if (!first && !same(old[key], newDoc[key])) {
      add('general', `${key}Changed`, `/${key}`, { old: String(old[key] ?? ''), new: String(newDoc[key] ?? '') },
        key === 'number_prefix' && old[key] != null ? 'numberPrefix' : undefined);
    }
  }
  const oldCats = asList(old.categories as string[] | undefined);
  const newCats = asList(newDoc.categories as string[] | undefined);
  const addedCats = newCats.filter((c) => !oldCats.includes(c));
  const removedCats = oldCats.filter((c) => !newCats.includes(c));
  if (addedCats.length) add('general', 'categoriesAdded', '/categories', { list: { list: addedCats } });
  if (removedCats.length) add('general', 'categoriesRemoved', '/categories', { list: { list: removedCats } });

  // -- form
  const oldTitles = fieldTitles(old as Definition);
  const titles: FieldTitles = { ...oldTitles, ...fieldTitles(newDoc) };
  const oldProps = old.form?.schema?.properties ?? {};
  const newProps = newDoc.form?.schema?.properties ?? {};
  const oldReq = new Set(asList(old.form?.schema?.required));
  const newReq = new Set(asList(newDoc.form?.schema?.required));
  for (const [name, schema] of Object.entries(newProps)) {
    const path = `/form/schema/properties/${name}`;
    const field = titleOf(schema, name);
    if (!(name in oldProps)) {
      if (newReq.has(name)) add('form', 'fieldAddedRequired', path, { field }, 'fieldAddedRequired');
      else add('form', 'fieldAdded', path, { field });
    } else if (!same(oldProps[name], schema)) {
      const before = oldProps[name];
      const restricted = restrictions(before, schema);
      if (titleOf(before, name) !== field) add('form', 'fieldRenamed', path, { old: titleOf(before, name), field });
      if (restricted.length) {
        add('form', 'fieldRestricted', path, { field, list: { list: restricted } }, 'fieldRestricted');
      } else if (Array.isArray(before.enum) && Array.isArray(schema.enum) && before.enum.length < schema.enum.length) {
        const had = new Set(before.enum.map(canonical));
        add('form', 'fieldValuesAdded', path,
          { field, list: { list: schema.enum.filter((v) => !had.has(canonical(v))).map((v) => String(v)) } });
      } else if (titleOf(before, name) === field) {
        add('form', 'fieldChanged', path, { field });
      }
    }
  }
  for (const [name, schema] of Object.entries(oldProps)) {
    if (!(name in newProps)) {
      const closed = newDoc.form?.schema?.additionalProperties === false;
      add('form', closed ? 'fieldRemovedClosed' : 'fieldRemoved', `/form/schema/properties/${name}`,
        { field: titleOf(schema, name) }, closed ? 'fieldRemovedClosed' : undefined);
    }
  }
  for (const name of [...newReq].filter((n) => !oldReq.has(n)).sort()) {
    if (name in oldProps) add('form', 'fieldNowRequired', '/form/schema/required', { field: titleOf(newProps[name], name) }, 'fieldNowRequired');
  }
  for (const name of [...oldReq].filter((n) => !newReq.has(n)).sort()) {
    if (name in newProps) add('form', 'fieldNowOptional', '/form/schema/required', { field: titleOf(newProps[name], name) });
  }
  fieldRuleChanges(old, newDoc, titles, add);
  const oldUi = (old.form?.ui ?? {}) as Record<string, unknown>;
  const newUi = (newDoc.form?.ui ?? {}) as Record<string, unknown>;
  if (!same(oldUi['ui:order'], newUi['ui:order'])) add('form', 'orderChanged', '/form/ui');
  if (!same({ ...oldUi, 'ui:order': null }, { ...newUi, 'ui:order': null })) add('form', 'uiChanged', '/form/ui');

  priorityChanges(old, newDoc, titles, add);
  workflowChanges(old, newDoc, titles, add);
  routingChanges(old, newDoc, add);
  slaChanges(old, newDoc, add);
  automationChanges(old, newDoc, add);
  chartChanges(old, newDoc, add);

  const order = new Map(PARTS.map((p, i) => [p, i]));
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (order.get(a.c.part)! - order.get(b.c.part)!) || (Number(b.c.breaking) - Number(a.c.breaking)) || a.i - b.i)
    .map(({ c }) => c);
}

type Add = (part: Part, code: string, path: string, params?: Record<string, Param>, why?: string) => void;

interface FieldRule {
  when?: Json;
  show?: string[];
  hide?: string[];
  require?: string[];
  readonly?: string[];
}

function fieldRuleChanges(old: Partial<Definition>, next: Definition, titles: FieldTitles, add: Add) {
  const oldRules = asList(old.form?.field_rules as FieldRule[] | undefined);
  const newRules = asList(next.form?.field_rules as FieldRule[] | undefined);
  const effects = (rules: FieldRule[]) => {
    const out = new Map<string, { effect: string; field: string; when: Json }>();
    for (const rule of rules) {
      for (const effect of ['require', 'show', 'hide', 'readonly'] as const) {
        for (const field of asList(rule[effect])) out.set(`${effect}|${field}|${canonical(rule.when)}`, { effect, field, when: rule.when ?? true });
      }
    }
    return out;
  };
  const before = effects(oldRules);
  const after = effects(newRules);
  for (const [key, e] of after) {
    if (!before.has(key)) {
      add('form', `rule_${e.effect}`, '/form/field_rules', { field: titles[e.field] ?? e.field, rule: { rule: e.when } });
    }
  }
  for (const [key, e] of before) {
    if (!after.has(key)) {
      add('form', `rule_${e.effect}_removed`, '/form/field_rules', { field: titles[e.field] ?? e.field, rule: { rule: e.when } });
    }
  }
}

function priorityChanges(old: Partial<Definition>, next: Definition, titles: FieldTitles, add: Add) {
  const a = old.priority ?? {};
  const b = next.priority ?? {};
  if (same(a, b)) return;
  if (!same(a.levels, b.levels)) add('priority', 'levelsChanged', '/priority/levels', { list: { list: b.levels ?? ['P1', 'P2', 'P3', 'P4'] } });
  if (!same(a.default, b.default)) add('priority', 'defaultChanged', '/priority/default', { old: a.default ?? '—', new: b.default ?? '—' });
  if (!same(a.matrix?.by, b.matrix?.by)) {
    add('priority', 'matrixBy', '/priority/matrix/by', { list: { list: (b.matrix?.by ?? []).map((f) => titles[f] ?? f) } });
  }
  const oldCells = a.matrix?.cells ?? {};
  const newCells = b.matrix?.cells ?? {};
  const by = b.matrix?.by ?? [];
  const cellText = (key: string) =>
    key === '*' ? '*' : key.split('|').map((part, i) => `${titles[by[i]] ?? by[i] ?? ''} ${part}`.trim()).join(', ');
  for (const [key, level] of Object.entries(newCells)) {
    if (!(key in oldCells)) add('priority', 'cellAdded', '/priority/matrix/cells', { cell: cellText(key), level });
    else if (oldCells[key] !== level) add('priority', 'cellChanged', '/priority/matrix/cells', { cell: cellText(key), level, old: oldCells[key] });
  }
  for (const key of Object.keys(oldCells)) {
    if (!(key in newCells)) add('priority', 'cellRemoved', '/priority/matrix/cells', { cell: cellText(key) });
  }
  const describe = (o: { set?: string; raise_by?: number; lower_by?: number }) =>
    o.set ? `=${o.set}` : o.raise_by ? `+${o.raise_by}` : `-${o.lower_by ?? 0}`;
  const oldO = new Map(asList(a.overrides).map((o) => [canonical(o), o]));
  const newO = new Map(asList(b.overrides).map((o) => [canonical(o), o]));
  for (const [k, o] of newO) {
    if (!oldO.has(k)) add('priority', 'overrideAdded', '/priority/overrides', { rule: { rule: o.when }, effect: describe(o) });
  }
  for (const [k, o] of oldO) {
    if (!newO.has(k)) add('priority', 'overrideRemoved', '/priority/overrides', { rule: { rule: o.when }, effect: describe(o) });
  }
}

function actionSummary(action: Action): string {
  switch (action.do) {
    case 'assign':
      return [action.team, action.user, action.strategy].filter(Boolean).join(' / ');
    case 'notify':
      return asList(action.to).join(', ');
    case 'set':
      return Object.keys(action.fields ?? {}).join(', ');
    case 'create_child':
      return action.type ?? '';
    case 'comment':
      return (action.text ?? '').slice(0, 40);
    case 'webhook':
      return action.url ?? '';
    default:
      return action.kind ?? '';
  }
}

function workflowChanges(old: Partial<Definition>, next: Definition, titles: FieldTitles, add: Add) {
  const oldStates = byKey(old.workflow?.states as unknown as Record<string, unknown>[], 'key') as unknown as Map<string, State>;
  const newStates = byKey(next.workflow?.states as unknown as Record<string, unknown>[], 'key') as unknown as Map<string, State>;
  const name = (key: string) => stateName(newStates.get(key) ?? oldStates.get(key), key);
  next.workflow?.states?.forEach((s, i) => {
    const path = `/workflow/states/${i}`;
    const before = oldStates.get(s.key);
    if (!before) {
      add('workflow', 'stateAdded', path, { state: stateName(s, s.key), category: s.category });
      return;
    }
    if (before.name !== s.name) add('workflow', 'stateRenamed', path, { old: stateName(before, s.key), state: stateName(s, s.key) });
    if (before.category !== s.category) add('workflow', 'stateCategory', path, { state: stateName(s, s.key), category: s.category });
    if (!!before.initial !== !!s.initial && s.initial) add('workflow', 'stateInitial', path, { state: stateName(s, s.key) });
    if (!!before.final !== !!s.final) add('workflow', s.final ? 'stateFinal' : 'stateNotFinal', path, { state: stateName(s, s.key) });
    if (!same({ ...before, name: 0, category: 0, initial: 0, final: 0 }, { ...s, name: 0, category: 0, initial: 0, final: 0 })) {
      add('workflow', 'stateChanged', path, { state: stateName(s, s.key) });
    }
  });
  for (const [key, s] of oldStates) {
    if (!newStates.has(key)) add('workflow', 'stateRemoved', '/workflow/states', { state: stateName(s, key) }, 'stateRemoved');
  }
  const oldT = byKey(old.workflow?.transitions as unknown as Record<string, unknown>[], 'key') as unknown as Map<string, Transition>;
  const fromText = (t: Transition) => (t.from === '*' ? '*' : asList(t.from as string[]).map(name).join(', '));
  next.workflow?.transitions?.forEach((t, i) => {
    const path = `/workflow/transitions/${i}`;
    const before = oldT.get(t.key);
    const tn = transitionName(t, t.key);
    if (!before) {
      add('workflow', 'transitionAdded', path, { transition: tn, from: fromText(t), to: name(t.to) });
      return;
    }
    if (same(before, t)) return;
    if ((before.name || before.key) !== tn) add('workflow', 'transitionRenamed', path, { old: transitionName(before, t.key), transition: tn });
    if (!same(before.from, t.from) || before.to !== t.to) {
      add('workflow', 'transitionMoved', path, { transition: tn, from: fromText(t), to: name(t.to) });
    }
    if (!same(before.roles, t.roles)) {
      add('workflow', t.roles?.length ? 'transitionRoles' : 'transitionRolesAnyone', path, { transition: tn, list: { list: asList(t.roles) } });
    }
    if (!same(before.guard, t.guard)) {
      if (t.guard === undefined) add('workflow', 'transitionGuardRemoved', path, { transition: tn });
      else add('workflow', 'transitionGuard', path, { transition: tn, rule: { rule: t.guard } });
    }
    const fieldName = (f: string) => (f === 'comment' ? '#comment' : titles[f] ?? f);
    const needs = asList(t.require).filter((f) => !asList(before.require).includes(f));
    const noLonger = asList(before.require).filter((f) => !asList(t.require).includes(f));
    if (needs.length) add('workflow', 'transitionNeeds', path, { transition: tn, list: { list: needs.map(fieldName) } });
    if (noLonger.length) add('workflow', 'transitionNoLongerNeeds', path, { transition: tn, list: { list: noLonger.map(fieldName) } });
    const newFields = Object.keys(t.fields ?? {}).filter((f) => !(f in (before.fields ?? {})));
    if (newFields.length) add('workflow', 'transitionAsks', path, { transition: tn, list: { list: newFields.map((f) => titles[f] ?? f) } });
    if (!same(before.checklist, t.checklist)) {
      add('workflow', t.checklist?.length ? 'transitionChecklist' : 'transitionChecklistRemoved', path,
        { transition: tn, count: asList(t.checklist).length, list: { list: asList(t.checklist) } });
    }
    if (!same(before.actions, t.actions)) {
      add('workflow', t.actions?.length ? 'transitionActions' : 'transitionActionsRemoved', path,
        { transition: tn, list: { list: asList(t.actions).map((a) => `${a.do}${actionSummary(a) ? ` (${actionSummary(a)})` : ''}`) } });
    }
    if (!same(before.i18n, t.i18n) || before.description !== t.description) add('workflow', 'transitionTexts', path, { transition: tn });
  });
  const newKeys = new Set(asList(next.workflow?.transitions).map((t) => t.key));
  for (const [key, t] of oldT) {
    if (!newKeys.has(key)) add('workflow', 'transitionRemoved', '/workflow/transitions', { transition: transitionName(t, key) });
  }
}

function assignText(assign: { team?: string; user?: string; strategy?: string } | undefined): string {
  if (!assign) return '—';
  return [assign.team, assign.user].filter(Boolean).join(' / ') + (assign.strategy ? ` (${assign.strategy})` : '');
}

function routingChanges(old: Partial<Definition>, next: Definition, add: Add) {
  const before = byKey(old.routing as unknown as Record<string, unknown>[], 'name') as unknown as Map<string, NonNullable<Definition['routing']>[number]>;
  const after = asList(next.routing);
  after.forEach((r, i) => {
    const path = `/routing/${i}`;
    const o = before.get(r.name);
    if (!o) {
      add('routing', 'ruleAdded', path, { name: r.name, rule: { rule: r.when }, assign: assignText(r.assign) });
      return;
    }
    if (!same(o.when, r.when)) add('routing', 'ruleWhen', path, { name: r.name, rule: { rule: r.when } });
    if (!same(o.assign, r.assign)) add('routing', 'ruleAssign', path, { name: r.name, assign: assignText(r.assign), old: assignText(o.assign) });
    if (!same(o.set_priority, r.set_priority)) add('routing', 'rulePriority', path, { name: r.name, level: r.set_priority ?? '—' });
    if (!same(o.notify, r.notify)) add('routing', 'ruleNotify', path, { name: r.name });
  });
  const names = new Set(after.map((r) => r.name));
  for (const name of before.keys()) if (!names.has(name)) add('routing', 'ruleRemoved', '/routing', { name });
  const oldOrder = [...before.keys()].filter((n) => names.has(n));
  const newOrder = after.map((r) => r.name).filter((n) => before.has(n));
  if (!same(oldOrder, newOrder)) add('routing', 'reordered', '/routing');
}

function slaChanges(old: Partial<Definition>, next: Definition, add: Add) {
  const before = byKey(old.sla as unknown as Record<string, unknown>[], 'name') as unknown as Map<string, NonNullable<Definition['sla']>[number]>;
  const after = asList(next.sla);
  after.forEach((p, i) => {
    const path = `/sla/${i}`;
    const o = before.get(p.name);
    if (!o) {
      add('sla', 'policyAdded', path, { name: p.name });
      return;
    }
    if (same(o, p)) return;
    if (!same(o.when, p.when)) add('sla', 'policyWhen', path, { name: p.name, rule: { rule: p.when ?? true } });
    if ((o.calendar ?? '24x7') !== (p.calendar ?? '24x7')) add('sla', 'policyCalendar', path, { name: p.name, calendar: p.calendar ?? '24x7' });
    const levels = new Set([...Object.keys(o.targets ?? {}), ...Object.keys(p.targets ?? {})]);
    for (const level of levels) {
      for (const metric of ['response', 'resolution', 'next_update'] as const) {
        const a = o.targets?.[level]?.[metric];
        const b = p.targets?.[level]?.[metric];
        if (a === b) continue;
        if (b === undefined) add('sla', 'targetRemoved', `${path}/targets/${level}`, { name: p.name, level, metric: `#metric.${metric}` });
        else if (a === undefined) add('sla', 'targetAdded', `${path}/targets/${level}`, { name: p.name, level, metric: `#metric.${metric}`, target: { duration: b } });
        else {
          const longer = (parseDuration(b) ?? 0) > (parseDuration(a) ?? 0);
          add('sla', longer ? 'targetLonger' : 'targetShorter', `${path}/targets/${level}`,
            { name: p.name, level, metric: `#metric.${metric}`, target: { duration: b }, old: { duration: a } });
        }
      }
    }
    if (!same(o.pause_in, p.pause_in)) add('sla', 'policyPause', path, { name: p.name, list: { list: asList(p.pause_in ?? ['pending']) } });
    if (!same(o.warn_before, p.warn_before) || !same(o.warn_at, p.warn_at)) {
      add('sla', 'policyWarnings', path, {
        name: p.name,
        list: { list: [...asList(p.warn_before).map((d) => `-${d}`), ...asList(p.warn_at).map((s) => `${Math.round(s * 100)} %`)] },
      });
    }
    if (!same(o.escalate, p.escalate)) add('sla', 'policyEscalation', path, { name: p.name, count: asList(p.escalate).length });
  });
  const names = new Set(after.map((p) => p.name));
  for (const name of before.keys()) if (!names.has(name)) add('sla', 'policyRemoved', '/sla', { name });
}

function automationChanges(old: Partial<Definition>, next: Definition, add: Add) {
  const before = byKey(old.automations as unknown as Record<string, unknown>[], 'name') as unknown as Map<string, NonNullable<Definition['automations']>[number]>;
  const after = asList(next.automations);
  after.forEach((a, i) => {
    const path = `/automations/${i}`;
    const o = before.get(a.name);
    if (!o) {
      add('automations', 'automationAdded', path, { name: a.name, trigger: `#trigger.${a.on}` });
      return;
    }
    if (o.on !== a.on || o.field !== a.field || o.transition !== a.transition || o.state !== a.state || o.after !== a.after) {
      add('automations', 'automationTrigger', path, { name: a.name, trigger: `#trigger.${a.on}` });
    }
    if (!same(o.when, a.when)) add('automations', 'automationWhen', path, { name: a.name, rule: { rule: a.when ?? true } });
    if (!same(o.do, a.do)) add('automations', 'automationActions', path, { name: a.name, list: { list: asList(a.do).map((x) => x.do) } });
  });
  const names = new Set(after.map((a) => a.name));
  for (const name of before.keys()) if (!names.has(name)) add('automations', 'automationRemoved', '/automations', { name });
}

function chartChanges(old: Partial<Definition>, next: Definition, add: Add) {
  type Chart = { key: string; title?: string };
  const before = byKey(old.charts as Record<string, unknown>[] | undefined, 'key') as unknown as Map<string, Chart>;
  const after = asList(next.charts as Chart[] | undefined);
  after.forEach((c, i) => {
    const o = before.get(c.key);
    if (!o) add('charts', 'chartAdded', `/charts/${i}`, { name: c.title ?? c.key });
    else if (!same(o, c)) add('charts', 'chartChanged', `/charts/${i}`, { name: c.title ?? c.key });
  });
  const keys = new Set(after.map((c) => c.key));
  for (const [key, c] of before) if (!keys.has(key)) add('charts', 'chartRemoved', '/charts', { name: c.title ?? key });
}

// ------------------------------------------------------------------------------------- sentences

type T = FlowT;

/** A duration in words: "8 h", "1 d 4 h", "30 min". */
export function durationText(t: T, iso: string): string {
  const seconds = parseDuration(iso);
  if (seconds === null) return iso;
  if (seconds === 0) return t('duration.zero');
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const parts = [];
  if (d) parts.push(t('duration.d', { count: d }));
  if (h) parts.push(t('duration.h', { count: h }));
  if (m) parts.push(t('duration.m', { count: m }));
  if (!parts.length) parts.push(t('duration.s', { count: seconds % 60 }));
  return parts.join(' ');
}

export function paramText(t: T, value: Param, titles: FieldTitles = {}): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    // "#metric.response", "#trigger.created", "#comment": words from the catalog
    if (value.startsWith('#')) return t(value.slice(1) as 'comment');
    return value;
  }
  if ('rule' in value) return describeRule(t, value.rule, titles);
  if ('duration' in value) return durationText(t, value.duration);
  return value.list.map((v) => paramText(t, v, titles)).join(t('listSeparator'));
}

/** The sentence of one change in the reader's language. */
export function sentence(t: T, change: Change, titles: FieldTitles = {}): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(change.params)) params[k] = paramText(t, v, titles);
  if ('count' in change.params) params.count = Number(change.params.count);
  return t(`diff.${change.code}` as 'diff.fieldAdded', params);
}

/** The changes grouped by part, in the order of PARTS. */
export function groupByPart(changes: Change[]): [Part, Change[]][] {
  return PARTS.map((p) => [p, changes.filter((c) => c.part === p)] as [Part, Change[]]).filter(([, list]) => list.length);
}
