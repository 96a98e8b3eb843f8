import { describe, expect, it } from 'vitest';
import { normalizeData } from './normalize';
import { createValidator } from './validator';

describe('normalizeData', () => {
  it('trims texts and leaves out blank ones, keeping list positions', () => {
    expect(
      normalizeData({ title: '  Printer jam \t', description: ' '.repeat(10), tags: [' a ', ' '], count: 3, nested: { note: ' x ', empty: '  ' } }),
    ).toEqual({ title: 'Printer jam', tags: ['a', ''], count: 3, nested: { note: 'x' } });
  });
});

describe('the form validator', () => {
  const schema = {
    type: 'object',
    required: ['title'],
    properties: { title: { type: 'string', title: 'Title', minLength: 3 }, description: { type: 'string' } },
  } as const;
  const validator = createValidator((keyword, params) => `${keyword}:${String(params.title ?? params.limit ?? '')}`);

  it('refuses a title of spaces as missing', () => {
    const result = validator.validateFormData({ title: '   ', description: '          ' }, schema as never);
    expect(result.errors.map((e) => [e.property, e.message])).toEqual([['.title', 'required:Title']]);
  });

  it('counts only what was typed towards minLength', () => {
    const result = validator.validateFormData({ title: '  ab  ' }, schema as never);
    expect(result.errors.map((e) => e.name)).toEqual(['minLength']);
    expect(validator.validateFormData({ title: '  abc  ' }, schema as never).errors).toEqual([]);
  });
});
