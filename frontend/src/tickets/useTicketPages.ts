import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Query } from '../api';
import type { Page, Ticket } from '../types';

/**
 * One page of GET /tickets at a time, with next / previous over keyset cursors: each page is an
 * indexed range scan on the server, so paging stays fast however many tickets there are.
 */
export function useTicketPages(query: Query, limit = 25) {
  const [items, setItems] = useState<Ticket[]>([]);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [pageIndex, setPageIndex] = useState(0);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const queryKey = JSON.stringify(query);
  const controller = useRef<AbortController | null>(null);

  const load = useCallback(
    async (cursor: string | null) => {
      controller.current?.abort();
      const ctrl = new AbortController();
      controller.current = ctrl;
      setLoading(true);
      try {
        const page = await api.get<Page<Ticket>>('/tickets', { ...(JSON.parse(queryKey) as Query), limit, cursor }, { signal: ctrl.signal });
        setItems(page.items);
        setNextCursor(page.next_cursor);
        setError(null);
      } catch (err) {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setItems([]);
        setNextCursor(null);
        setError(err instanceof ApiError ? err : new ApiError(0, 'unexpected', String(err)));
      } finally {
        if (controller.current === ctrl) setLoading(false);
      }
    },
    [queryKey, limit],
  );

  useEffect(() => {
    setCursors([null]);
    setPageIndex(0);
    void load(null);
    return () => controller.current?.abort();
  }, [load]);

  const next = useCallback(() => {
    if (!nextCursor) return;
    setCursors((prev) => [...prev.slice(0, pageIndex + 1), nextCursor]);
    setPageIndex((i) => i + 1);
    void load(nextCursor);
  }, [nextCursor, pageIndex, load]);

  const previous = useCallback(() => {
    if (pageIndex === 0) return;
    const cursor = cursors[pageIndex - 1] ?? null;
    setPageIndex((i) => i - 1);
    void load(cursor);
  }, [cursors, pageIndex, load]);

  const reload = useCallback(() => void load(cursors[pageIndex] ?? null), [cursors, pageIndex, load]);

  return { items, loading, error, pageIndex, hasNext: !!nextCursor, next, previous, reload };
}
