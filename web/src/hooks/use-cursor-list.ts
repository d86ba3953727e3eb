import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage, isAbortError } from '../api';
import type { Page } from '@allot/contract';
import { pathWithQuery } from '../lib/redirect';

export type CursorListState<T> =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: T[]; nextCursor: string | null; loadingMore: boolean };

export type CursorList<T> = {
  state: CursorListState<T>;
  /** Appends the next page (keyset pagination: the server's `nextCursor` goes back as `cursor`). */
  loadMore: () => Promise<void>;
  /** Fetches the first page again, keeping the current rows on screen until it arrives. */
  reload: () => Promise<void>;
};

function withCursor(firstPage: string, cursor: string): string {
  return `${firstPage}${firstPage.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
}

/**
 * A keyset-paginated list at `/api/v1{path}?{query}`; a new path or query starts over.
 * `path` null waits (e.g. until the organization is known).
 */
export function useCursorList<T>(path: string | null, query: Record<string, string | undefined> = {}): CursorList<T> {
  const firstPage = path === null ? null : pathWithQuery(path, query);
  const [state, setState] = useState<CursorListState<T>>({ status: 'loading' });
  // Bumped by every first-page request, so answers to an older filter are dropped.
  const generation = useRef(0);

  const fetchFirst = useCallback(async (target: string, refresh: boolean, signal?: AbortSignal) => {
    const request = ++generation.current;
    if (!refresh) setState({ status: 'loading' });
    try {
      const page = await api<Page<T>>(target, signal ? { signal } : {});
      if (request !== generation.current) return;
      setState({ status: 'ready', items: page.items, nextCursor: page.nextCursor, loadingMore: false });
    } catch (error) {
      if (isAbortError(error) || request !== generation.current) return;
      if (refresh) notifications.show({ color: 'red', title: 'Could not refresh', message: errorMessage(error) });
      else setState({ status: 'error', message: errorMessage(error) });
    }
  }, []);

  useEffect(() => {
    if (firstPage === null) return;
    const controller = new AbortController();
    void fetchFirst(firstPage, false, controller.signal);
    return () => controller.abort();
  }, [firstPage, fetchFirst]);

  const loadMore = useCallback(async () => {
    if (firstPage === null || state.status !== 'ready' || !state.nextCursor || state.loadingMore) return;
    const request = generation.current;
    setState({ ...state, loadingMore: true });
    try {
      const page = await api<Page<T>>(withCursor(firstPage, state.nextCursor));
      if (request !== generation.current) return;
      setState((previous) =>
        previous.status === 'ready'
          ? { status: 'ready', items: [...previous.items, ...page.items], nextCursor: page.nextCursor, loadingMore: false }
          : previous,
      );
    } catch (error) {
      if (request !== generation.current) return;
      setState((previous) => (previous.status === 'ready' ? { ...previous, loadingMore: false } : previous));
      notifications.show({ color: 'red', title: 'Could not load more', message: errorMessage(error) });
    }
  }, [firstPage, state]);

  const ready = state.status === 'ready';
  const reload = useCallback(async () => {
    if (firstPage !== null) await fetchFirst(firstPage, ready);
  }, [firstPage, fetchFirst, ready]);

  return { state, loadMore, reload };
}
