import { Button } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api';
import './i18n';
import './knowledge.css';

export interface Suggestion {
  id: number;
  title: string;
  snippet_html: string;
  why: { matched_terms: string[]; tags: string[]; ticket_type: boolean; similar_ticket?: { id: number; number: string; title: string } };
}

const DEBOUNCE_MS = 400;
const MAX_TEXT = 2000;

/** Up to five articles for what the requester is typing (debounced), each with why, and "This solved it". */
export default function KnowledgeSuggestions({
  typeKey,
  text,
  onShown,
  onSolved,
}: {
  typeKey: string;
  text: string;
  onShown: (articleIds: number[]) => void;
  onSolved: (article: Suggestion) => void;
}) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Suggestion[]>([]);
  const [solving, setSolving] = useState<number | null>(null);
  const shown = useRef(onShown);
  shown.current = onShown;

  useEffect(() => {
    const typed = text.trim().slice(0, MAX_TEXT);
    if (typed.length < 2) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api
        .get<{ items: Suggestion[] }>('/knowledge/suggest', { type: typeKey, text: typed }, { signal: controller.signal })
        .then((found) => {
          setItems(found.items);
          shown.current(found.items.map((item) => item.id));
        })
        .catch(() => undefined); // suggestions are a help, never in the way
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [typeKey, text]);

  const solved = async (item: Suggestion) => {
    setSolving(item.id);
    try {
      await api.post('/knowledge/deflections', { article_id: item.id, type: typeKey, text: text.slice(0, MAX_TEXT) });
      onSolved(item);
    } finally {
      setSolving(null);
    }
  };

  if (!items.length) return null;
  return (
    <aside className="gd-panel gd-kb-suggestions" aria-label={t('knowledge.suggestionsTitle')} data-testid="kb-suggestions">
      <h2 className="gd-kb-suggestions-title">{t('knowledge.suggestionsTitle')}</h2>
      <ul className="gd-kb-list">
        {items.map((item) => (
          <li key={item.id} className="gd-kb-item">
            <Link to={`/knowledge/${item.id}`} target="_blank" rel="noopener">
              {item.title}
            </Link>
            {/* escaped text with <mark> only, made on the server (runtime/knowledge/terms.py) */}
            <p className="gd-kb-snippet" dangerouslySetInnerHTML={{ __html: item.snippet_html }} />
            <span className="gd-kb-why">
              {t('knowledge.why', { terms: [...item.why.matched_terms, ...item.why.tags].slice(0, 5).join(', ') })}
            </span>
            <div>
              <Button size="small" onClick={() => void solved(item)} loading={solving === item.id}>
                {t('knowledge.solved')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </aside>
  );
}
