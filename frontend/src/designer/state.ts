// The designer's working state: the draft being edited (as the form model plus the rest of the
// definition), undo/redo over every edit, autosave with If-Match, the conflict when someone else
// saved in between, the server's problems, and publishing.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api } from '../api';
import type { UserRef } from '../types';
import { formFromDefinition, formToDefinition, type FormModel } from './model/form';
import { canRedo, canUndo, createHistory, record, redo, undo, type History } from './model/history';
import { isObject, type JsonObject } from './model/json';
import type { Problem } from './model/problems';

export interface DesignerDoc {
  /** The definition; its `form` is stale — the form lives in `form`. */
  doc: JsonObject;
  form: FormModel;
}

export interface DraftResponse {
  definition: JsonObject;
  revision: number;
  updated_at: string;
  updated_by: UserRef | null;
  errors: Problem[];
  warnings: Problem[];
}

export interface TypeInfo {
  key: string;
  name: string;
  latest_version: number | null;
  archived: boolean;
}

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error' | 'conflict';

export const AUTOSAVE_MS = 1200;

const definitions = new WeakMap<DesignerDoc, JsonObject>();

/** The whole definition a designer state stands for (computed once per state). */
export function definitionOf(state: DesignerDoc): JsonObject {
  let found = definitions.get(state);
  if (!found) {
    found = { ...state.doc, form: formToDefinition(state.form) };
    definitions.set(state, found);
  }
  return found;
}

export function designerDoc(definition: JsonObject): DesignerDoc {
  const state = { doc: definition, form: formFromDefinition(definition.form) };
  definitions.set(state, definition);
  return state;
}

/**
 * The state after an edit of the whole definition (the flow editors, translations, JSON). An edit
 * that leaves the form as it was keeps the form model (no re-parse, the canvas does not redraw).
 */
export function withDefinition(state: DesignerDoc, next: JsonObject): DesignerDoc {
  if (next === definitionOf(state)) return state;
  if (next.form !== definitionOf(state).form) return designerDoc(next);
  const changed = { doc: next, form: state.form };
  definitions.set(changed, next);
  return changed;
}

/** Field keys of the latest published version: frozen, and deleting them needs a confirmation. */
function publishedKeysOf(definition: unknown): Set<string> {
  const form = isObject(definition) && isObject(definition.form) ? definition.form : {};
  const schema = isObject(form.schema) ? form.schema : {};
  return new Set(Object.keys(isObject(schema.properties) ? schema.properties : {}));
}

