import { useCallback, useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useUpdateSearchParams } from '../../hooks/use-update-search-params';

/** Assigned and unassigned count licenses that have not expired; expired ones have their own filter. */
export type LicenseStatusFilter = 'all' | 'assigned' | 'unassigned' | 'expired';

export const STATUS_OPTIONS: Array<{ value: LicenseStatusFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'assigned', label: 'Assigned' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'expired', label: 'Expired' },
];

export type LicenseFilters = {
  productId: string | null;
  teamId: string | null;
  status: LicenseStatusFilter;
  assignee: string;
  orderReference: string;
  /** Days without activity, as a string ("30"), or null for any. */
  inactiveDays: string | null;
};

/** Short names in the address bar, so a filtered view is easy to share. */
const PARAM: Record<keyof LicenseFilters, string> = {
  productId: 'product',
  teamId: 'team',
  status: 'status',
  assignee: 'assignee',
  orderReference: 'order',
  inactiveDays: 'inactive',
};

/** Emails link to `/licenses?organization=…&productId=…`: the API's name for the product filter. */
const PRODUCT_ID_ALIAS = 'productId';

export const INACTIVITY_OPTIONS = [
  { value: '30', label: 'Not seen for 30 days' },
  { value: '90', label: 'Not seen for 90 days' },
  { value: '180', label: 'Not seen for 180 days' },
];

function readStatus(value: string | null): LicenseStatusFilter {
  return STATUS_OPTIONS.find((option) => option.value === value)?.value ?? 'all';
}

export function readLicenseFilters(params: URLSearchParams): LicenseFilters {
  return {
    productId: params.get(PARAM.productId) || null,
    teamId: params.get(PARAM.teamId) || null,
    status: readStatus(params.get(PARAM.status)),
    assignee: params.get(PARAM.assignee) ?? '',
    orderReference: params.get(PARAM.orderReference) ?? '',
    inactiveDays: params.get(PARAM.inactiveDays) || null,
  };
}

/** The API's query for these filters (`teamId` forced on a team's page). */
export function licenseQuery(filters: LicenseFilters, fixedTeamId?: string): Record<string, string | undefined> {
  return {
    productId: filters.productId ?? undefined,
    teamId: fixedTeamId ?? filters.teamId ?? undefined,
    status: filters.status === 'all' ? undefined : filters.status,
    assignee: filters.assignee.trim() || undefined,
    orderReference: filters.orderReference.trim() || undefined,
    inactiveDays: filters.inactiveDays ?? undefined,
  };
}

export function hasActiveFilters(filters: LicenseFilters, ignoreTeam = false): boolean {
  return (
    filters.productId !== null ||
    (!ignoreTeam && filters.teamId !== null) ||
    filters.status !== 'all' ||
    filters.assignee.trim() !== '' ||
    filters.orderReference.trim() !== '' ||
    filters.inactiveDays !== null
  );
}

/** The filters kept in the query string (other parameters, like the team page's tab, are left alone). */
export function useLicenseFilters(): [LicenseFilters, (patch: Partial<LicenseFilters>) => void, () => void] {
  const [params] = useSearchParams();
  const updateParams = useUpdateSearchParams();
  const filters = useMemo(() => readLicenseFilters(params), [params]);

  // An email's `productId=` becomes the list's own `product=`, so the filter shows and clears as usual.
  const aliasedProductId = params.get(PRODUCT_ID_ALIAS);
  useEffect(() => {
    if (aliasedProductId === null) return;
    updateParams((next) => {
      next.delete(PRODUCT_ID_ALIAS);
      if (aliasedProductId && !next.get(PARAM.productId)) next.set(PARAM.productId, aliasedProductId);
    });
  }, [aliasedProductId, updateParams]);

  const update = useCallback(
    (patch: Partial<LicenseFilters>) => {
      updateParams((next) => {
        for (const [key, value] of Object.entries(patch) as Array<[keyof LicenseFilters, LicenseFilters[keyof LicenseFilters]]>) {
          const name = PARAM[key];
          if (value === null || value === '' || value === 'all') next.delete(name);
          else next.set(name, value);
        }
      });
    },
    [updateParams],
  );

  const clear = useCallback(() => {
    updateParams((next) => {
      for (const name of Object.values(PARAM)) next.delete(name);
    });
  }, [updateParams]);

  return [filters, update, clear];
}
