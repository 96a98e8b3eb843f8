// Undo and redo over every edit. Consecutive edits with the same `group` (typing in one property of
// one field) within a short time become one step, so Ctrl+Z undoes a word, not a letter.

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The group and time of the last step, for merging typing into one step. */
  last: { group: string; at: number } | null;
}

export const HISTORY_LIMIT = 200;
export const MERGE_MS = 1000;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], last: null };
}

/** Record a new present. `group` merges it with the previous step when that had the same group and was recent. */
export function record<T>(history: History<T>, next: T, group?: string, now = Date.now()): History<T> {
  if (next === history.present) return history;
  const merge = group !== undefined && history.last?.group === group && now - history.last.at < MERGE_MS && history.future.length === 0;
  const past = merge ? history.past : [...history.past, history.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], last: group !== undefined ? { group, at: now } : null };
}

export function canUndo<T>(history: History<T>): boolean {
  return history.past.length > 0;
}

export function canRedo<T>(history: History<T>): boolean {
  return history.future.length > 0;
}

export function undo<T>(history: History<T>): History<T> {
  if (!history.past.length) return history;
  const past = history.past.slice(0, -1);
  return { past, present: history.past[history.past.length - 1]!, future: [history.present, ...history.future], last: null };
}

export function redo<T>(history: History<T>): History<T> {
  if (!history.future.length) return history;
  const [next, ...future] = history.future;
  return { past: [...history.past, history.present], present: next!, future, last: null };
}

/** Replace the present without an undo step (the server's answer to a save, a reload). */
export function reset<T>(history: History<T>, present: T, keepSteps = true): History<T> {
  return keepSteps ? { ...history, present, last: null } : createHistory(present);
}
