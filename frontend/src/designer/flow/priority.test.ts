import { describe, expect, it } from 'vitest';
import { afterSalesDefinition } from './fixtures';
import { cellKey, combinations, decisionLines, matrixAxes, matrixCandidates, setCell } from './priority';

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

  it('says what decided a simulated priority, from the structured decision of the server', () => {
    const cell = { by: 'matrix' as const, cell: 'high|*', fields: ['urgency', 'impact'], values: ['high', 'one'], level: 'P2' };
    const vip = { by: 'override' as const, index: 1, label: 'Override 2: 1 level(s) up', effect: 'raise_by' as const, amount: 1, matched: true, from: 'P2', to: 'P1' };
    const other = { ...vip, index: 0, label: 'Override 1: set P4', matched: false, from: undefined, to: undefined };
    const titles = { urgency: 'Urgency', impact: 'Impact' };
    expect(decisionLines({ base: cell, overrides: [other, vip], routing: null, decided_by: vip }, titles, 'any')).toEqual([
      { key: 'byCell', params: { cell: 'Urgency high, Impact *', level: 'P2' }, decisive: false },
      { key: 'byOverride', params: { label: 'Override 2: 1 level(s) up', from: 'P2', to: 'P1' }, decisive: true },
    ]);
    const routing = { by: 'routing' as const, index: 0, name: 'VIP', from: 'P3', to: 'P1' };
    expect(decisionLines({ base: { by: 'default', level: 'P3' }, overrides: [other], routing, decided_by: routing }, titles, 'any')).toEqual([
      { key: 'byDefault', params: { level: 'P3' }, decisive: false },
      { key: 'byRouting', params: { rule: 'VIP', level: 'P1' }, decisive: true },
    ]);
    expect(decisionLines({ base: { ...cell, cell: '*' }, overrides: [], routing: null, decided_by: { ...cell, cell: '*' } }, titles, 'any')[0])
      .toEqual({ key: 'byCell', params: { cell: 'any', level: 'P2' }, decisive: true });
  });
});
