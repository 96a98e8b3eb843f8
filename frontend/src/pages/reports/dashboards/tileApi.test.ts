import { describe, expect, it } from 'vitest';
import { fromForm, isDirty, newTileId, tileProblem, toBody, toForm, type Dashboard, type Tile } from './tileApi';

const layout = { x: 0, y: 0, w: 6, h: 4 };
const bar: Tile = {
  id: 'volume-1',
  kind: 'bar',
  metric: 'volume',
  measure: 'count',
  by: 'priority',
  filters: { team: 'service-desk', source: 'email' },
  range: 'last_30_days',
  layout,
};

describe('tiles and the tile panel', () => {
  it('round-trips a tile through the form', () => {
    const form = toForm(bar);
    expect(form).toMatchObject({ kind: 'bar', metric: 'volume', measures: ['count'], by: 'priority', team: 'service-desk', mine: false });
    expect(fromForm(form, bar.id, layout, bar)).toEqual(bar);
  });

  it('writes several measures as a list, drops empty choices, keeps filters the form does not show', () => {
    const tile = fromForm(
      { kind: 'line', metric: 'created_vs_resolved', measures: ['created', 'resolved'], bucket: 'day', by: '', title: '  ', team: '', mine: true, range: 'last_7_days' },
      'c-1',
      layout,
      bar,
    );
    expect(tile).toEqual({
      id: 'c-1',
      kind: 'line',
      metric: 'created_vs_resolved',
      measure: ['created', 'resolved'],
      bucket: 'day',
      filters: { source: 'email', assignee: 'me' },
      range: 'last_7_days',
      layout,
    });
  });

  it('names new tiles uniquely and reads 422 pointers', () => {
    expect(newTileId([bar], 'volume')).toBe('volume-2');
    expect(tileProblem('/tiles/2/filters/team')).toEqual({ index: 2, field: 'filters/team' });
    expect(tileProblem('/tiles/0')).toEqual({ index: 0, field: '' });
    expect(tileProblem('/name')).toBeNull();
  });

  it('knows when there is something to discard', () => {
    const saved: Dashboard = {
      id: '1', name: 'Ops', builtin: false, owner: null, shared_with: { roles: [], teams: [] }, is_default_for: null,
      tiles: [bar], refresh_seconds: null, version: 1, editable: true,
    };
    expect(isDirty(saved, { ...saved })).toBe(false);
    expect(isDirty(saved, { ...saved, tiles: [{ ...bar, layout: { ...layout, x: 6 } }] })).toBe(true);
    expect(Object.keys(toBody(saved))).toEqual(['name', 'tiles', 'shared_with', 'refresh_seconds', 'is_default_for']);
  });
});
