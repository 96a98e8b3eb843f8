import { describe, expect, it } from 'vitest';
import { cellsOf, clampBox, compact, freeSpot, moveTile, overlaps, readingOrder, resizeTile, type Placed } from './grid';

const tile = (id: string, x: number, y: number, w: number, h: number): Placed => ({ id, layout: { x, y, w, h } });
const layouts = (items: Placed[]) => Object.fromEntries(items.map((i) => [i.id, i.layout]));

function noOverlap(items: Placed[]) {
  for (const a of items) for (const b of items) if (a !== b) expect(overlaps(a.layout, b.layout)).toBe(false);
}

describe('the dashboard grid', () => {
  it('keeps boxes inside twelve columns', () => {
    expect(clampBox({ x: 10, y: -2, w: 5, h: 0 })).toEqual({ x: 7, y: 0, w: 5, h: 1 });
    expect(clampBox({ x: 0, y: 0, w: 20, h: 30 })).toEqual({ x: 0, y: 0, w: 12, h: 12 });
  });

  it('floats tiles up into holes and never overlaps', () => {
    const out = compact([tile('a', 0, 3, 6, 2), tile('b', 6, 0, 6, 2), tile('c', 0, 9, 12, 2)]);
    expect(layouts(out)).toEqual({ a: { x: 0, y: 0, w: 6, h: 2 }, b: { x: 6, y: 0, w: 6, h: 2 }, c: { x: 0, y: 2, w: 12, h: 2 } });
  });

  it('moves a tile and pushes the one it lands on below it', () => {
    const items = [tile('a', 0, 0, 6, 2), tile('b', 6, 0, 6, 2), tile('c', 0, 2, 12, 2)];
    const out = moveTile(items, 'c', { x: 0, y: 0 });
    expect(out.find((i) => i.id === 'c')?.layout).toEqual({ x: 0, y: 0, w: 12, h: 2 });
    expect(out.find((i) => i.id === 'a')?.layout.y).toBe(2);
    expect(out.find((i) => i.id === 'b')?.layout.y).toBe(2);
    noOverlap(out);
    expect(out.map((i) => i.id)).toEqual(['a', 'b', 'c']); // the list keeps its order; only layouts change
  });

  it('moves a tile sideways into free columns', () => {
    const out = moveTile([tile('a', 0, 0, 4, 2), tile('b', 4, 0, 4, 2)], 'a', { x: 8, y: 0 });
    expect(layouts(out)).toEqual({ a: { x: 8, y: 0, w: 4, h: 2 }, b: { x: 4, y: 0, w: 4, h: 2 } });
  });

  it('resizes within the grid and pushes neighbours down', () => {
    const out = resizeTile([tile('a', 0, 0, 6, 2), tile('b', 6, 0, 6, 2)], 'a', { w: 9, h: 3 });
    expect(layouts(out)).toEqual({ a: { x: 0, y: 0, w: 9, h: 3 }, b: { x: 6, y: 3, w: 6, h: 2 } });
    expect(resizeTile([tile('a', 8, 0, 4, 2)], 'a', { w: 10, h: 2 })[0].layout).toEqual({ x: 8, y: 0, w: 4, h: 2 });
  });

  it('turns drag pixels into cells and places new tiles below', () => {
    expect(cellsOf({ x: 170, y: -95 }, { width: 80, height: 90 })).toEqual({ dx: 2, dy: -1 });
    expect(freeSpot([tile('a', 0, 0, 6, 2), tile('b', 6, 0, 6, 5)], 4, 3)).toEqual({ x: 0, y: 5, w: 4, h: 3 });
    expect(readingOrder([tile('b', 6, 0, 6, 2), tile('c', 0, 2, 1, 1), tile('a', 0, 0, 6, 2)]).map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });
});
