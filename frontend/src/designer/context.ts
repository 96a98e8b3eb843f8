// What every designer tab gets: the draft and how to change it (each change is one undo step).
import { createContext, useContext } from 'react';
import type { Json, JsonObject } from './model/json';
import type { Problem } from './model/problems';
import type { Designer, DesignerDoc } from './state';

export interface DesignerContextValue {
  designer: Designer;
  /** The whole current definition. */
  definition: JsonObject;
  state: DesignerDoc;
  /** Change the draft; `group` merges quick successive edits of one thing into one undo step. */
  update: (change: (state: DesignerDoc) => DesignerDoc, group?: string) => void;
  /** Change the definition outside the form (workflow, routing …) as JSON. */
  updateDefinition: (change: (definition: JsonObject) => JsonObject, group?: string) => void;
  /** The key of the ticket type. */
  typeKey: string;
  /** Field keys of the latest published version (frozen). */
  publishedKeys: Set<string>;
  problems: { errors: Problem[]; warnings: Problem[] };
  /** Ask the page to show a place: a field, a rule, or a definition pointer. */
  focus: (target: { field?: string; pointer?: string; tab?: string }) => void;
  /** Show what a JSON pointer of the definition points at: its tab, and there its field or widget. */
  show: (path: string) => void;
  focusTarget: { field?: string; pointer?: string; nonce: number } | null;
}

export const DesignerContext = createContext<DesignerContextValue | null>(null);

export function useDesignerContext(): DesignerContextValue {
  const value = useContext(DesignerContext);
  if (!value) throw new Error('useDesignerContext outside the designer');
  return value;
}

export type { Json };
