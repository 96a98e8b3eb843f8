import { App, Button, Card, Popconfirm, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api';
import { describeApiError } from '../utils/errors';
import './i18n';
import './knowledge.css';
import { replyText } from './redact';
import type { Suggestion } from './Suggestions';
import type { SimilarTicket } from './types';

interface TicketArticle {
  article_id: number;
  title: string;
  kind: 'shown' | 'linked' | 'source';
  status?: 'draft' | 'published';
}

/** The text of a server snippet (escaped text with <mark> only). */
function plain(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
}

/** A ticket's articles: those shown to the requester while typing it, those linked by staff and those written from
 * it; for staff who work it, similar resolved tickets (why, and the articles they lead to) and related articles
 * (those of similar tickets first, each with why), with one click to link or to insert into the reply. */
export default function TicketArticles({ ticketId, staff, onInsert }: {
  ticketId: number;
  staff: boolean;
  onInsert?: (text: string) => void;
}) {
  const { t } = useTranslation();
  const [links, setLinks] = useState<TicketArticle[]>([]);
  const [related, setRelated] = useState<Suggestion[]>([]);
  const [similar, setSimilar] = useState<SimilarTicket[]>([]);
  const [linking, setLinking] = useState<number | null>(null);
  const [unlinking, setUnlinking] = useState<number | null>(null);
  const { message } = App.useApp();

  const load = useCallback(() => {
    api.get<{ items: TicketArticle[] }>(`/tickets/${ticketId}/knowledge`).then((found) => setLinks(found.items), () => undefined);
    if (staff) {
      api
        .get<{ items: Suggestion[] }>(`/tickets/${ticketId}/knowledge/related`)
        .then((found) => setRelated(found.items), () => undefined);
      api
        .get<{ items: SimilarTicket[] }>(`/tickets/${ticketId}/similar`)
        .then((found) => setSimilar(found.items), () => undefined);
    }
  }, [ticketId, staff]);

  useEffect(load, [load]);

  const link = async (articleId: number) => {
    setLinking(articleId);
    try {
      await api.post(`/tickets/${ticketId}/knowledge`, { article_ids: [articleId], kind: 'linked' });
      load();
    } finally {
      setLinking(null);
    }
  };

  const unlink = async (articleId: number) => {
    setUnlinking(articleId);
    try {
      await api.delete(`/tickets/${ticketId}/knowledge/${articleId}`);
      void message.success(t('knowledge.unlinked'));
      load();
    } catch (err) {
      void message.error(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected'));
    } finally {
      setUnlinking(null);
    }
  };

  const insert = (item: Suggestion) =>
    onInsert?.(replyText(item.title, `${window.location.origin}/knowledge/${item.id}`, plain(item.snippet_html)));

  const linked = new Set(links.filter((item) => item.kind === 'linked').map((item) => item.article_id));
  const reasons = (item: Suggestion) =>
    item.why.similar_ticket
      ? [t('knowledge.fromSimilar', { number: item.why.similar_ticket.number }), ...item.why.tags].join(' · ')
      : t('knowledge.why', { terms: [...item.why.matched_terms, ...item.why.tags].slice(0, 5).join(', ') });
  const similarWhy = (item: SimilarTicket) =>
    [
      t('knowledge.similarWhy'),
      item.why.category ? t('knowledge.similarCategory', { category: item.why.category_label ?? item.why.category }) : null,
      item.why.tags.length ? t('knowledge.similarTags', { tags: item.why.tags.join(', ') }) : null,
      item.why.matched_terms.length ? t('knowledge.similarTerms', { terms: item.why.matched_terms.slice(0, 5).join(', ') }) : null,
    ]
      .filter(Boolean)
      .join(' · ');

  if (!links.length && !related.length && !similar.length) return null;
  return (
    <Card size="small" title={<h2 className="gd-card-title">{t('knowledge.ticketArticles')}</h2>} data-testid="ticket-articles">
      <ul className="gd-kb-list">
        {links.map((item) => (
          <li key={`${item.kind}-${item.article_id}`} className="gd-kb-item">
            <Link to={`/knowledge/${item.article_id}`}>{item.title}</Link>{' '}
            <Tag>{item.kind === 'linked' ? t('knowledge.kindLinked') : item.kind === 'source' ? t('knowledge.kindSource') : t('knowledge.kindShown')}</Tag>
            {item.status === 'draft' && <Tag color="orange">{t('knowledge.draft')}</Tag>}
            {staff && item.kind === 'linked' && (
              <Popconfirm title={t('knowledge.unlinkConfirm', { title: item.title })} okText={t('knowledge.unlink')}
                okButtonProps={{ danger: true }} cancelText={t('common.cancel')} onConfirm={() => unlink(item.article_id)}>
                <Button size="small" type="link" danger loading={unlinking === item.article_id}
                  aria-label={t('knowledge.unlinkFor', { title: item.title })}>
                  {t('knowledge.unlink')}
                </Button>
              </Popconfirm>
            )}
          </li>
        ))}
      </ul>
      {related.length > 0 && (
        <>
          <h3 className="gd-kb-suggestions-title">{t('knowledge.related')}</h3>
          <ul className="gd-kb-list" data-testid="related-articles">
            {related.map((item) => (
              <li key={item.id} className="gd-kb-item">
                <Link to={`/knowledge/${item.id}`}>{item.title}</Link>
                <span className="gd-kb-why">{reasons(item)}</span>
                <span className="gd-kb-actions">
                  {onInsert && (
                    <Button size="small" onClick={() => insert(item)}>
                      {t('knowledge.insert')}
                    </Button>
                  )}
                  {!linked.has(item.id) && (
                    <Button size="small" onClick={() => void link(item.id)} loading={linking === item.id}>
                      {t('knowledge.link')}
                    </Button>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {similar.length > 0 && (
        <>
          <h3 className="gd-kb-suggestions-title">{t('knowledge.similarTitle')}</h3>
          <ul className="gd-kb-list" data-testid="similar-tickets">
            {similar.map((item) => (
              <li key={item.id} className="gd-kb-item">
                <Link to={`/tickets/${item.id}`}>
                  {item.number} {item.title}
                </Link>
                <span className="gd-kb-why">{similarWhy(item)}</span>
                {item.articles.map((article) => (
                  <div key={article.id} className="gd-kb-similar-article">
                    <Link to={`/knowledge/${article.id}`}>{article.title}</Link>{' '}
                    {article.tags.map((tag) => (
                      <Tag key={tag}>{tag}</Tag>
                    ))}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
