import { describe, expect, it } from 'vitest';
import { baseKey, keyFromLabel, keyProblem, uniqueKey } from './keys';

describe('keys from labels', () => {
  it.each([
    ['Serial number', 'serial_number'],
    ['  Under warranty? ', 'under_warranty'],
    ['On-site address', 'on_site_address'],
    ['Café crème', 'cafe_creme'],
    ['序列号', 'xu_lie_hao'],
    ['售后维修', 'shou_hou_wei_xiu'],
    ['上门地址 (Address)', 'shang_men_di_zhi_address'],
    ['女装尺码', 'nv_zhuang_chi_ma'],
    ['2号机', 'field_2_hao_ji'],
    ['１２３', 'field_123'],
    ['!!!', 'field'],
    ['', 'field'],
    ['Ä'.repeat(3), 'aaa'],
  ])('%j -> %s', (label, key) => {
    expect(baseKey(label)).toBe(key);
  });

  it('is stable and a valid field name, even for long labels', () => {
    const label = 'The very long label of a field that somebody wrote as a whole sentence to explain it';
    const key = baseKey(label);
    expect(key).toBe(baseKey(label));
    expect(key.length).toBeLessThanOrEqual(64);
    expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(key.endsWith('_')).toBe(false);
    expect(baseKey('设备'.repeat(40)).length).toBeLessThanOrEqual(64);
  });

  it('is unique and never reserved', () => {
    expect(uniqueKey('title', ['title', 'title_2'])).toBe('title_3');
    expect(keyFromLabel('Ticket', [])).toBe('ticket_2');
    expect(keyFromLabel('i18n', [])).toBe('i18n_2');
    expect(keyFromLabel('Comment', ['comment_2'])).toBe('comment_3');
    expect(uniqueKey('a'.repeat(64), ['a'.repeat(64)])).toBe(`${'a'.repeat(62)}_2`);
  });

  it('explains why a typed key cannot be used', () => {
    expect(keyProblem('', [])).toBe('empty');
    expect(keyProblem('2x', [])).toBe('pattern');
    expect(keyProblem('a-b', [])).toBe('pattern');
    expect(keyProblem('ticket', [])).toBe('reserved');
    expect(keyProblem('title', ['title'])).toBe('taken');
    expect(keyProblem('Serial_No2', ['title'])).toBeNull();
  });
});
