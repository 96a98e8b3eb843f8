// The 12-column grid of a dashboard, as pure functions: moving and resizing a tile pushes the tiles it would
// cover downwards, then every tile floats up as far as it can (vertical compaction), so the grid has no holes
// and no overlaps. Positions are in cells: x 0..11, w 1..12, y from 0 down, h in rows.

export const COLUMNS = 12;
export const MAX_HEIGHT = 12;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Placed {
  id: string;
  layout: Box;
}

export function clampBox(box: Box): Box {
  const w = Math.min(COLUMNS, Math.max(1, Math.round(box.w)));
  const h = Math.min(MAX_HEIGHT, Math.max(1, Math.round(box.h)));
  const x = Math.min(COLUMNS - w, Math.max(0, Math.round(box.x)));
  const y = Math.max(0, Math.round(box.y));
  return { x, y, w, h };
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Reading order: top to bottom, left to right (also the order tiles stack in one column on a phone). */
export function readingOrder<T extends Placed>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x || a.id.localeCompare(b.id));
}

/** Every tile as high as it can go without covering one placed before it (in reading order); `pinned` first. */
export function compact<T extends Placed>(items: readonly T[], pinned?: string): T[] {
  const order = readingOrder(items);
  const placed: T[] = [];
  const first = pinned ? order.filter((item) => item.id === pinned) : [];
  for (const item of [...first, ...order.filter((item) => item.id !== pinned)]) {
    let box = clampBox(item.layout);
    if (item.id !== pinned) {
      while (box.y > 0 && !placed.some((other) => overlaps({ ...box, y: box.y - 1 }, other.layout))) box = { ...box, y: box.y - 1 };
    }
    while (placed.some((other) => overlaps(box, other.layout))) box = { ...box, y: box.y + 1 };
    placed.push({ ...item, layout: box });
  }
  return items.map((item) => placed.find((p) => p.id === item.id) as T);
}

function place<T extends Placed>(items: readonly T[], id: string, box: Box): T[] {
  const target = clampBox(box);
  return compact(
    items.map((item) => (item.id === id ? { ...item, layout: target } : item)),
    id,
  );
}

/** Move a tile to (x, y); the tiles it lands on go below it. */
export function moveTile<T extends Placed>(items: readonly T[], id: string, to: { x: number; y: number }): T[] {
  const item = items.find((i) => i.id === id);
  return item ? place(items, id, { ...item.layout, x: to.x, y: to.y }) : [...items];
}

/** Give a tile a new width and height (its corner stays), within the grid. */
export function resizeTile<T extends Placed>(items: readonly T[], id: string, size: { w: number; h: number }): T[] {
  const item = items.find((i) => i.id === id);
  if (!item) return [...items];
  const w = Math.min(COLUMNS - item.layout.x, Math.max(1, Math.round(size.w)));
  return place(items, id, { ...item.layout, w, h: size.h });
}

/** A pixel offset of a drag as whole cells. */
export function cellsOf(delta: { x: number; y: number }, cell: { width: number; height: number }): { dx: number; dy: number } {
  return { dx: Math.round(delta.x / Math.max(1, cell.width)) || 0, dy: Math.round(delta.y / Math.max(1, cell.height)) || 0 };
}

/** Where a new tile of this size goes: at the left, below everything. */
export function freeSpot(items: readonly Placed[], w: number, h: number): Box {
  const bottom = items.reduce((most, item) => Math.max(most, item.layout.y + item.layout.h), 0);
  return clampBox({ x: 0, y: bottom, w, h });
}
