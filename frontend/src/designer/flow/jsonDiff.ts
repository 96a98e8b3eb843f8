// The JSON diff behind the sentences: both documents printed with sorted keys (so key order is no
// change), compared line by line (jsdiff), unchanged stretches folded to a few lines of context.
import { diffLines } from 'diff';

export interface DiffLine {
  kind: 'add' | 'del' | 'same' | 'fold';
  text: string;
  /** For a fold: how many unchanged lines it hides. */
  hidden?: number;
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function printJson(document: unknown): string {
  return `${JSON.stringify(sorted(document ?? null), null, 2)}\n`;
}

export function jsonDiff(oldDoc: unknown, newDoc: unknown, context = 3): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(printJson(oldDoc), printJson(newDoc))) {
    const kind = part.added ? 'add' : part.removed ? 'del' : 'same';
    for (const text of part.value.replace(/\n$/, '').split('\n')) lines.push({ kind, text });
  }
  // Fold unchanged lines farther than `context` from a change.
  const near = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j += 1) near[j] = true;
  });
  const out: DiffLine[] = [];
  let hidden = 0;
  lines.forEach((line, i) => {
    if (line.kind === 'same' && !near[i]) {
      hidden += 1;
      return;
    }
    if (hidden) out.push({ kind: 'fold', text: '', hidden });
    hidden = 0;
    out.push(line);
  });
  if (hidden) out.push({ kind: 'fold', text: '', hidden });
  return out;
}
