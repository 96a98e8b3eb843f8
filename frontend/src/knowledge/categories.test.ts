import { describe, expect, it } from 'vitest';
import { type Category, categoryName, categoryPath, categoryTree, childrenOf, dropPlace } from './categories';

const cat = (id: number, name: string, parent_id: number | null, position: number, zh?: string): Category => ({
  id, name, parent_id, position, i18n: zh ? { 'zh-CN': { name: zh } } : {},
});
// IT (Printers, Network, VPN), Facilities
const TREE = [cat(1, 'IT', null, 0, '信息技术'), cat(2, 'Facilities', null, 1), cat(3, 'Printers', 1, 0, '打印机'),
  cat(4, 'Network', 1, 1), cat(5, 'VPN', 1, 2)];

describe('categories', () => {
  it('names a category in the reader language, else by its name', () => {
    expect(categoryName(TREE[0], 'zh-CN')).toBe('信息技术');
    expect(categoryName(TREE[0], 'en')).toBe('IT');
    expect(categoryName(TREE[1], 'zh-CN')).toBe('Facilities');
  });

  it('orders siblings by position and builds the tree', () => {
    expect(childrenOf(TREE, 1).map((c) => c.name)).toEqual(['Printers', 'Network', 'VPN']);
    const tree = categoryTree(TREE, 'zh-CN');
    expect(tree.map((n) => n.title)).toEqual(['信息技术', 'Facilities']);
    expect(tree[0].children.map((n) => n.key)).toEqual(['3', '4', '5']);
  });

  it('gives the path from the top', () => {
    expect(categoryPath(TREE, 4).map((c) => c.name)).toEqual(['IT', 'Network']);
    expect(categoryPath(TREE, null)).toEqual([]);
    expect(categoryPath(TREE, 99)).toEqual([]);
  });

  it('places a dragged category inside, before or after the target', () => {
    expect(dropPlace(TREE, 2, 3, 'inside')).toEqual({ parent_id: 3, position: 0 });
    expect(dropPlace(TREE, 2, 4, 'before')).toEqual({ parent_id: 1, position: 1 });
    expect(dropPlace(TREE, 2, 5, 'after')).toEqual({ parent_id: 1, position: 3 });
    // within the same parent, counted without itself: VPN before Printers is first; Printers after VPN is last
    expect(dropPlace(TREE, 5, 3, 'before')).toEqual({ parent_id: 1, position: 0 });
    expect(dropPlace(TREE, 3, 5, 'after')).toEqual({ parent_id: 1, position: 2 });
    expect(dropPlace(TREE, 3, 4, 'after')).toEqual({ parent_id: 1, position: 1 });
    expect(dropPlace(TREE, 4, 1, 'after')).toEqual({ parent_id: null, position: 1 });
    expect(dropPlace(TREE, 4, 4, 'inside')).toBeNull();
  });
});
