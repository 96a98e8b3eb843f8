import { describe, expect, it } from 'vitest';
import { describePath, parseUnifiedDiff, sortChanges, wordChanges, type DiffRow } from './historyDiff';

/** A row as "<sign> text" with changed parts in [brackets]. */
function show(row: DiffRow): string {
  if (row.kind === 'gap') return '…';
  const sign = { del: '-', add: '+', same: ' ' }[row.kind];
  return `${sign} ${row.parts.map((p) => (p.changed ? `[${p.text}]` : p.text)).join('')}`;
}

describe('parseUnifiedDiff', () => {
  it('marks the words that changed in a replaced line, and keeps the rest', () => {
    // As runtime/knowledge/services.py writes it (difflib.unified_diff, n=2, lineterm="").
    const diff = ['--- v1', '+++ v2', '@@ -1,3 +1,3 @@', ' Restart the printer.', '-Then check the cable.',
      '+Then check the network cable.', ' Call the desk.'].join('\n');
    expect(parseUnifiedDiff(diff).map(show)).toEqual([
      '  Restart the printer.',
      '- Then check the cable.',
      '+ Then check the [network ]cable.',
      '  Call the desk.',
    ]);
  });

  it('compares Chinese character by character', () => {
    const rows = parseUnifiedDiff('--- v1\n+++ v2\n@@ -1 +1 @@\n-检查打印机的网线\n+检查打印机的电源线');
    expect(rows.map(show)).toEqual(['- 检查打印机的[网]线', '+ 检查打印机的[电源]线']);
  });

  it('shows unrelated lines whole, and lines only removed or only added', () => {
    const diff = ['--- v1', '+++ v2', '@@ -1,2 +1,3 @@', '-Old title', '-second old line', '+Something else entirely',
      '+another', '+third'].join('\n');
    expect(parseUnifiedDiff(diff).map(show)).toEqual([
      '- [Old title]',
      '- [second old line]',
      '+ [Something else entirely]',
      '+ [another]',
      '+ [third]',
    ]);
  });

  it('marks the lines left out between hunks and before a hunk that does not start at line 1', () => {
    const diff = ['--- v1', '+++ v2', '@@ -1,2 +1,2 @@', '-a', '+b', ' c', '@@ -9,2 +9,2 @@', ' x', '-y', '+z'].join('\n');
    expect(parseUnifiedDiff(diff).map(show)).toEqual(['- [a]', '+ [b]', '  c', '…', '  x', '- [y]', '+ [z]']);
    expect(parseUnifiedDiff('--- v1\n+++ v2\n@@ -4,2 +4,2 @@\n x\n-y\n+z').map(show)[0]).toBe('…');
  });

  it('keeps a removed line that starts with dashes (not a header) and empty lines', () => {
    const diff = ['--- v1', '+++ v2', '@@ -1,3 +1,2 @@', ' ---', '-', '--- list item'].join('\n');
    expect(parseUnifiedDiff(diff).map(show)).toEqual(['  ---', '- []', '- [-- list item]']);
  });
});

describe('wordChanges', () => {
  it('puts both lines back together exactly', () => {
    const before = 'Open  the menu, then   restart.';
    const after = 'Open the printer menu, then restart it.';
    const words = wordChanges(before, after)!;
    expect(words.del.map((p) => p.text).join('')).toBe(before);
    expect(words.add.map((p) => p.text).join('')).toBe(after);
  });
});

describe('describePath', () => {
  it('names the language of a title or body, and a property as it is', () => {
    expect(describePath('texts/zh-CN/body')).toEqual({ field: 'body', locale: 'zh-CN' });
    expect(describePath('texts/en/title')).toEqual({ field: 'title', locale: 'en' });
    expect(describePath('visibility')).toEqual({ field: 'visibility' });
  });
});

describe('sortChanges', () => {
  it('puts each language title then body first, and the properties after in the order given', () => {
    const paths = ['owner_id', 'tags', 'texts/en/body', 'texts/en/title', 'texts/zh-CN/body', 'texts/zh-CN/title'];
    expect(sortChanges(paths.map((path) => ({ path }))).map((c) => c.path)).toEqual([
      'texts/en/title', 'texts/en/body', 'texts/zh-CN/title', 'texts/zh-CN/body', 'owner_id', 'tags',
    ]);
  });
});
