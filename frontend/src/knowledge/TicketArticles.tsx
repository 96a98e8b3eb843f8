import { Button, Card, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api';
import './i18n';
import './knowledge.css';
import type { Suggestion } from './Suggestions';

interface TicketArticle {
  article_id: number;
  title: string;
  kind: 'shown' | 'linked';
}

/** A ticket's articles: those shown to the requester while typing it and those linked by staff; for staff who
 * work it, related articles (why they were suggested) with one click to link. */
export default function TicketArticles({ ticketId, staff }: { ticketId: number; staff: boolean }) {
  const { t } = useTranslation();
  const [links, setLinks] = useState<TicketArticle[]>([]);
  const [related, setRelated] = useState<Suggestion[]>([]);
  const [linking, setLinking] = useState<number | null>(null);

  const load = useCallback(() => {
    api.get<{ items: TicketArticle[] }>(`/tickets/${ticketId}/knowledge`).then((found) => setLinks(found.items), () => undefined);
    if (staff) {
      api
        .get<{ items: Suggestion[] }>(`/tickets/${ticketId}/knowledge/related`)
        .then((found) => setRelated(found.items), () => undefined);
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

  const linked = new Set(links.filter((item) => item.kind === 'linked').map((item) => item.article_id));
  if (!links.length && !related.length) return null;
  return (
    <Card size="small" title={<h2 className="gd-card-title">{t('knowledge.ticketArticles')}</h2>} data-testid="ticket-articles">
      <ul className="gd-kb-list">
        {links.map((item) => (
          <li key={`${item.kind}-${item.article_id}`} className="gd-kb-item">
            <Link to={`/knowledge/${item.article_id}`}>{item.title}</Link>{' '}
            <Tag>{item.kind === 'linked' ? t('knowledge.kindLinked') : t('knowledge.kindShown')}</Tag>
          </li>
        ))}
      </ul>
      {related.filter((item) => !linked.has(item.id)).length > 0 && (
        <>
          <h3 className="gd-kb-suggestions-title">{t('knowledge.related')}</h3>
          <ul className="gd-kb-list">
            {related
              .filter((item) => !linked.has(item.id))
              .map((item) => (
                <li key={item.id} className="gd-kb-item">
                  <Link to={`/knowledge/${item.id}`}>{item.title}</Link>
                  <span className="gd-kb-why">
                    {t('knowledge.why', { terms: [...item.why.matched_terms, ...item.why.tags].slice(0, 5).join(', ') })}
                  </span>
                  <Button size="small" onClick={() => void link(item.id)} loading={linking === item.id}>
                    {t('knowledge.link')}
                  </Button>
                </li>
              ))}
          </ul>
        </>
      )}
    </Card>
  );
}
