import { describe, expect, it } from 'vitest';
import { applyRedactions, locate, pending, type Redaction, replyText, segments } from './redact';

const span = (start: number, text: string, kind: Redaction['kind'], placeholder: string): Redaction => ({
  start, end: start + [...text].length, kind, text, placeholder,
});

describe('redaction spans', () => {
  const text = 'Call Rita on 13812345678 or mail rita@example.com.';
  const spans = [
    span(5, 'Rita', 'name', '[name]'),
    span(13, '13812345678', 'phone', '[phone]'),
    span(33, 'rita@example.com', 'email', '[email]'),
  ];

  it('replaces each span with its placeholder', () => {
    expect(applyRedactions(text, spans)).toBe('Call [name] on [phone] or mail [email].');
    expect(pending(applyRedactions(text, spans), spans)).toBe(0);
  });

  it('cuts the text into plain pieces and marked spans', () => {
    const pieces = segments(text, spans);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.filter((p) => p.redaction).map((p) => p.redaction!.kind)).toEqual(['name', 'phone', 'email']);
  });

  it('finds a span again when the text was edited before redacting', () => {
    const edited = `Hello. ${text} Rita again.`;
    expect(applyRedactions(edited, spans)).toBe('Hello. Call [name] on [phone] or mail [email]. [name] again.');
  });

  it('leaves a span whose text is gone, and never applies overlapping spans twice', () => {
    expect(applyRedactions('nothing here', spans)).toBe('nothing here');
    const overlapping = [span(0, 'Rita Chen', 'name', '[name]'), span(5, 'Chen', 'name', '[name]')];
    expect(locate('Rita Chen', overlapping)).toHaveLength(1);
    expect(applyRedactions('Rita Chen', overlapping)).toBe('[name]');
  });

  it('counts code points as the server does (an emoji before a span)', () => {
    const withEmoji = '😀 王小明 13912345678';
    const zh = [span(2, '王小明', 'name', '[姓名]'), span(6, '13912345678', 'phone', '[电话]')];
    expect(applyRedactions(withEmoji, zh)).toBe('😀 [姓名] [电话]');
  });
});

describe('reply text', () => {
  it('is the title, the link and a one-line summary', () => {
    expect(replyText('Voltage dips', 'http://x/knowledge/3', ' Add a  stabiliser.\n')).toBe(
      'Voltage dips\nhttp://x/knowledge/3\nAdd a stabiliser.');
    expect(replyText('T', 'u', '')).toBe('T\nu');
  });
});
