import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, isAbortError } from '../api';
import type { OrganizationSummary, OrganizationsResponse } from '@allot/contract';
import { pickCurrentOrganization, readCurrentOrganizationId, storeCurrentOrganizationId } from '../hooks/use-me';

export type OrganizationsState = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; organizations: OrganizationSummary[] };

export type OrganizationsContextValue = {
  state: OrganizationsState;
  /** Every organization the person can open (operators: all of them). Empty until loaded. */
  organizations: OrganizationSummary[];
  /** The organization picked in the top bar; organization pages read it from here. */
  current: OrganizationSummary | null;
  /** Makes another organization current and remembers the choice on this device. */
  select: (organizationId: string) => void;
  /** Fetches the list again (after creating or renaming an organization). */
  reload: () => Promise<void>;
};

const OrganizationsContext = createContext<OrganizationsContextValue | null>(null);

/** Loads GET /api/v1/organizations for the signed-in shell and tracks the current one. */
export function OrganizationsProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<OrganizationsState>({ status: 'loading' });
  const [rememberedId, setRememberedId] = useState(readCurrentOrganizationId);

  const fetchOrganizations = useCallback(async (signal?: AbortSignal) => {
    try {
      const response = await api<OrganizationsResponse>('/organizations', signal ? { signal } : {});
      setState({ status: 'ready', organizations: response.items });
    } catch (error) {
      if (isAbortError(error) || signal?.aborted) return;
      setState((previous) => (previous.status === 'ready' ? previous : { status: 'error', error }));
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void fetchOrganizations(controller.signal);
    return () => controller.abort();
  }, [fetchOrganizations]);

  const reload = useCallback(() => fetchOrganizations(), [fetchOrganizations]);

  const select = useCallback((organizationId: string) => {
    storeCurrentOrganizationId(organizationId);
    setRememberedId(organizationId);
  }, []);

  const value = useMemo<OrganizationsContextValue>(() => {
    const organizations = state.status === 'ready' ? state.organizations : [];
    return {
      state,
      organizations,
      current: pickCurrentOrganization(organizations, rememberedId),
      select,
      reload,
    };
  }, [state, rememberedId, select, reload]);

  return <OrganizationsContext.Provider value={value}>{children}</OrganizationsContext.Provider>;
}

export function useOrganizations(): OrganizationsContextValue {
  const context = useContext(OrganizationsContext);
  if (!context) throw new Error('useOrganizations must be used inside <OrganizationsProvider>');
  return context;
}
