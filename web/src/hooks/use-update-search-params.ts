import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Changes some query parameters and keeps the rest, replacing the history entry (filters).
 *
 * It starts from the address bar rather than from the last rendered parameters: router updates
 * render as transitions, and when a second change comes before the first has rendered (pick a
 * team, then at once a status) the rendered parameters are stale and it would undo the first.
 */
export function useUpdateSearchParams(): (change: (params: URLSearchParams) => void) => void {
  const [, setParams] = useSearchParams();
  return useCallback(
    (change: (params: URLSearchParams) => void) => {
      const next = new URLSearchParams(window.location.search);
      change(next);
      setParams(next, { replace: true });
    },
    [setParams],
  );
}
