// Moving fields, sections and two-column rows around the layout: by drag and drop (to a container
// and an index) and with the keyboard (one step up or down through every place a field can be,
// entering and leaving sections and columns on the way).
import type { ColumnsNode, LayoutNode, SectionNode } from './form';

export type Container = { kind: 'root' } | { kind: 'section'; id: string } | { kind: 'column'; id: string; col: 0 | 1 };
export interface Place {
  container: Container;
  index: number;
}

export const ROOT: Container = { kind: 'root' };

export function nodeId(node: LayoutNode): string {
  return typeof node === 'string' ? node : node.id;
}

export function containerKey(container: Container): string {
  return container.kind === 'root' ? 'root' : container.kind === 'section' ? `section:${container.id}` : `column:${container.id}:${container.col}`;
}

export function parseContainerKey(key: string): Container | null {
  if (key === 'root') return ROOT;
  const [kind, id, col] = key.split(':');
  if (kind === 'section' && id) return { kind: 'section', id };
  if (kind === 'column' && id && (col === '0' || col === '1')) return { kind: 'column', id, col: Number(col) as 0 | 1 };
  return null;
}

function findColumns(layout: LayoutNode[], id: string): ColumnsNode | undefined {
  for (const node of layout) {
    if (typeof node === 'string') continue;
    if (node.type === 'columns' && node.id === id) return node;
    if (node.type === 'section') for (const item of node.items) if (typeof item !== 'string' && item.id === id) return item;
  }
  return undefined;
}

/** The list of ids a container holds. */
export function childrenOf(layout: LayoutNode[], container: Container): string[] {
  if (container.kind === 'root') return layout.map(nodeId);
  if (container.kind === 'section') {
    const section = layout.find((n): n is SectionNode => typeof n !== 'string' && n.type === 'section' && n.id === container.id);
    return section ? section.items.map(nodeId) : [];
  }
  return findColumns(layout, container.id)?.columns[container.col].slice() ?? [];
}

/** Where a field, section or columns row is. */
export function locate(layout: LayoutNode[], id: string): Place | null {
  for (let i = 0; i < layout.length; i++) {
    const node = layout[i]!;
    if (nodeId(node) === id) return { container: ROOT, index: i };
    if (typeof node === 'string') continue;
    if (node.type === 'columns') {
      for (const col of [0, 1] as const) {
        const j = node.columns[col].indexOf(id);
        if (j >= 0) return { container: { kind: 'column', id: node.id, col }, index: j };
      }
    } else {
      for (let j = 0; j < node.items.length; j++) {
        const item = node.items[j]!;
        if (nodeId(item) === id) return { container: { kind: 'section', id: node.id }, index: j };
        if (typeof item !== 'string') {
          for (const col of [0, 1] as const) {
            const k = item.columns[col].indexOf(id);
            if (k >= 0) return { container: { kind: 'column', id: item.id, col }, index: k };
          }
        }
      }
    }
  }
  return null;
}

function nodeById(layout: LayoutNode[], id: string): LayoutNode | undefined {
  const place = locate(layout, id);
  if (place?.container.kind === 'column') return id;
  for (const node of layout) {
    if (nodeId(node) === id) return node;
    if (typeof node !== 'string' && node.type === 'section') for (const item of node.items) if (nodeId(item) === id) return item;
  }
  return undefined;
}

/** The layout without a node (a field, a section with its contents, a columns row with its fields). */
export function removeNode(layout: LayoutNode[], id: string): LayoutNode[] {
  const out: LayoutNode[] = [];
  for (const node of layout) {
    if (nodeId(node) === id) continue;
    if (typeof node === 'string') out.push(node);
    else if (node.type === 'columns') {
      out.push(node.columns[0].includes(id) || node.columns[1].includes(id) ? { ...node, columns: [node.columns[0].filter((k) => k !== id), node.columns[1].filter((k) => k !== id)] } : node);
    } else {
      const items = node.items
        .filter((item) => nodeId(item) !== id)
        .map((item) =>
          typeof item !== 'string' && (item.columns[0].includes(id) || item.columns[1].includes(id))
            ? { ...item, columns: [item.columns[0].filter((k) => k !== id), item.columns[1].filter((k) => k !== id)] as [string[], string[]] }
            : item,
        );
      out.push(items.length === node.items.length && items.every((item, i) => item === node.items[i]) ? node : { ...node, items });
    }
  }
  return out;
}

function canHold(container: Container, node: LayoutNode): boolean {
  if (typeof node === 'string') return true;
  if (node.type === 'section') return container.kind === 'root';
  return container.kind !== 'column';
}

