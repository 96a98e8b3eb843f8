import type { Redaction } from './redact';

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
  ticket_types?: string[];
  category_id?: number | null;
  owner_id?: number | null;
  /** The owner's name (staff). */
  owner?: { id: number; name: string; email: string } | null;
  review_by?: string | null;
  /** staff: the review-by date has come */
  review_due?: boolean;
  source_ticket_id?: number | null;
  source_ticket?: TicketRef;
  texts?: Partial<Record<Locale, ArticleText>>;
  feedback?: FeedbackSummary;
}

export interface FeedbackAnswer {
  helpful: boolean;
  comment: string;
  answered_at: string;
}

/** "Did this help?" on one article: the reader's own answer; for staff, everyone's counted (never who). */
export interface FeedbackSummary {
  mine: FeedbackAnswer | null;
  counts?: { helpful: number; not_helpful: number; recent_comments: FeedbackAnswer[] };
}

export interface SearchResult extends Article {
  title_html: string;
  snippet_html: string;
  matched_terms: string[];
}

export interface TicketRef {
  id: number;
  number: string;
  title: string;
}

/** POST /tickets/:id/article-draft: a resolved ticket as a draft, with the spans of personal data to redact. */
export interface ArticleDraft {
  locale: Locale;
  title: string;
  body: string;
  tags: string[];
  ticket_types: string[];
  source_ticket_id: number;
  source_ticket: TicketRef;
  comment_ids: number[];
  title_redactions: Redaction[];
  redactions: Redaction[];
}

export interface SimilarTicket extends TicketRef {
  status: string;
  status_category: string;
  resolved_at: string | null;
  score: number;
  why: { same_type: boolean; category: string | null; category_label?: string; tags: string[]; matched_terms: string[] };
  articles: { id: number; title: string; tags: string[] }[];
}
