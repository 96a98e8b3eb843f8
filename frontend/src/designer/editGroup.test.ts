import { describe, expect, it } from 'vitest';
import { changedLeaf, changedPart } from './editGroup';

const base = {
  name: 'Repair',
  workflow: { states: [{ key: 'new', name: 'New' }, { key: 'closed', name: 'Closed' }], transitions: [] as unknown[] },
  routing: [{ name: 'Phones', when: true, assign: { team: 'a' } }],
  sla: [{ name: 'S', warn_at: [0.8] }],
};

describe('changedLeaf', () => {
  it('names the one text that changed, by pointer', () => {
    const next = { ...base, routing: [{ ...base.routing[0], name: 'Phone' }] };
    expect(changedLeaf(base, next)).toBe('/routing/0/name');
    const renamed = { ...base, workflow: { ...base.workflow, states: [base.workflow.states[0], { key: 'closed', name: 'Done' }] } };
    expect(changedLeaf(base, renamed)).toBe('/workflow/states/1/name');
  });

  it('names a number too, and escapes keys', () => {
    const a = { layout: { 'a/b': { x: 1 } } };
    expect(changedLeaf(a, { layout: { 'a/b': { x: 2 } } })).toBe('/layout/a~1b/x');
  });

  it('gives nothing for structural edits, several changes, booleans, or no change', () => {
    expect(changedLeaf(base, base)).toBeUndefined();
    expect(changedLeaf(base, { ...base, workflow: { ...base.workflow, transitions: [{ key: 't' }] } })).toBeUndefined();
    expect(changedLeaf(base, { ...base, name: 'X', routing: [{ ...base.routing[0], name: 'Y' }] })).toBeUndefined();
    expect(changedLeaf(base, { ...base, routing: [{ ...base.routing[0], when: false }] })).toBeUndefined();
    expect(changedLeaf(base, { ...base, extra: 'new key' })).toBeUndefined();
    const { sla: _sla, ...without } = base;
    void _sla;
    expect(changedLeaf(base, without)).toBeUndefined();
  });

  it('treats a copied but equal branch as unchanged only by identity (a copy with a change elsewhere still finds the leaf)', () => {
    const next = { ...base, routing: [{ ...base.routing[0], assign: { team: 'b' } }] };
    expect(changedLeaf(base, next)).toBe('/routing/0/assign/team');
  });
});

describe('changedPart', () => {
  it('names the part an undo changed, the form first, not the header', () => {
    expect(changedPart(base, base)).toBeNull();
    expect(changedPart(base, { ...base, name: 'Other' })).toBeNull();
    expect(changedPart(base, { ...base, routing: [] })).toBe('/routing');
    expect(changedPart({ ...base, form: {} }, { ...base, form: { a: 1 }, routing: [] })).toBe('/form');
    expect(changedPart(base, { ...base, layout: { workflow: {} } })).toBe('/layout');
  });
});