/** The layout with a node inserted at a place (the index is clamped). */
export function insertNode(layout: LayoutNode[], place: Place, node: LayoutNode): LayoutNode[] {
  const { container } = place;
  if (!canHold(container, node)) throw new Error(`A ${typeof node === 'string' ? 'field' : node.type} cannot go into a ${container.kind}.`);
  const at = (length: number) => Math.max(0, Math.min(place.index, length));
  if (container.kind === 'root') {
    const copy = layout.slice();
    copy.splice(at(copy.length), 0, node);
    return copy;
  }
  return layout.map((top) => {
    if (typeof top === 'string') return top;
    if (container.kind === 'section' && top.type === 'section' && top.id === container.id) {
      const items = top.items.slice();
      items.splice(at(items.length), 0, node as string | ColumnsNode);
      return { ...top, items };
    }
    if (container.kind === 'column') {
      const fill = (c: ColumnsNode): ColumnsNode => {
        if (c.id !== container.id) return c;
        const cols: [string[], string[]] = [c.columns[0].slice(), c.columns[1].slice()];
        cols[container.col].splice(at(cols[container.col].length), 0, node as string);
        return { ...c, columns: cols };
      };
      if (top.type === 'columns') return fill(top);
      return { ...top, items: top.items.map((item) => (typeof item === 'string' ? item : fill(item))) };
    }
    return top;
  });
}

/** Move a node to a place; the index is where it ends up in that container. */
export function moveNode(layout: LayoutNode[], id: string, place: Place): LayoutNode[] {
  const node = nodeById(layout, id);
  if (node === undefined) return layout;
  if (typeof node !== 'string' && place.container.kind !== 'root' && place.container.id === id) return layout;
  if (!canHold(place.container, node)) return layout;
  return insertNode(removeNode(layout, id), place, node);
}

/** Every place a node could be inserted, in reading order (what the keyboard steps through). */
function places(layout: LayoutNode[], node: LayoutNode): Place[] {
  const out: Place[] = [];
  const isField = typeof node === 'string';
  const isSection = !isField && node.type === 'section';
  layout.forEach((top, i) => {
    out.push({ container: ROOT, index: i });
    if (isSection || typeof top === 'string') return;
    const columnPlaces = (c: ColumnsNode) => {
      if (!isField) return;
      for (const col of [0, 1] as const) for (let k = 0; k <= c.columns[col].length; k++) out.push({ container: { kind: 'column', id: c.id, col }, index: k });
    };
    if (top.type === 'columns') columnPlaces(top);
    else {
      top.items.forEach((item, j) => {
        out.push({ container: { kind: 'section', id: top.id }, index: j });
        if (typeof item !== 'string') columnPlaces(item);
      });
      out.push({ container: { kind: 'section', id: top.id }, index: top.items.length });
    }
  });
  out.push({ container: ROOT, index: layout.length });
  return out;
}

function samePlace(a: Place, b: Place): boolean {
  return a.index === b.index && containerKey(a.container) === containerKey(b.container);
}

/**
 * Move a node one step up (-1) or down (+1) through the places it can be: a field steps into and
 * out of sections and columns; a section moves among the top-level items. Returns the layout
 * unchanged at either end.
 */
export function moveStep(layout: LayoutNode[], id: string, direction: -1 | 1): LayoutNode[] {
  const node = nodeById(layout, id);
  const from = locate(layout, id);
  if (node === undefined || from === null) return layout;
  const without = removeNode(layout, id);
  const all = places(without, node);
  const current = all.findIndex((p) => samePlace(p, from));
  const target = all[current + direction];
  if (current < 0 || !target) return layout;
  return insertNode(without, target, node);
}

/** The section a node is in, if any. */
export function sectionOf(layout: LayoutNode[], id: string): string | null {
  for (const node of layout) {
    if (typeof node === 'string' || node.type !== 'section') continue;
    for (const item of node.items) {
      if (nodeId(item) === id) return node.id;
      if (typeof item !== 'string' && (item.columns[0].includes(id) || item.columns[1].includes(id))) return node.id;
    }
  }
  return null;
}

/** Dissolve a section or a columns row: its fields take its place. */
export function unwrapNode(layout: LayoutNode[], id: string): LayoutNode[] {
  const flatten = (node: ColumnsNode) => [...node.columns[0], ...node.columns[1]];
  const out: LayoutNode[] = [];
  for (const node of layout) {
    if (typeof node === 'string') out.push(node);
    else if (node.id === id) out.push(...(node.type === 'columns' ? flatten(node) : node.items));
    else if (node.type === 'section') {
      const items: (string | ColumnsNode)[] = [];
      for (const item of node.items) if (typeof item !== 'string' && item.id === id) items.push(...flatten(item));
      else items.push(item);
      out.push(items.length === node.items.length && items.every((it, i) => it === node.items[i]) ? node : { ...node, items });
    } else out.push(node);
  }
  return out;
}

/** Replace a field key everywhere in the layout. */
export function renameInLayout(layout: LayoutNode[], from: string, to: string): LayoutNode[] {
  const r = (k: string) => (k === from ? to : k);
  const cols = (c: ColumnsNode): ColumnsNode => ({ ...c, columns: [c.columns[0].map(r), c.columns[1].map(r)] });
  return layout.map((node) =>
    typeof node === 'string' ? r(node) : node.type === 'columns' ? cols(node) : { ...node, items: node.items.map((it) => (typeof it === 'string' ? r(it) : cols(it))) },
  );
}
