// The article editor's form, without React: from an article (or a ticket's draft) to the form's values and back to
// the request body the API takes, the languages shown, the titles still missing, the API's validation details
// placed on the fields they name, and the category tree. Unit-tested in editorForm.test.ts.
import type { ErrorDetail } from '../api';
import { type Category, type CategoryNode, categoryTree } from './categories';
import type { Article, ArticleDraft, Locale } from './types';

/** The languages an article may be written in (the definitions' locales), in the order tabs show them. */
export const LOCALES: Locale[] = ['en', 'zh-CN'];
/** Each language in its own words: the same for every reader. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

export type Visibility = 'everyone' | 'staff' | 'teams';

export interface TextValues {
  title: string;
  body: string;
}

export interface EditorValues {
  /** The language it is written in (authored); its text cannot be removed. */
  locale: Locale;
  texts: Partial<Record<Locale, TextValues>>;
  tags: string[];
  category_id: number | null;
  visibility: Visibility;
  team_ids: number[];
  owner_id: number | null;
  /** ISO date (YYYY-MM-DD) or null. */
  review_by: string | null;
  ticket_types: string[];
}

/** What the form does not show but a save must send back (a save replaces the whole article). */
export interface Kept {
  source_ticket_id: number | null;
}

export interface EditorState {
  values: EditorValues;
  /** The languages shown as tabs, in LOCALES order. */
  present: Locale[];
  kept: Kept;
}

/** `locales` in tab order, each once. */
export function ordered(locales: Iterable<Locale>): Locale[] {
  const set = new Set(locales);
  return LOCALES.filter((locale) => set.has(locale));
}

export function emptyState(locale: Locale): EditorState {
  return {
    values: { locale, texts: { [locale]: { title: '', body: '' } }, tags: [], category_id: null, visibility: 'everyone',
      team_ids: [], owner_id: null, review_by: null, ticket_types: [] },
    present: [locale],
    kept: { source_ticket_id: null },
  };
}

export function stateFromArticle(article: Article): EditorState {
  const texts: Partial<Record<Locale, TextValues>> = {};
  for (const locale of LOCALES) {
    const text = article.texts?.[locale];
    if (text) texts[locale] = { title: text.title, body: text.body };
  }
  if (!texts[article.locale]) texts[article.locale] = { title: article.title, body: '' };
  return {
    values: {
      locale: article.locale,
      texts,
      tags: article.tags ?? [],
      category_id: article.category_id ?? null,
      visibility: article.visibility,
      team_ids: article.team_ids ?? [],
      owner_id: article.owner_id ?? null,
      review_by: article.review_by ?? null,
      ticket_types: article.ticket_types ?? [],
    },
    present: ordered(Object.keys(texts) as Locale[]),
    kept: { source_ticket_id: article.source_ticket_id ?? null },
  };
}

/** A resolved ticket's draft (not saved yet): its text in its language, its tags and type, its source. */
export function stateFromDraft(draft: ArticleDraft): EditorState {
  const state = emptyState(draft.locale);
  return {
    values: { ...state.values, texts: { [draft.locale]: { title: draft.title, body: draft.body } }, tags: draft.tags,
      ticket_types: draft.ticket_types },
    present: [draft.locale],
    kept: { source_ticket_id: draft.source_ticket_id },
  };
}

/** The body of POST/PUT /knowledge/articles: every shown language's text, and every property. */
export function requestBody(values: EditorValues, present: Locale[], kept: Kept) {
  const texts: Partial<Record<Locale, TextValues>> = {};
  for (const locale of ordered(present)) {
    const text = values.texts[locale];
    texts[locale] = { title: (text?.title ?? '').trim(), body: text?.body ?? '' };
  }
  const visibility = values.visibility ?? 'everyone';
  return {
    locale: values.locale,
    texts,
    tags: values.tags ?? [],
    category_id: values.category_id ?? null,
    visibility,
    team_ids: visibility === 'teams' ? values.team_ids ?? [] : [],
    owner_id: values.owner_id ?? null,
    review_by: values.review_by || null,
    ticket_types: values.ticket_types ?? [],
    source_ticket_id: kept.source_ticket_id,
  };
}

/** The shown languages whose title is empty (blank), in tab order. */
export function missingTitles(values: EditorValues, present: Locale[]): Locale[] {
  return ordered(present).filter((locale) => !(values.texts[locale]?.title ?? '').trim());
}

/** The language "Add translation" adds, or null when every language is there. */
export function missingLocale(present: Locale[]): Locale | null {
  return LOCALES.find((locale) => !present.includes(locale)) ?? null;
}

/**
 * The authored language changed from `from` to `to`. With one language only, its text moves to the new language
 * (it was written in `to` all along: the old editor's meaning); with a translation too, the tabs stay and `to`
 * is shown (added, empty, if it was not there).
 */
export function changeLocale(state: Pick<EditorState, 'present'> & { texts: EditorValues['texts'] }, from: Locale,
  to: Locale): { present: Locale[]; texts: EditorValues['texts'] } {
  if (from === to || state.present.includes(to)) return { present: state.present, texts: state.texts };
  if (state.present.length === 1 && state.present[0] === from) {
    const { [from]: text, ...rest } = state.texts;
    return { present: [to], texts: { ...rest, [to]: text ?? { title: '', body: '' } } };
  }
  return { present: ordered([...state.present, to]), texts: { ...state.texts, [to]: { title: '', body: '' } } };
}

export interface PlacedErrors {
  /** Per language: the messages for its title and body. */
  texts: Partial<Record<Locale, { title?: string[]; body?: string[] }>>;
  /** Per top-level form field (category_id, team_ids, …). */
  fields: Record<string, string[]>;
  /** What no field of the form shows (said above the form). */
  other: string[];
}

const FIELDS = new Set(['locale', 'tags', 'category_id', 'visibility', 'team_ids', 'owner_id', 'review_by',
  'ticket_types']);

/** The API's validation details (JSON pointers) placed on the editor's fields: /texts/zh-CN/title is that
 * language's title, /team_ids/0 the teams, /texts/zh-CN (no text in the authored language) its title. */
export function placeErrors(details: ErrorDetail[]): PlacedErrors {
  const placed: PlacedErrors = { texts: {}, fields: {}, other: [] };
  for (const detail of details) {
    const parts = (detail.path ?? '').split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (parts[0] === 'texts' && (LOCALES as string[]).includes(parts[1] ?? '')) {
      const locale = parts[1] as Locale;
      const field = parts[2] === 'body' ? 'body' : 'title';
      const entry = (placed.texts[locale] ??= {});
      entry[field] = [...(entry[field] ?? []), detail.message];
    } else if (parts[0] && FIELDS.has(parts[0])) {
      placed.fields[parts[0]] = [...(placed.fields[parts[0]] ?? []), detail.message];
    } else {
      placed.other.push(detail.message);
    }
  }
  return placed;
}

/** A TreeSelect option: the category's id as the form holds it (a number), its name in the reader's language. */
export interface CategoryOption {
  value: number;
  title: string;
  children: CategoryOption[];
}

/** The category tree (categories.ts, as the knowledge home draws it) as the editor's TreeSelect options. */
export function categoryOptions(categories: Category[], language: string): CategoryOption[] {
  const toOption = (node: CategoryNode): CategoryOption => ({
    value: node.category.id, title: node.title, children: node.children.map(toOption) });
  return categoryTree(categories, language).map(toOption);
}
