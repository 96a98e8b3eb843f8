import { describe, expect, it } from 'vitest';
import { diffDefinitions, groupByPart, sentence, type Change } from './diff';
import { afterSalesDefinition } from './fixtures';
import { fieldTitles } from './rulesText';
import { flowT } from './testing';
import type { Definition } from './types';

const t = flowT('en');

function sentences(old: Definition | null, next: Definition): string[] {
  const titles = fieldTitles(next);
  return diffDefinitions(old, next).map((c) => sentence(t, c, titles));
}

function edit(change: (d: Definition) => void): [Definition, Definition] {
  const before = afterSalesDefinition();
  const after = afterSalesDefinition();
  change(after);
  return [before, after];
}

describe('diffDefinitions', () => {
  it('finds nothing between equal documents, whatever the key order', () => {
    const a = afterSalesDefinition();
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed)
        : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const b = reversed(a) as Definition;
    expect(diffDefinitions(a, b)).toEqual([]);
  });

  it('ignores the graph positions (UI only)', () => {
    const [a, b] = edit((d) => { d.layout = { workflow: { new: { x: 1, y: 2 } } }; });
    expect(diffDefinitions(a, b)).toEqual([]);
  });

  it('says a field rule in words', () => {
    const [a, b] = edit((d) => {
      d.form.field_rules = [{ when: { '==': [{ var: 'category' }, 'hardware'] }, require: ['asset_tag'], show: ['asset_tag'] }];
    });
    expect(sentences(a, b)).toEqual([
      "Field 'Asset tag' is now required when Category is hardware.",
      "Field 'Asset tag' is now shown when Category is hardware.",
    ]);
  });

  it('says what a transition now needs, by field title', () => {
    const [a, b] = edit((d) => {
      const resolve = d.workflow.transitions.find((x) => x.key === 'resolve')!;
      resolve.require = ['part_number', 'comment'];
    });
    expect(sentences(a, b)).toEqual(["Transition 'Resolve' now needs Part number, a comment."]);
    expect(diffDefinitions(a, b)[0]).toMatchObject({ part: 'workflow', breaking: false, path: '/workflow/transitions/4' });
  });

  it('marks breaking changes as the server does, and explains them', () => {
    const [a, b] = edit((d) => {
      d.form.schema.required = ['title', 'product_line', 'urgency'];
      d.form.schema.properties!.serial = { type: 'string', title: 'Serial' };
      d.form.schema.required.push('serial');
      d.form.schema.properties!.product_line = { type: 'string', title: 'Product line', enum: ['phone'] };
      d.workflow.states = d.workflow.states.filter((s) => s.key !== 'repairing');
      d.workflow.transitions = d.workflow.transitions.filter((x) => x.to !== 'repairing' && !(x.from as string[]).includes('repairing'));
      d.number_prefix = 'AFS';
    });
    const changes = diffDefinitions(a, b);
    const breaking = changes.filter((c) => c.breaking).map((c) => [c.code, c.why]);
    expect(breaking).toEqual([
      ['number_prefixChanged', 'numberPrefix'],
      ['fieldRestricted', 'fieldRestricted'],
      ['fieldAddedRequired', 'fieldAddedRequired'],
      ['fieldNowRequired', 'fieldNowRequired'],
      ['stateRemoved', 'stateRemoved'],
    ]);
    expect(t(`diff.why.${changes[0].why}` as 'diff.why.numberPrefix')).toMatch(/^Breaking:/);
    // adding enum values only is not breaking
    const [c, d] = edit((x) => { x.form.schema.properties!.product_line.enum = ['appliance', 'phone', 'tablet']; });
    expect(diffDefinitions(c, d).map((ch) => [ch.code, ch.breaking])).toEqual([['fieldValuesAdded', false]]);
    expect(sentences(c, d)).toEqual(["Field 'Product line' offers new values: tablet."]);
  });

  it('tells routing changes: condition, team, order', () => {
    const [a, b] = edit((d) => {
      d.routing![0].assign = { team: 'phone-experts', strategy: 'least_loaded' };
      d.routing = [d.routing![0], { name: 'VIP', when: { in: ['vip', { var: 'ticket.requester.tags' }] }, assign: { team: 'vip' } }, d.routing![1]];
    });
    expect(sentences(a, b)).toEqual([
      "Routing rule 'Phones' now assigns to phone-experts (least_loaded) (was phone-repair (round_robin)).",
      "Routing rule 'VIP' was added: when ticket requester.tags contains vip, to vip.",
    ]);
    const [c, d] = edit((x) => { x.routing = [...x.routing!].reverse(); });
    expect(sentences(c, d)).toEqual(['The order of the routing rules changed (the first match wins).']);
  });

  it('tells SLA targets in business time, and priority cells', () => {
    const [a, b] = edit((d) => {
      d.sla![0].targets.P1.resolution = 'PT4H';
      d.sla![0].targets.P2.resolution = 'P1DT12H';
      d.priority!.matrix!.cells['high|one'] = 'P1';
    });
    expect(sentences(a, b)).toEqual([
      'Urgency high, Impact one now gives P1 (was P2).',
      "SLA policy 'Standard': P1 resolution target is now 4 h (was 8 h), tighter.",
      "SLA policy 'Standard': P2 resolution target is now 1 d 12 h (was 1 d).",
    ]);
  });

  it('treats a first version as everything added', () => {
    const changes = diffDefinitions(null, afterSalesDefinition());
    expect(changes.filter((c) => c.code === 'stateAdded')).toHaveLength(6);
    expect(changes.some((c) => c.breaking)).toBe(false);
  });

  it('groups by part in a fixed order and reads in Chinese', () => {
    const [a, b] = edit((d) => {
      d.routing!.pop();
      d.workflow.transitions[0].name = 'Start diagnosis';
    });
    const groups = groupByPart(diffDefinitions(a, b));
    expect(groups.map(([part]) => part)).toEqual(['workflow', 'routing']);
    const zh = flowT('zh-CN');
    const change: Change = groups[0][1][0];
    expect(sentence(zh, change)).toBe('流转“Diagnose”改名为“Start diagnosis”。');
  });
});
