import { describe, expect, it } from 'vitest';
import type { ColumnsNode, LayoutNode, SectionNode } from './form';
import { displayOrder } from './form';
import { childrenOf, locate, moveNode, moveStep, parseContainerKey, containerKey, removeNode, sectionOf, ROOT } from './layout';

const cols = (id: string, a: string[], b: string[]): ColumnsNode => ({ type: 'columns', id, columns: [a, b], extra: {} });
const section = (id: string, items: (string | ColumnsNode)[]): SectionNode => ({ type: 'section', id, title: id, description: '', items, extra: {} });

const layout: LayoutNode[] = ['a', section('s', ['b', cols('c1', ['c'], ['d'])]), 'e'];

describe('layout', () => {
  it('locates fields, sections and columns', () => {
    expect(locate(layout, 'a')).toEqual({ container: ROOT, index: 0 });
    expect(locate(layout, 'b')).toEqual({ container: { kind: 'section', id: 's' }, index: 0 });
    expect(locate(layout, 'd')).toEqual({ container: { kind: 'column', id: 'c1', col: 1 }, index: 0 });
    expect(locate(layout, 'c1')).toEqual({ container: { kind: 'section', id: 's' }, index: 1 });
    expect(locate(layout, 'zz')).toBeNull();
    expect(sectionOf(layout, 'c')).toBe('s');
    expect(sectionOf(layout, 'e')).toBeNull();
    expect(childrenOf(layout, { kind: 'section', id: 's' })).toEqual(['b', 'c1']);
  });

  it('container keys round trip', () => {
    for (const c of [ROOT, { kind: 'section', id: 's' }, { kind: 'column', id: 'c1', col: 1 }] as const) expect(parseContainerKey(containerKey(c))).toEqual(c);
    expect(parseContainerKey('column:x:2')).toBeNull();
  });

  it('moves by drag and drop, into and out of sections and columns', () => {
    const out = moveNode(layout, 'e', { container: { kind: 'column', id: 'c1', col: 0 }, index: 0 });
    expect(displayOrder(out)).toEqual(['a', 'b', 'e', 'c', 'd']);
    const back = moveNode(out, 'c', ROOT_PLACE(0));
    expect(displayOrder(back)).toEqual(['c', 'a', 'b', 'e', 'd']);
    expect(layout).toEqual(['a', section('s', ['b', cols('c1', ['c'], ['d'])]), 'e']);
  });

  it('refuses impossible moves: a section into a section, a row into a column, a section into itself', () => {
    const nested = [section('s1', []), section('s2', ['x'])];
    expect(moveNode(nested, 's1', { container: { kind: 'section', id: 's2' }, index: 0 })).toBe(nested);
    expect(moveNode(layout, 'c1', { container: { kind: 'column', id: 'c1', col: 0 }, index: 0 })).toBe(layout);
    expect(moveNode(layout, 's', { container: { kind: 'section', id: 's' }, index: 0 })).toBe(layout);
  });

  it('steps a field through every place with the keyboard, and back', () => {
    const seen: string[] = [];
    let current = layout;
    for (let i = 0; i < 12; i++) {
      const next = moveStep(current, 'a', 1);
      if (next === current) break;
      current = next;
      const place = locate(current, 'a')!;
      seen.push(`${containerKey(place.container)}@${place.index}`);
    }
    expect(seen).toEqual([
      'section:s@0',
      'section:s@1',
      'column:c1:0@0',
      'column:c1:0@1',
      'column:c1:1@0',
      'column:c1:1@1',
      'section:s@2',
      'root@1',
      'root@2',
    ]);
    for (let i = 0; i < seen.length; i++) current = moveStep(current, 'a', -1);
    expect(current).toEqual(layout);
  });

  it('a section steps among top-level items only', () => {
    const once = moveStep(layout, 's', -1);
    expect(once.map((n) => (typeof n === 'string' ? n : n.id))).toEqual(['s', 'a', 'e']);
    expect(moveStep(once, 's', -1)).toBe(once);
  });

  it('removing a field leaves empty containers in place', () => {
    const out = removeNode(layout, 'd');
    expect(out[1]).toEqual(section('s', ['b', cols('c1', ['c'], [])]));
    expect(removeNode(layout, 's')).toEqual(['a', 'e']);
  });
});

function ROOT_PLACE(index: number) {
  return { container: ROOT, index };
}
