import { describe, expect, it } from 'vitest';
import { afterSalesDefinition } from './fixtures';
import { cellKey, combinations, matrixAxes, matrixCandidates, readPrioritySteps, setCell } from './priority';

describe('priority matrix', () => {
  const def = afterSalesDefinition();

  it('takes its axes from the by fields, with "*" for any other value', () => {
    expect(matrixAxes(def)).toEqual([
      { field: 'urgency', title: 'Urgency', values: ['high', 'low', '*'] },
      { field: 'impact', title: 'Impact', values: ['many', 'one', '*'] },
    ]);
    expect(combinations(matrixAxes(def)).map(cellKey)).toEqual([
      'high|many', 'high|one', 'high|*', 'low|many', 'low|one', 'low|*', '*|many', '*|one', '*|*']);
    expect(matrixCandidates(def).map((c) => c.value)).toEqual(['product_line', 'urgency', 'impact', 'category']);
  });

  it('sets and clears cells', () => {
    const cells = setCell({ '*': 'P3' }, 'high|many', 'P1');
    expect(cells).toEqual({ '*': 'P3', 'high|many': 'P1' });
    expect(setCell(cells, 'high|many', undefined)).toEqual({ '*': 'P3' });
  });

  it('reads what decided a simulated priority', () => {
    expect(readPrioritySteps(['matrix \'high|many\' gives P1', 'override 1 gives P1'])).toEqual(
      { cell: 'high|many', overrides: [1], routing: null, defaulted: false });
    expect(readPrioritySteps(['default P3', "routing rule 'VIP' sets P1"])).toEqual(
      { cell: null, overrides: [], routing: 'VIP', defaulted: true });
  });
});
