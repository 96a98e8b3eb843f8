// Where an image's Markdown goes in an article body: at the caret (replacing a selection), or at the end, as a
// block of its own (a blank line before and after), so that it renders as its own paragraph.

export interface Inserted {
  text: string;
  /** The caret after the inserted Markdown. */
  caret: number;
}

function newlinesAtEnd(text: string): number {
  return text.endsWith('\n\n') ? 2 : text.endsWith('\n') ? 1 : 0;
}

function newlinesAtStart(text: string): number {
  return text.startsWith('\n\n') ? 2 : text.startsWith('\n') ? 1 : 0;
}

/** `text` with `snippet` inserted between `start` and `end` (a selection); null: at the end. */
export function insertBlock(text: string, snippet: string, start: number | null, end: number | null): Inserted {
  const from = start === null ? text.length : Math.max(0, Math.min(start, text.length));
  const to = end === null ? from : Math.max(from, Math.min(end, text.length));
  const before = text.slice(0, from);
  const after = text.slice(to);
  const lead = before === '' ? '' : '\n'.repeat(2 - newlinesAtEnd(before));
  const trail = after === '' ? '\n' : '\n'.repeat(2 - newlinesAtStart(after));
  const inserted = `${lead}${snippet}${trail}`;
  return { text: before + inserted + after, caret: before.length + inserted.length };
}
