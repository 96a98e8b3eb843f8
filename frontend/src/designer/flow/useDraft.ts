// The working draft of a ticket type: loaded with its revision, saved (debounced) with If-Match so a
// colleague's save is never overwritten silently, with the server's errors and warnings after each save.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { flowApi } from './flowApi';
import type { Definition, Problem } from './types';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

const LAYOUT_STORE = 'gongdan.designer.layout.';

/**
 * Graph positions live in the draft's top-level `layout` (proposed in HANDOFF.md). A server whose
 * meta-schema does not know that key yet reports it (`schema.unknown_key` at `/layout`); the
 * positions are then kept in this browser instead, and the draft is saved without them.
 */
function refusesLayout(errors: Problem[]): boolean {
  return errors.some((e) => e.path === '/layout' && e.code === 'schema.unknown_key');
}

function readLocalLayout(key: string): Definition['layout'] | undefined {
  try {
    const text = window.localStorage.getItem(LAYOUT_STORE + key);
    return text ? (JSON.parse(text) as Definition['layout']) : undefined;
  } catch {
    return undefined;
  }
}

function writeLocalLayout(key: string, layout: Definition['layout']): void {
  try {
    window.localStorage.setItem(LAYOUT_STORE + key, JSON.stringify(layout ?? {}));
  } catch {
    // storage unavailable: positions last until the page is left
  }
}

function withoutLayout(definition: Definition): Definition {
  const copy = { ...definition };
  delete copy.layout;
  return copy;
}

export interface DraftState {
  definition: Definition | null;
  revision: number | null;
  errors: Problem[];
  warnings: Problem[];
  saveState: SaveState;
  saveError: string | null;
  loadError: unknown;
  /** Replace the draft (the editors call this on every change); saved after a short pause. */
  update: (next: Definition) => void;
  /** Save now and wait (before a simulation or publishing, which read the saved draft). */
  flush: () => Promise<boolean>;
  reload: () => Promise<void>;
  layoutInBrowser: boolean;
}

export function useDraft(typeKey: string, delay = 700): DraftState {
  const [definition, setDefinition] = useState<Definition | null>(null);
  const [revision, setRevision] = useState<number | null>(null);
  const [errors, setErrors] = useState<Problem[]>([]);
  const [warnings, setWarnings] = useState<Problem[]>([]);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [layoutInBrowser, setLayoutInBrowser] = useState(false);
  const pending = useRef<Definition | null>(null);
  const revisionRef = useRef<number | null>(null);
  const layoutLocal = useRef(false);
  const timer = useRef<number | null>(null);
  const saving = useRef<Promise<boolean> | null>(null);

  const reload = useCallback(async () => {
    try {
      const draft = await flowApi.draft(typeKey);
      let doc = draft.definition;
      const local = readLocalLayout(typeKey);
      if (!doc.layout && local) {
        doc = { ...doc, layout: local };
        layoutLocal.current = true;
        setLayoutInBrowser(true);
      }
      revisionRef.current = draft.revision;
      setRevision(draft.revision);
      setDefinition(doc);
      setErrors(draft.errors);
      setWarnings(draft.warnings);
      setSaveState('saved');
      setLoadError(null);
    } catch (error) {
      setLoadError(error);
    }
  }, [typeKey]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const save = useCallback(async (): Promise<boolean> => {
    const doc = pending.current;
    if (!doc) return true;
    pending.current = null;
    setSaveState('saving');
    try {
      let body = layoutLocal.current ? withoutLayout(doc) : doc;
      let result = await flowApi.saveDraft(typeKey, body, revisionRef.current);
      if (!layoutLocal.current && doc.layout && refusesLayout(result.errors)) {
        layoutLocal.current = true;
        setLayoutInBrowser(true);
        body = withoutLayout(doc);
        result = await flowApi.saveDraft(typeKey, body, result.revision);
      }
      if (layoutLocal.current) writeLocalLayout(typeKey, doc.layout);
      revisionRef.current = result.revision;
      setRevision(result.revision);
      setErrors(result.errors);
      setWarnings(result.warnings);
      setSaveError(null);
      setSaveState(pending.current ? 'dirty' : 'saved');
      return true;
    } catch (error) {
      pending.current ??= doc;
      if (error instanceof ApiError && error.status === 412) setSaveState('conflict');
      else setSaveState('error');
      setSaveError(error instanceof Error ? error.message : String(error));
      return false;
    }
  }, [typeKey]);

  const runSave = useCallback(async (): Promise<boolean> => {
    while (saving.current) await saving.current;
    const promise = save();
    saving.current = promise;
    try {
      return await promise;
    } finally {
      saving.current = null;
    }
  }, [save]);

  const update = useCallback(
    (next: Definition) => {
      setDefinition(next);
      pending.current = next;
      setSaveState('dirty');
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => {
        timer.current = null;
        void runSave();
      }, delay);
    },
    [delay, runSave],
  );

  const flush = useCallback(async () => {
    if (timer.current !== null) {
      window.clearTimeout(timer.current);
      timer.current = null;
    }
    if (!pending.current) {
      while (saving.current) await saving.current;
      return saveState !== 'conflict' && saveState !== 'error';
    }
    return runSave();
  }, [runSave, saveState]);

  // Leaving the page with a change not yet saved: save it now rather than lose it.
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
      if (pending.current) void save();
    },
    [save],
  );

  return { definition, revision, errors, warnings, saveState, saveError, loadError, update, flush, reload, layoutInBrowser };
}
