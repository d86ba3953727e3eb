import type { Db } from '../../db/database.js';
import type { SessionUser } from '../../auth/sessions.repository.js';
import type { OrganizationMembership, organizationsRepository } from '../organizations/organizations.repository.js';

export type Profile = { user: SessionUser; isOperator: boolean; organizations: OrganizationMembership[] };

export function accountsService(deps: { db: Db; organizations: Pick<typeof organizationsRepository, 'isOperator' | 'listMemberships'> }) {
  return {
    async getProfile(user: SessionUser): Promise<Profile> {
      const [isOperator, organizations] = await Promise.all([
        deps.organizations.isOperator(deps.db, user.id),
        deps.organizations.listMemberships(deps.db, user.id),
      ]);
      return { user, isOperator, organizations };
    },
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
