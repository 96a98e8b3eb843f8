import { describe, expect, it } from 'vitest';
import { afterSalesDefinition } from './fixtures';
import { jsonDiff } from './jsonDiff';

describe('jsonDiff', () => {
  it('shows the changed lines with context and folds the rest', () => {
    const a = afterSalesDefinition();
    const b = afterSalesDefinition();
    b.sla![0].targets.P1.resolution = 'PT4H';
    const lines = jsonDiff(a, b, 1);
    expect(lines.filter((l) => l.kind === 'del').map((l) => l.text.trim())).toEqual(['"resolution": "PT8H",']);
    expect(lines.filter((l) => l.kind === 'add').map((l) => l.text.trim())).toEqual(['"resolution": "PT4H",']);
    expect(lines[0].kind).toBe('fold');
    expect(lines.filter((l) => l.kind === 'same')).toHaveLength(2);
  });

  it('finds no difference when only the key order differs', () => {
    expect(jsonDiff({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }).every((l) => l.kind === 'fold')).toBe(true);
  });
});
