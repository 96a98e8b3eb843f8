import { describe, expect, it } from 'vitest';
import { parseJsonBox, parseMapping, toJsonBox } from './intakeJson';

describe('intake JSON boxes', () => {
  it('reads empty text as the empty value', () => {
    expect(parseJsonBox('  ')).toEqual({ ok: true, value: null });
    expect(parseMapping('')).toEqual({ ok: true, value: {} });
  });

  it('parses JSON and reports a syntax error', () => {
    expect(parseJsonBox('{"var": "machine"}')).toEqual({ ok: true, value: { var: 'machine' } });
    const bad = parseJsonBox('{"var": ');
    expect(bad.ok).toBe(false);
  });

  it('wants an object for a mapping', () => {
    expect(parseMapping('[1]')).toEqual({ ok: false, error: 'object' });
    expect(parseMapping('"x"')).toEqual({ ok: false, error: 'object' });
    expect(parseMapping('{"title": {"var": "t"}}')).toEqual({ ok: true, value: { title: { var: 't' } } });
  });

  it('writes values back pretty, null as empty', () => {
    expect(toJsonBox(null)).toBe('');
    expect(toJsonBox({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
