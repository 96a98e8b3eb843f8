// Which undo step an edit of the whole definition joins. The flow editors hand the designer a new
// definition on every change (a keystroke in a name, a drag, a new transition); typing into one box
// should undo as a word, not a letter, like the form builder's properties. An edit whose only
// difference is one text or number somewhere (the same leaf as the edit before, within a moment) is
// grouped by that leaf's JSON pointer; anything else is a step of its own.

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escape(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The JSON pointer of the one text or number leaf in which `next` differs from `prev`, or undefined
 * when they differ otherwise (several places, a structure, a boolean, a key added or removed).
 * Unchanged parts are found by identity (editors copy only the path they change), so this is cheap.
 */
export function changedLeaf(prev: unknown, next: unknown, path = ''): string | undefined {
  if (prev === next) return undefined;
  const leaf = (v: unknown) => typeof v === 'string' || typeof v === 'number';
  if (leaf(prev) && leaf(next)) return path || undefined;
  if (Array.isArray(prev) && Array.isArray(next)) {
    if (prev.length !== next.length) return undefined;
    let found: number | undefined;
    for (let i = 0; i < prev.length; i += 1) {
      if (prev[i] === next[i]) continue;
      if (found !== undefined) return undefined;
      found = i;
    }
    return found === undefined ? undefined : changedLeaf(prev[found], next[found], `${path}/${found}`);
  }
  if (isPlainObject(prev) && isPlainObject(next)) {
    const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
    let found: string | undefined;
    for (const key of keys) {
      if (prev[key] === next[key]) continue;
      if (!(key in prev) || !(key in next) || found !== undefined) return undefined;
      found = key;
    }
    return found === undefined ? undefined : changedLeaf(prev[found], next[found], `${path}/${escape(found)}`);
  }
  return undefined;
}

/**
 * The top-level part (`/form`, `/workflow`, `/routing` …) an undo or redo changed, for showing it:
 * the first part that differs by identity, the form first; null when nothing or only the header did.
 */
export function changedPart(before: Record<string, unknown>, after: Record<string, unknown>): string | null {
  if (before === after) return null;
  if (before.form !== after.form) return '/form';
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] !== after[key] && (isPlainObject(before[key]) || Array.isArray(before[key]) || isPlainObject(after[key]) || Array.isArray(after[key]))) {
      return `/${escape(key)}`;
    }
  }
  return null;
}
