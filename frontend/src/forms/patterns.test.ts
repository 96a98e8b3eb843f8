import { describe, expect, it } from 'vitest';
import { isQuickPattern, serverRefuses, withQuickPatterns } from './patterns';
import { createValidator } from './validator';

describe('patterns the browser checks', () => {
  it('checks simple patterns as the user types', () => {
    for (const p of ['^[A-Z]{2}-\\d{4}$', '^\\+?[0-9][0-9 ()-]{4,24}$', '^1[3-9]\\d{9}$', '^\\d+$', '^CC-\\d{4}$'])
      expect(isQuickPattern(p)).toBe(true);
  });

  it('leaves patterns that can backtrack to the server', () => {
    // The e-mail preset has three unbounded repetitions: safe in practice, but beyond the simple rule.
    for (const p of ['^(a+)+$', '(a|aa)*b', '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', '^(\\w+\\s?)*$', 'a*a*b', '^.+@.+$', '(?=a)', '(a)\\1', 'x'.repeat(1001)])
      expect(isQuickPattern(p)).toBe(false);
  });

  it('knows what the server refuses', () => {
    for (const p of ['(?=a)', '(?<!a)b', '(a)\\1', '(?<n>a)\\k<n>', 'a{1001}', 'x'.repeat(1001)]) expect(serverRefuses(p)).toBe(true);
    for (const p of ['^(a+)+$', 'a{2,1000}', '\\(?=', '[(?=]']) expect(serverRefuses(p)).toBe(false);
  });

  it('drops only the slow patterns from a schema', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' }, b: { type: 'string', pattern: '^\\d+$' },
      c: { enum: [{ pattern: '^(a+)+$' }] } }, patternProperties: { '^(x+)+$': {} }, additionalProperties: false };
    expect(withQuickPatterns(schema)).toEqual({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string', pattern: '^\\d+$' },
      c: { enum: [{ pattern: '^(a+)+$' }] } } });
  });

  it('validates a form with a catastrophic pattern at once', () => {
    const validator = createValidator(() => 'bad');
    const schema = { type: 'object', properties: { j: { type: 'string', pattern: '^(a+)+$' }, k: { type: 'string', pattern: '^\\d+$' } } } as const;
    const started = performance.now();
    const result = validator.validateFormData({ j: 'a'.repeat(40) + '!', k: 'x' }, schema);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.errors.map((e) => e.property)).toEqual(['.k']);
  });
});
