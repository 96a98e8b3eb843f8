import { CoreConfig, Utils, type Config } from '@react-awesome-query-builder/core';
import { describe, expect, it } from 'vitest';
import type { Json } from '../model/json';
import { buildConfig, canonical, readsFields, ruleToTree, sameRule, treeToRule, type RuleField } from './convert';

const FIELDS: RuleField[] = [
  { key: 'title', label: 'Title', type: 'text' },
  { key: 'count', label: 'Count', type: 'number' },
  { key: 'bought', label: 'Purchase date', type: 'date' },
  { key: 'visit', label: 'Visit', type: 'datetime' },
  { key: 'mode', label: 'Service mode', type: 'select', options: [{ value: 'on_site', label: 'On site' }, { value: 'remote', label: 'Remote' }] },
  { key: 'tags', label: 'Tags', type: 'multiselect', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
  { key: 'warranty', label: 'Under warranty', type: 'boolean' },
  { key: 'photos', label: 'Photos', type: 'files' },
];
const config: Config = buildConfig(CoreConfig, FIELDS, { allowTicketContext: true });

const SAMPLES: Record<string, unknown[]> = {
  text: ['server down', 'x'],
  number: [3, 10],
  date: ['2025-05-16', '2025-06-01'],
  datetime: ['2025-05-16T09:30:00.000Z', '2025-06-01T00:00:00.000Z'],
  select: ['on_site', 'remote'],
  multiselect: [['a'], ['a', 'b']],
  boolean: [true, false],
};

/** Every (field, operator) the builder offers, as a one-condition tree with sample values. */
function everyBuilderRule(): { label: string; tree: ReturnType<typeof Utils.loadTree> }[] {
  const out: { label: string; tree: ReturnType<typeof Utils.loadTree> }[] = [];
  const fields: [string, string][] = [];
  for (const [path, field] of Utils.ConfigUtils.iterateFields(config)) {
    const type = (field as { type: string }).type;
    if (type !== '!struct') fields.push([path, type]);
  }
  for (const [path, type] of fields) {
    const fieldConf = Utils.ConfigUtils.getFieldConfig(config, path) as { operators?: string[] } | null;
    const widgets = config.types[type]?.widgets ?? {};
    const operators = new Set<string>(fieldConf?.operators ?? Object.values(widgets).flatMap((w) => (w?.operators as string[] | undefined) ?? []));
    for (const operator of operators) {
      const op = config.operators[operator];
      if (!op) continue;
      const cardinality = op.cardinality ?? 1;
      const widget = Utils.ConfigUtils.getFieldWidgetConfig(config, path, operator, undefined, 'value') as { type?: string } | null;
      const valueType = widget?.type ?? type;
      const sample = SAMPLES[valueType] ?? SAMPLES[type] ?? ['x', 'y'];
      const value = Array.from({ length: cardinality }, (_, i) => sample[i]);
      const tree = Utils.loadTree({
        id: Utils.uuid(),
        type: 'group',
        children1: [
          {
            id: Utils.uuid(),
            type: 'rule',
            properties: { field: path, operator, value, valueSrc: value.map(() => 'value'), valueType: value.map(() => valueType) },
          },
        ],
      } as never);
      out.push({ label: `${path} ${operator}`, tree });
    }
  }
  return out;
}

const builderRules = everyBuilderRule();

describe('every rule the builder writes comes back the same', () => {
  it('covers every field type and many operators', () => {
    expect(builderRules.length).toBeGreaterThan(60);
  });

  it.each(builderRules.map((r) => [r.label, r.tree] as const))('%s', (_label, tree) => {
    const written = treeToRule(tree, config);
    expect(written.ok, JSON.stringify(written)).toBe(true);
    if (!written.ok) return;
    const loaded = ruleToTree(written.rule, config);
    expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    if (!loaded.ok) return;
    const again = treeToRule(loaded.tree, config);
    expect(again).toEqual(written);
  });
});

describe('rules written elsewhere (templates, by hand, by the server docs)', () => {
  const shown: [string, Json][] = [
    ['equality', { '==': [{ var: 'mode' }, 'on_site'] }],
    ['one-condition group', { and: [{ '==': [{ var: 'mode' }, 'on_site'] }] }],
    ['or of two', { or: [{ '==': [{ var: 'mode' }, 'on_site'] }, { '>': [{ var: 'count' }, 3] }] }],
    ['nested groups', { and: [{ '!!': { var: 'title' } }, { or: [{ '<': [{ var: 'count' }, 1] }, { '==': [{ var: 'warranty' }, true] }] }] }],
    ['text contains', { in: ['server down', { var: 'title' }] }],
    ['not contains', { '!': { in: ['x', { var: 'title' }] } }],
    ['between', { '<=': [1, { var: 'count' }, 5] }],
    ['any in', { in: [{ var: 'mode' }, ['on_site', 'remote']] }],
    ['ticket attribute', { '==': [{ var: 'ticket.status_category' }, 'open'] }],
    ['requester tag (the IT template)', { in: ['vip', { var: 'ticket.requester.tags' }] }],
    ['is empty', { '!': { var: 'title' } }],
    ['attachments present', { '!!': { var: 'photos' } }],
    ['always', true],
  ];
  it.each(shown)('%s loads into the builder and saves back with the same meaning', (_name, rule) => {
    const loaded = ruleToTree(rule, config);
    expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    if (!loaded.ok) return;
    const back = treeToRule(loaded.tree, config);
    expect(back.ok).toBe(true);
    if (back.ok) expect(sameRule(back.rule, rule)).toBe(true);
  });

  const notShown: [string, Json][] = [
    ['a field the form does not have', { '==': [{ var: 'zzz' }, 1] }],
    ['arithmetic', { '>': [{ '+': [{ var: 'count' }, 1] }, 3] }],
    ['an if', { if: [{ var: 'warranty' }, true, false] }],
    ['a var with a default', { '==': [{ var: ['mode', 'remote'] }, 'remote'] }],
    ['missing', { missing: ['title'] }],
    ['a literal other than true', false],
    ['a refused operator', { method: ['os', 'system'] }],
    ['cat', { '==': [{ cat: [{ var: 'title' }, '!'] }, 'x!'] }],
  ];
  it.each(notShown)('%s is not shown in the builder (it goes to the JSON editor) and nothing is changed', (_name, rule) => {
    const loaded = ruleToTree(rule, config);
    expect(loaded.ok).toBe(false);
  });
});

describe('helpers', () => {
  it('canonical unwraps one-condition groups at any depth', () => {
    expect(canonical({ and: [{ or: [{ '==': [1, 1] }] }] })).toEqual({ '==': [1, 1] });
    expect(canonical({ and: [1, 2] })).toEqual({ and: [1, 2] });
  });

  it('an empty builder means always', () => {
    const empty = ruleToTree(undefined, config);
    expect(empty.ok).toBe(true);
    if (empty.ok) expect(treeToRule(empty.tree, config)).toEqual({ ok: true, rule: true });
  });

  it('an unfinished condition is not "always": nothing is emitted until it is complete', () => {
    const tree = Utils.loadTree({ id: 'g', type: 'group', children1: [
      { id: 'r', type: 'rule', properties: { field: 'mode', operator: 'select_equals', value: [], valueSrc: [] } },
    ] } as Parameters<typeof Utils.loadTree>[0]);
    expect(treeToRule(tree, config)).toEqual({ ok: false, errors: ['incomplete'] });
  });

  it('readsFields lists literal vars outside scoped rules', () => {
    expect(readsFields({ and: [{ var: 'a' }, { some: [{ var: 'tags' }, { '==': [{ var: '' }, 'x'] }] }, { var: ['ticket.status', 'x'] }] })).toEqual(['a', 'tags', 'ticket.status']);
  });

  it('offers no operator the server lacks', () => {
    expect(Object.keys(config.operators)).not.toContain('starts_with');
    expect(Object.keys(config.operators)).not.toContain('proximity');
  });
});
