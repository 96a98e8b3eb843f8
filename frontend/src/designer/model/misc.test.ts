import { describe, expect, it } from 'vitest';
import { PATTERN_PRESETS, presetFor, tryPattern } from './patterns';
import { placeOf, problemsByField } from './problems';
import { getAt, jsonEqual, parsePointer, pointer, setAt } from './json';

describe('pattern presets and "try a value"', () => {
  it.each(PATTERN_PRESETS)('the $id preset matches its own example', (preset) => {
    expect(tryPattern(preset.pattern, preset.example)).toEqual({ ok: true, matches: true });
    expect(presetFor(preset.pattern)).toBe(preset);
  });

  it('says when a value does not match, or the pattern is broken', () => {
    expect(tryPattern('^[A-Z]{2}-\\d{4}$', 'lt-0042')).toEqual({ ok: true, matches: false });
    expect(tryPattern('\\d', 'abc1')).toEqual({ ok: true, matches: true }); // not anchored, as in JSON Schema
    const broken = tryPattern('([a-z]', 'x');
    expect(broken.ok).toBe(false);
  });
});

describe('problems by place', () => {
  const doc = {
    form: {
      schema: { type: 'object', required: ['b', 'ghost'], properties: { a: { type: 'string' }, b: { type: 'string' }, t: { type: 'array', items: { type: 'object', properties: { q: {} } } } } },
      ui: { 'ui:order': ['b', 'a', 'nope'], a: {} },
    },
  };
  it.each([
    ['/form/schema/properties/a/pattern', { area: 'field', key: 'a' }],
    ['/form/schema/properties/t/items/properties/q/type', { area: 'field', key: 't', column: 'q' }],
    ['/form/schema/required/0', { area: 'field', key: 'b' }],
    ['/form/schema/required/1', { area: 'form' }],
    ['/form/ui/ui:order/1', { area: 'field', key: 'a' }],
    ['/form/ui/ui:order/2', { area: 'form' }],
    ['/form/ui/a/ui:widget', { area: 'field', key: 'a' }],
    ['/form/field_rules/3/when/==/0', { area: 'rule', index: 3 }],
    ['/form/schema', { area: 'form' }],
    ['/workflow/transitions/0/to', { area: 'document', part: 'workflow' }],
    ['', { area: 'document', part: '' }],
  ])('%s', (path, place) => {
    expect(placeOf(path, doc)).toEqual(place);
  });

  it('groups by field', () => {
    const map = problemsByField([{ path: '/form/schema/properties/a/pattern', message: 'm', code: 'c' }, { path: '/routing/0', message: 'r', code: 'c' }], doc);
    expect([...map.keys()]).toEqual(['a']);
  });
});

describe('json helpers', () => {
  it('pointers escape ~ and /', () => {
    expect(pointer('a/b', 'c~d', 0)).toBe('/a~1b/c~0d/0');
    expect(parsePointer('/a~1b/c~0d/0')).toEqual(['a/b', 'c~d', '0']);
    expect(getAt({ 'a/b': { 'c~d': [5] } }, '/a~1b/c~0d/0')).toBe(5);
  });
  it('setAt copies only the path and deletes with undefined', () => {
    const doc = { a: { b: 1 }, c: { d: 2 }, l: [1, 2, 3] };
    const next = setAt(doc, '/a/b', 5) as typeof doc;
    expect(next).toEqual({ a: { b: 5 }, c: { d: 2 }, l: [1, 2, 3] });
    expect(next.c).toBe(doc.c);
    expect(setAt(doc, '/l/1', undefined)).toEqual({ a: { b: 1 }, c: { d: 2 }, l: [1, 3] });
    expect(setAt(doc, '/c/d', undefined)).toEqual({ a: { b: 1 }, c: {}, l: [1, 2, 3] });
  });
  it('equality ignores key order only', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: undefined }, {})).toBe(false);
  });
});
