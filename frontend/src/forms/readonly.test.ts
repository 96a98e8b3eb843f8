import { describe, expect, it } from 'vitest';
import { stepRequest, walkedPath } from '../designer/flow/walk';
import type { ExplainedTransition, Simulation } from '../designer/flow/flowApi';
import { fieldState, lockedState, type FieldRule } from '../rules/logic';

const schema = { properties: { category: {}, impact: {}, note: {} } };
const rules: FieldRule[] = [
  { when: { '!=': [{ var: 'ticket.status' }, 'new'] }, readonly: ['category'] },
  { when: { '==': [{ var: 'urgency' }, 'high'] }, readonly: ['impact'], hide: ['note'] },
  { when: true, readonly: ['note'] },
];

describe('read-only field rules', () => {
  it('lists the fields a matching rule makes read-only, never hidden ones', () => {
    expect(fieldState(schema, rules, { ticket: { status: 'new' } }).readonly).toEqual(['note']);
    expect(fieldState(schema, rules, { urgency: 'high', ticket: { status: 'open' } }).readonly).toEqual(['category', 'impact']);
  });

  it('keeps a field read-only while editing when it was so for the saved data', () => {
    const saved = fieldState(schema, rules, { urgency: 'high', ticket: { status: 'new' } });
    const now = fieldState(schema, rules, { urgency: 'low', ticket: { status: 'new' } });
    expect(lockedState(now, saved).readonly).toEqual(['impact', 'note']);
    expect(lockedState(now, null)).toBe(now);
  });
});

describe('walking on the server', () => {
  const resolve: ExplainedTransition = {
    key: 'resolve', name: 'Resolve', to: 'resolved', to_name: 'Resolved', allowed: true, reasons: [],
    requires: [{ field: 'resolution', title: 'Resolution' }, { field: 'comment', title: 'Comment' }],
    checklist: ['已向报修人解释原因', 'Parts returned'], checklist_keys: ['Cause explained', 'Parts returned'],
  };

  it('sends the fields, the comment and the authored checklist items ticked', () => {
    expect(stepRequest(resolve, { resolution: 'Fixed', comment: 'Done', __check_0: true, __check_1: false, empty: '' })).toEqual(
      { transition: 'resolve', fields: { resolution: 'Fixed' }, comment: 'Done', checklist: ['Cause explained'] });
    expect(stepRequest(resolve, {})).toEqual({ transition: 'resolve' });
  });

  it('reads the path from the steps the server returns', () => {
    const step = (transition: string | null, name: string | null, state: string) =>
      ({ transition, name, actions: [], state: state.toLowerCase(), state_name: state, category: null, data: {}, transitions: [] });
    const simulation = { walk: { acting_as: ['agent'], refused: null,
      steps: [step(null, null, 'New'), step('start', 'Start work', 'Working'), step('resolve', 'Resolve', 'Resolved')] } } as unknown as Simulation;
    expect(walkedPath(simulation)).toEqual([
      { from: 'New', transition: 'Start work', to: 'Working' }, { from: 'Working', transition: 'Resolve', to: 'Resolved' }]);
    expect(walkedPath(null)).toEqual([]);
  });
});
