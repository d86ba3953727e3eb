import { createContext, useContext } from 'react';
import type { MeOrganization } from '../api-types';

/** The organization picked in the top bar; organization pages read it from here. */
export const CurrentOrganizationContext = createContext<MeOrganization | null>(null);

export function useCurrentOrganization(): MeOrganization | null {
  return useContext(CurrentOrganizationContext);
}
