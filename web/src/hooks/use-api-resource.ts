import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage, isAbortError } from '../api';

export type ResourceState<T> = { status: 'loading' } | { status: 'error'; message: string; error: unknown } | { status: 'ready'; data: T };

export type ApiResource<T> = {
  state: ResourceState<T>;
  /** Fetches again without going back to the loading state, so tables do not flash. */
  reload: () => Promise<void>;
};

/**
 * GET `/api/v1{path}` whenever `path` changes (null waits). Only the answer to the latest path
 * is kept, so quick filter changes never show stale rows.
 */
export function useApiResource<T>(path: string | null): ApiResource<T> {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const latest = useRef(0);
  const hasData = useRef(false);

  const fetchPath = useCallback(async (target: string, mode: 'initial' | 'refresh', signal?: AbortSignal) => {
    const request = ++latest.current;
    if (mode === 'initial') {
      hasData.current = false;
      setState({ status: 'loading' });
    }
    try {
      const data = await api<T>(target, signal ? { signal } : {});
      if (request !== latest.current) return;
      hasData.current = true;
      setState({ status: 'ready', data });
    } catch (error) {
      if (isAbortError(error) || request !== latest.current) return;
      if (mode === 'refresh' && hasData.current) {
        notifications.show({ color: 'red', title: 'Could not refresh', message: errorMessage(error) });
        return;
      }
      setState({ status: 'error', message: errorMessage(error), error });
    }
  }, []);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    void fetchPath(path, 'initial', controller.signal);
    return () => controller.abort();
  }, [path, fetchPath]);

  const reload = useCallback(async () => {
    if (path !== null) await fetchPath(path, hasData.current ? 'refresh' : 'initial');
  }, [path, fetchPath]);

  return { state, reload };
}
