import { describe, expect, it } from 'vitest';
import {
  categoryOptions,
  changeLocale,
  emptyState,
  missingLocale,
  missingTitles,
  placeErrors,
  requestBody,
  stateFromArticle,
  stateFromDraft,
} from './editorForm';
import type { Article, ArticleDraft } from './types';

const ARTICLE: Article = {
  id: 7, status: 'draft', visibility: 'teams', locale: 'en', shown_locale: 'en', title: 'Printer offline',
  tags: ['printer'], translations: ['en', 'zh-CN'], updated_at: '2026-12-04T10:00:00Z', revision: 3, team_ids: [2],
  ticket_types: ['it-incident'], category_id: 5, owner_id: 9, review_by: '2027-03-01', source_ticket_id: 12,
  texts: { 'zh-CN': { title: '打印机脱机', body: '重启。', body_html: '' }, en: { title: 'Printer offline', body: 'Restart.', body_html: '' } },
};

describe('the editor form', () => {
  it('holds everything an article says and sends it all back', () => {
    const state = stateFromArticle(ARTICLE);
    expect(state.present).toEqual(['en', 'zh-CN']);
    const body = requestBody(state.values, state.present, state.kept);
    expect(body).toEqual({
      locale: 'en',
      texts: { en: { title: 'Printer offline', body: 'Restart.' }, 'zh-CN': { title: '打印机脱机', body: '重启。' } },
      tags: ['printer'], category_id: 5, visibility: 'teams', team_ids: [2], owner_id: 9, review_by: '2027-03-01',
      ticket_types: ['it-incident'], source_ticket_id: 12,
    });
  });

  it('sends only the languages shown, titles trimmed, and teams only for team visibility', () => {
    const state = stateFromArticle(ARTICLE);
    const values = { ...state.values, visibility: 'staff' as const, review_by: '',
      texts: { ...state.values.texts, en: { title: '  Printer  ', body: 'x' } } };
    const body = requestBody(values, ['en'], state.kept);
    expect(body.texts).toEqual({ en: { title: 'Printer', body: 'x' } });
    expect(body.team_ids).toEqual([]);
    expect(body.review_by).toBeNull();
  });

  it('starts a ticket draft with its text, tags, type and source', () => {
    const draft = { locale: 'zh-CN', title: 'Outlook 崩溃', body: '## 现象', tags: ['邮件'], ticket_types: ['it-incident'],
      source_ticket_id: 4 } as ArticleDraft;
    const state = stateFromDraft(draft);
    expect(state.present).toEqual(['zh-CN']);
    expect(requestBody(state.values, state.present, state.kept)).toMatchObject({
      locale: 'zh-CN', texts: { 'zh-CN': { title: 'Outlook 崩溃', body: '## 现象' } }, tags: ['邮件'],
      ticket_types: ['it-incident'], source_ticket_id: 4, visibility: 'everyone', owner_id: null,
    });
  });

  it('finds the blank titles and the language to add', () => {
    const state = emptyState('en');
    const values = { ...state.values, texts: { en: { title: ' ', body: '' }, 'zh-CN': { title: '标题', body: '' } } };
    expect(missingTitles(values, ['en', 'zh-CN'])).toEqual(['en']);
    expect(missingTitles({ ...values, texts: {} }, ['zh-CN', 'en'])).toEqual(['en', 'zh-CN']);
    expect(missingLocale(['en'])).toBe('zh-CN');
    expect(missingLocale(['zh-CN'])).toBe('en');
    expect(missingLocale(['en', 'zh-CN'])).toBeNull();
  });

  it('moves a lone text to the newly chosen language, and adds it beside a translation', () => {
    const texts = { en: { title: 'T', body: 'B' } };
    expect(changeLocale({ present: ['en'], texts }, 'en', 'zh-CN')).toEqual({
      present: ['zh-CN'], texts: { 'zh-CN': { title: 'T', body: 'B' } } });
    const both = { en: { title: 'T', body: 'B' }, 'zh-CN': { title: '标题', body: '' } };
    expect(changeLocale({ present: ['en', 'zh-CN'], texts: both }, 'en', 'zh-CN')).toEqual({
      present: ['en', 'zh-CN'], texts: both });
    expect(changeLocale({ present: ['en'], texts }, 'en', 'en').present).toEqual(['en']);
  });

  it('places the API details on the fields they name', () => {
    const placed = placeErrors([
      { path: '/texts/zh-CN/title', message: '请填写该语言的标题。' },
      { path: '/texts/en', message: 'Write the title and body in the article language (en).' },
      { path: '/texts/en/body', message: 'Too long.' },
      { path: '/team_ids/0', message: 'Team 9 does not exist.' },
      { path: '/category_id', message: 'Category 3 does not exist.' },
      { path: '/surprise', message: 'Unknown field.' },
      { message: 'No path.' },
    ]);
    expect(placed.texts).toEqual({ 'zh-CN': { title: ['请填写该语言的标题。'] },
      en: { title: ['Write the title and body in the article language (en).'], body: ['Too long.'] } });
    expect(placed.fields).toEqual({ team_ids: ['Team 9 does not exist.'], category_id: ['Category 3 does not exist.'] });
    expect(placed.other).toEqual(['Unknown field.', 'No path.']);
  });

  it('gives the category tree as TreeSelect options with numeric values, in the reader language, by position then name', () => {
    const categories = [
      { id: 1, name: 'Hardware', parent_id: null, position: 1, i18n: { 'zh-CN': { name: '硬件' } } },
      { id: 2, name: 'Printers', parent_id: 1, position: 0, i18n: { 'zh-CN': { name: '打印机' } } },
      { id: 3, name: 'Accounts', parent_id: null, position: 1, i18n: {} },
      { id: 4, name: 'Network', parent_id: null, position: 0, i18n: {} },
    ];
    const en = categoryOptions(categories, 'en');
    expect(en.map((node) => node.title)).toEqual(['Network', 'Accounts', 'Hardware']);
    expect(en[2].children).toEqual([{ value: 2, title: 'Printers', children: [] }]);
    const zh = categoryOptions(categories, 'zh-CN');
    expect(zh.find((node) => node.value === 1)).toMatchObject({ title: '硬件', children: [{ title: '打印机' }] });
    expect(zh.find((node) => node.value === 3)?.title).toBe('Accounts');
  });
});
