// The category tree as the app shows it: names in the reader's language, the tree antd draws, a category's path.
import type { TreeDataNode } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import i18n from '../i18n';
import en from './i18n/categories-en.json';
import zhCN from './i18n/categories-zh-CN.json';

// Compile-time parity check: both catalogs have exactly the same keys.
const zhHasEnKeys: typeof en = zhCN;
const enHasZhKeys: typeof zhCN = en;
void zhHasEnKeys;
void enHasZhKeys;
if (!i18n.exists('knowledgeCategories.title', { lng: 'en' })) {
  i18n.addResourceBundle('en', 'translation', en, true, false);
  i18n.addResourceBundle('zh-CN', 'translation', zhCN, true, false);
}

export interface Category {
  id: number;
  name: string;
  parent_id: number | null;
  i18n: Partial<Record<string, { name?: string }>>;
  position: number;
}

/** The name a reader of `language` reads: its translation where there is one, else the name. */
export function categoryName(category: Category, language: string): string {
  const locale = language.startsWith('zh') ? 'zh-CN' : 'en';
  return category.i18n?.[locale]?.name || category.name;
}

/** The children of `parentId` (null: the top level), in their order. */
export function childrenOf(categories: Category[], parentId: number | null): Category[] {
  return categories
    .filter((c) => c.parent_id === parentId)
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name) || a.id - b.id);
}

/** The category and those above it, from the top down (empty when it is unknown). */
export function categoryPath(categories: Category[], id: number | null | undefined): Category[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const path: Category[] = [];
  let current = id == null ? undefined : byId.get(id);
  while (current && !path.includes(current)) {
    path.unshift(current);
    current = current.parent_id == null ? undefined : byId.get(current.parent_id);
  }
  return path;
}

export interface CategoryNode extends TreeDataNode {
  key: string;
  value: string;
  title: string;
  category: Category;
  children: CategoryNode[];
}

/** The tree for antd's Tree and TreeSelect: keys and values are the ids as strings, titles the reader's names. */
export function categoryTree(categories: Category[], language: string, parentId: number | null = null): CategoryNode[] {
  return childrenOf(categories, parentId).map((category) => ({
    key: String(category.id),
    value: String(category.id),
    title: categoryName(category, language),
    category,
    children: categoryTree(categories, language, category.id),
  }));
}

/** GET /knowledge/categories (everyone may read the tree), with a reload. */
export function useCategories(): { categories: Category[] | null; reload: () => Promise<Category[]>; error: unknown } {
  const [categories, setCategories] = useState<Category[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(
    () =>
      api.get<{ items: Category[] }>('/knowledge/categories').then((found) => {
        setCategories(found.items);
        return found.items;
      }),
    [],
  );
  useEffect(() => {
    reload().catch(setError);
  }, [reload]);
  return { categories, reload, error };
}

/** The reader's language, for the names (re-renders when it changes). */
export function useLanguage(): string {
  return useTranslation().i18n.language;
}

/** Where a dragged category lands: inside the target (its first child), or beside it (before or after), as
 * the parent and the place among the new siblings that PUT /knowledge/categories/{id} takes. */
export function dropPlace(
  categories: Category[],
  draggedId: number,
  targetId: number,
  where: 'inside' | 'before' | 'after',
): { parent_id: number | null; position: number } | null {
  const target = categories.find((c) => c.id === targetId);
  if (!target || draggedId === targetId) return null;
  if (where === 'inside') return { parent_id: target.id, position: 0 };
  const siblings = childrenOf(categories, target.parent_id).filter((c) => c.id !== draggedId);
  const at = siblings.findIndex((c) => c.id === target.id);
  return { parent_id: target.parent_id, position: at + (where === 'after' ? 1 : 0) };
}
