import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, isApiError } from '../api';
import type { Me } from '@allot/contract';

export type MeState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; me: Me } | { status: 'error'; error: unknown };

type MeContextValue = {
  state: MeState;
  /** Fetches /api/v1/me again (after the profile or two-factor settings change). */
  reload: () => Promise<void>;
};

const MeContext = createContext<MeContextValue | null>(null);

/** Loads GET /api/v1/me when mounted; a 401 answer means "signed out", not an error. */
export function MeProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<MeState>({ status: 'loading' });

  const fetchMe = useCallback(async (signal?: AbortSignal) => {
    try {
      const me = await api<Me>('/me', signal ? { signal } : {});
      setState({ status: 'signed-in', me });
    } catch (error) {
      if (signal?.aborted) return;
      if (isApiError(error) && error.status === 401) setState({ status: 'signed-out' });
      else setState((previous) => (previous.status === 'signed-in' ? previous : { status: 'error', error }));
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void fetchMe(controller.signal);
    return () => controller.abort();
  }, [fetchMe]);

  const value = useMemo<MeContextValue>(() => ({ state, reload: () => fetchMe() }), [state, fetchMe]);
  return <MeContext.Provider value={value}>{children}</MeContext.Provider>;
}

export function useMeState(): MeContextValue {
  const context = useContext(MeContext);
  if (!context) throw new Error('useMeState must be used inside <MeProvider>');
  return context;
}

/** The signed-in person; only for pages behind a `session="required"` layout. */
export function useMe(): { me: Me; reload: () => Promise<void> } {
  const { state, reload } = useMeState();
  if (state.status !== 'signed-in') throw new Error('useMe needs a signed-in session');
  return { me: state.me, reload };
}

const CURRENT_ORGANIZATION_KEY = 'allot.currentOrganizationId';

export function readCurrentOrganizationId(): string | null {
  try {
    return window.localStorage.getItem(CURRENT_ORGANIZATION_KEY);
  } catch {
    return null;
  }
}

export function storeCurrentOrganizationId(id: string): void {
  try {
    window.localStorage.setItem(CURRENT_ORGANIZATION_KEY, id);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
}

/** The organization the shell shows: the remembered one when still a member, else the first. */
export function pickCurrentOrganization<T extends { id: string }>(organizations: T[], rememberedId: string | null): T | null {
  return organizations.find((organization) => organization.id === rememberedId) ?? organizations[0] ?? null;
}
