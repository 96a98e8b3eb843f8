export type Locale = 'en' | 'zh-CN';

export interface ArticleText {
  title: string;
  body: string;
  body_html: string;
}

export interface Article {
  id: number;
  status: 'draft' | 'published';
  visibility: 'everyone' | 'staff' | 'teams';
  locale: Locale;
  shown_locale: Locale;
  title: string;
  body_html?: string;
  tags: string[];
  translations: Locale[];
  updated_at: string;
  revision?: number;
  team_ids?: number[];
  texts?: Partial<Record<Locale, ArticleText>>;
}

export interface SearchResult extends Article {
  title_html: string;
  snippet_html: string;
  matched_terms: string[];
}