export function useDesigner(key: string) {
  const [type, setType] = useState<TypeInfo | null>(null);
  const [history, setHistory] = useState<History<DesignerDoc> | null>(null);
  const [problems, setProblems] = useState<{ errors: Problem[]; warnings: Problem[] }>({ errors: [], warnings: [] });
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [lastSaved, setLastSaved] = useState<{ at: string; by: UserRef | null } | null>(null);
  const [conflict, setConflict] = useState<DraftResponse | null>(null);
  const [publishedKeys, setPublishedKeys] = useState<Set<string>>(new Set());
  const [loadError, setLoadError] = useState<unknown>(null);
  const revision = useRef(0);
  const saved = useRef<JsonObject | null>(null);
  const saving = useRef<Promise<boolean> | null>(null);
  const present = history?.present ?? null;
  const definition = useMemo(() => (present ? definitionOf(present) : null), [present]);
  const latest = useRef<JsonObject | null>(null);
  latest.current = definition;

  const applyDraft = useCallback((draft: DraftResponse) => {
    revision.current = draft.revision;
    saved.current = draft.definition;
    setProblems({ errors: draft.errors, warnings: draft.warnings });
    setLastSaved({ at: draft.updated_at, by: draft.updated_by });
  }, []);

  const loadPublished = useCallback(async (info: TypeInfo) => {
    if (info.latest_version === null) return setPublishedKeys(new Set());
    const version = await api.get<{ definition: JsonObject }>(`/ticket-types/${encodeURIComponent(info.key)}/versions/${info.latest_version}`);
    setPublishedKeys(publishedKeysOf(version.definition));
  }, []);

  useEffect(() => {
    let live = true;
    (async () => {
      // The type and its draft at once: one round trip less before anything can be drawn.
      const [info, draft] = await Promise.all([
        api.get<TypeInfo>(`/ticket-types/${encodeURIComponent(key)}`),
        api.get<DraftResponse>(`/ticket-types/${encodeURIComponent(key)}/draft`),
      ]);
      if (!live) return;
      performance.mark('designer:draft-loaded');
      setType(info);
      applyDraft(draft);
      setHistory(createHistory(designerDoc(draft.definition)));
      await loadPublished(info);
    })().catch((error: unknown) => live && setLoadError(error));
    return () => {
      live = false;
    };
  }, [key, applyDraft, loadPublished]);

  /** Save now (waits for a save in flight first). True when the server has what the user sees. */
  const save = useCallback(async (): Promise<boolean> => {
    // one PUT at a time: two with the same revision would make this designer conflict with themself
    while (saving.current) await saving.current.catch(() => undefined);
    const body = latest.current;
    if (!body || body === saved.current) {
      setStatus((s) => (s === 'pending' ? 'saved' : s));
      return true;
    }
    const run = (async () => {
      setStatus('saving');
      try {
        const draft = await api.put<DraftResponse>(`/ticket-types/${encodeURIComponent(key)}/draft`, body, {
          headers: { 'If-Match': `"${revision.current}"` },
        });
        applyDraft({ ...draft, definition: body });
        setStatus(latest.current === body ? 'saved' : 'pending');
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          const theirs = await api.get<DraftResponse>(`/ticket-types/${encodeURIComponent(key)}/draft`);
          setConflict(theirs);
          setStatus('conflict');
          return false;
        }
        setStatus('error');
        throw error;
      }
    })();
    saving.current = run;
    try {
      return await run;
    } finally {
      if (saving.current === run) saving.current = null;
    }
  }, [key, applyDraft]);

  // Autosave: a while after the last edit, unless a conflict waits for the user's decision.
  useEffect(() => {
    if (!definition || status === 'conflict') return undefined;
    if (definition === saved.current) {
      // back (by undo) to exactly what the server holds: nothing is unsaved, even if a save that
      // finished meanwhile had left the status pending
      setStatus((s) => (s === 'pending' ? 'saved' : s));
      return undefined;
    }
    setStatus((s) => (s === 'saving' ? s : 'pending'));
    const timer = window.setTimeout(() => {
      save().catch(() => undefined);
    }, AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [definition, status, save]);

  const update = useCallback((change: (state: DesignerDoc) => DesignerDoc, group?: string) => {
    setHistory((h) => (h ? record(h, change(h.present), group) : h));
  }, []);

  const resolveConflict = useCallback(
    async (choice: 'reload' | 'keep') => {
      const theirs = conflict;
      if (!theirs) return;
      setConflict(null);
      revision.current = theirs.revision;
      if (choice === 'reload') {
        saved.current = theirs.definition;
        setProblems({ errors: theirs.errors, warnings: theirs.warnings });
        setLastSaved({ at: theirs.updated_at, by: theirs.updated_by });
        // an undoable step: Ctrl+Z brings back what this designer had
        setHistory((h) => (h ? record(h, designerDoc(theirs.definition)) : h));
        setStatus('saved');
      } else {
        setStatus('pending');
        await save();
      }
    },
    [conflict, save],
  );

  /** After a publish (the publish dialog does it): the type's state and the now frozen keys. */
  const published = useCallback(async () => {
    const info = await api.get<TypeInfo>(`/ticket-types/${encodeURIComponent(key)}`);
    setType(info);
    await loadPublished(info);
  }, [key, loadPublished]);

  // Leaving the designer (the back button, a link that did not ask) with an edit not saved yet: save it
  // now rather than lose it — unless the designer chose "leave without saving", or a conflict waits.
  const discarded = useRef(false);
  const unmount = useRef({ save, pending: false });
  unmount.current = { save, pending: !!definition && definition !== saved.current && status !== 'conflict' };
  useEffect(
    () => () => {
      if (unmount.current.pending && !discarded.current) unmount.current.save().catch(() => undefined);
    },
    [],
  );

  return {
    type,
    definition,
    state: present,
    loadError,
    problems,
    status,
    lastSaved,
    conflict,
    publishedKeys,
    dirty: !!definition && definition !== saved.current,
    canUndo: !!history && canUndo(history),
    canRedo: !!history && canRedo(history),
    update,
    undo: useCallback(() => setHistory((h) => (h ? undo(h) : h)), []),
    redo: useCallback(() => setHistory((h) => (h ? redo(h) : h)), []),
    save,
    resolveConflict,
    published,
    /** The designer leaves without saving: nothing is saved on the way out. */
    discard: useCallback(() => {
      discarded.current = true;
    }, []),
    setProblems,
  };
}

export type Designer = ReturnType<typeof useDesigner>;
