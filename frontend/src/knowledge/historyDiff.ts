// The article diff API (GET /knowledge/articles/:id/diff) gives one unified diff per changed piece (a title, a
// body, a property). This turns one of them into rows to show: removed and added lines, with the words that
// changed inside a replaced line marked, and gaps where unchanged lines were left out.
import { diffWordsWithSpace } from 'diff';

/** A stretch of a line: `changed` parts are what was removed (on a removed line) or added (on an added one). */
export interface DiffPart {
  text: string;
  changed: boolean;
}

export type DiffRow =
  | { kind: 'del' | 'add' | 'same'; parts: DiffPart[] }
  /** Unchanged lines the diff leaves out. */
  | { kind: 'gap' };

/** Below this share of unchanged characters, two lines are unrelated: shown whole, not word by word. */
const RELATED = 0.4;

/** The words that differ between a removed line and the line that replaced it; null when they are unrelated. */
export function wordChanges(before: string, after: string): { del: DiffPart[]; add: DiffPart[] } | null {
  const del: DiffPart[] = [];
  const add: DiffPart[] = [];
  let same = 0;
  for (const change of diffWordsWithSpace(before, after)) {
    if (change.added) add.push({ text: change.value, changed: true });
    else if (change.removed) del.push({ text: change.value, changed: true });
    else {
      if (change.value.trim()) same += change.value.length;
      del.push({ text: change.value, changed: false });
      add.push({ text: change.value, changed: false });
    }
  }
  if (same < RELATED * Math.max(before.length, after.length)) return null;
  return { del, add };
}

function whole(kind: 'del' | 'add' | 'same', text: string): DiffRow {
  return { kind, parts: [{ text, changed: kind !== 'same' }] };
}

/** The rows of a unified diff (Python difflib's, as the API writes it: two header lines, then hunks). */
export function parseUnifiedDiff(diff: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let inHunk = false;
  let removed: string[] = [];
  let added: string[] = [];

  // A run of removed lines followed by added ones: the first removed line against the first added one, and so on.
  const flush = () => {
    const pairs = Math.min(removed.length, added.length);
    const delRows: DiffRow[] = [];
    const addRows: DiffRow[] = [];
    removed.forEach((line, i) => {
      const words = i < pairs ? wordChanges(line, added[i]) : null;
      delRows.push(words ? { kind: 'del', parts: words.del } : whole('del', line));
    });
    added.forEach((line, i) => {
      const words = i < pairs ? wordChanges(removed[i], line) : null;
      addRows.push(words ? { kind: 'add', parts: words.add } : whole('add', line));
    });
    rows.push(...delRows, ...addRows);
    removed = [];
    added = [];
  };

  for (const line of diff.split('\n')) {
    const hunk = /^@@ -(\d+)/.exec(line);
    if (hunk) {
      flush();
      // Lines left out before this hunk: after an earlier hunk, or at the start when it does not begin at line 1.
      if (rows.length > 0 || Number(hunk[1]) > 1) rows.push({ kind: 'gap' });
      inHunk = true;
      continue;
    }
    if (!inHunk) continue; // the "--- v1" / "+++ v2" header
    const sign = line[0];
    const text = line.slice(1);
    if (sign === '-') {
      if (added.length) flush();
      removed.push(text);
    } else if (sign === '+') {
      added.push(text);
    } else if (sign === ' ') {
      flush();
      rows.push(whole('same', text));
    }
  }
  flush();
  return rows;
}

/** What a diff path names: a language's title or body (texts/<locale>/<field>), or a property of the article. */
export function describePath(path: string): { field: string; locale?: string } {
  const text = /^texts\/([^/]+)\/(title|body)$/.exec(path);
  return text ? { field: text[2], locale: text[1] } : { field: path };
}

/** What people look for first: each language's title then body (the server sorts paths by name, which puts
 * a property such as owner_id before the texts and a body before its title), then the properties. */
export function sortChanges<T extends { path: string }>(changes: T[]): T[] {
  const rank = (path: string): [number, string, number] => {
    const { field, locale } = describePath(path);
    return locale ? [0, locale, field === 'title' ? 0 : 1] : [1, '', 0];
  };
  return [...changes].sort((a, b) => {
    const [ka, la, fa] = rank(a.path);
    const [kb, lb, fb] = rank(b.path);
    return ka - kb || la.localeCompare(lb) || fa - fb;
  });
}
