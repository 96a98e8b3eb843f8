// Redaction of a ticket's draft article: the server marks spans of personal data (e-mail addresses, phone numbers,
// names, personal fields) over the draft's text; the editor highlights them and "Redact" puts each span's
// placeholder in its place. People may edit the text before redacting, so a span is applied where its text still
// stands, else wherever that text still occurs; a span whose text is gone is left (nothing to redact).

export type RedactionKind = 'email' | 'phone' | 'name' | 'personal';

export interface Redaction {
  start: number;
  end: number;
  kind: RedactionKind;
  text: string;
  placeholder: string;
}

export interface Segment {
  text: string;
  /** The span this piece of text is (undefined: plain text). */
  redaction?: Redaction;
}

/** The server counts characters as code points; JavaScript strings count UTF-16 units. */
function toUnits(text: string, codePoint: number): number {
  let units = 0;
  let points = 0;
  for (const char of text) {
    if (points >= codePoint) break;
    units += char.length;
    points += 1;
  }
  return units;
}

/** The spans as ranges of ``text`` (UTF-16 units), where their text stands now, in order and not overlapping. */
export function locate(text: string, spans: Redaction[]): Redaction[] {
  const found: Redaction[] = [];
  for (const span of spans) {
    if (!span.text) continue;
    const start = toUnits(text, span.start);
    if (text.slice(start, start + span.text.length) === span.text) {
      found.push({ ...span, start, end: start + span.text.length });
      continue;
    }
    // the text moved (edited before redacting): every place it still occurs
    let at = text.indexOf(span.text);
    while (at !== -1) {
      found.push({ ...span, start: at, end: at + span.text.length });
      at = text.indexOf(span.text, at + span.text.length);
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Redaction[] = [];
  let end = -1;
  for (const span of found) {
    if (span.start < end) continue;
    out.push(span);
    end = span.end;
  }
  return out;
}

/** ``text`` cut into plain pieces and spans to redact, for highlighting. */
export function segments(text: string, spans: Redaction[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const span of locate(text, spans)) {
    if (span.start > at) out.push({ text: text.slice(at, span.start) });
    out.push({ text: text.slice(span.start, span.end), redaction: span });
    at = span.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** ``text`` with every span replaced by its placeholder. */
export function applyRedactions(text: string, spans: Redaction[]): string {
  return segments(text, spans)
    .map((piece) => (piece.redaction ? piece.redaction.placeholder : piece.text))
    .join('');
}

/** How many spans still stand in ``text``. */
export function pending(text: string, spans: Redaction[]): number {
  return locate(text, spans).length;
}

/** What "Insert into reply" puts in the reply box: the article's title, its link, and a short summary. */
export function replyText(title: string, url: string, summary: string): string {
  const short = summary.replace(/\s+/g, ' ').trim();
  return [title, url, short].filter(Boolean).join('\n');
}
