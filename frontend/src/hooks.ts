import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Query } from './api';
import type { Page } from './types';
import { useErrorHandler } from './utils/errors';

/**
 * A cursor-paginated list (GET path?...&limit=&cursor=): first page on load
 * and whenever `query` changes, then "load more" while next_cursor is set.
 */
export function useCursorList<T>(path: string, query: Query, limit = 50) {
  const handleError = useErrorHandler();
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const queryKey = JSON.stringify(query);
  const controller = useRef<AbortController | null>(null);

  const reload = useCallback(async () => {
    controller.current?.abort();
    const ctrl = new AbortController();
    controller.current = ctrl;
    setLoading(true);
    try {
      const page = await api.get<Page<T>>(path, { ...(JSON.parse(queryKey) as Query), limit }, { signal: ctrl.signal });
      setItems(page.items);
      setNextCursor(page.next_cursor);
    } catch (error) {
      handleError(error);
    } finally {
      if (controller.current === ctrl) setLoading(false);
    }
  }, [path, queryKey, limit, handleError]);

  useEffect(() => {
    void reload();
    return () => controller.current?.abort();
  }, [reload]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await api.get<Page<T>>(path, { ...(JSON.parse(queryKey) as Query), limit, cursor: nextCursor });
      setItems((prev) => [...prev, ...page.items]);
      setNextCursor(page.next_cursor);
    } catch (error) {
      handleError(error);
    } finally {
      setLoadingMore(false);
    }
  }, [path, queryKey, limit, nextCursor, handleError]);

  return { items, setItems, nextCursor, loading, loadingMore, reload, loadMore };
}
