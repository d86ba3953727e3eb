import { notifications } from '@mantine/notifications';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
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

/** Links in emails name the organization they are about: `/licenses?organization=<id>&…`. */
const ORGANIZATION_PARAM = 'organization';

/**
 * Loads GET /api/v1/organizations for the signed-in shell and tracks the current one. An address
 * with `?organization=<id>` makes that organization current when the person can open it (the
 * page shows it from the first render), then the parameter is dropped from the address.
 */
export function OrganizationsProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<OrganizationsState>({ status: 'loading' });
  const [rememberedId, setRememberedId] = useState(readCurrentOrganizationId);
  const location = useLocation();
  const navigate = useNavigate();
  const addressedId = new URLSearchParams(location.search).get(ORGANIZATION_PARAM);

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

  useEffect(() => {
    if (!addressedId || state.status !== 'ready') return;
    if (state.organizations.some((organization) => organization.id === addressedId)) select(addressedId);
    else {
      notifications.show({
        color: 'orange',
        title: 'That organization is not open to you',
        message: 'The link was for an organization this account has no role in. Showing your own instead.',
      });
    }
    const params = new URLSearchParams(window.location.search);
    params.delete(ORGANIZATION_PARAM);
    const search = params.toString();
    void navigate({ pathname: window.location.pathname, search: search ? `?${search}` : '', hash: window.location.hash }, { replace: true });
  }, [addressedId, state, select, navigate]);

  const value = useMemo<OrganizationsContextValue>(() => {
    const organizations = state.status === 'ready' ? state.organizations : [];
    const addressed = organizations.some((organization) => organization.id === addressedId) ? addressedId : null;
    return {
      state,
      organizations,
      current: pickCurrentOrganization(organizations, addressed ?? rememberedId),
      select,
      reload,
    };
  }, [state, addressedId, rememberedId, select, reload]);

  return <OrganizationsContext.Provider value={value}>{children}</OrganizationsContext.Provider>;
}

export function useOrganizations(): OrganizationsContextValue {
  const context = useContext(OrganizationsContext);
  if (!context) throw new Error('useOrganizations must be used inside <OrganizationsProvider>');
  return context;
}
