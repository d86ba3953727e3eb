import type { Db } from '../../db/database.js';
import type { SessionUser } from '../../auth/sessions.repository.js';
import type { OrganizationMembership, organizationsRepository } from '../organizations/organizations.repository.js';

export type MyLicense = { id: string; productCode: string; productName: string; organizationName: string; teamName: string; validUntil: string };

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

    /**
     * The account page's "My licenses". This version has no licenses yet: orders and license
     * assignment arrive with the licenses module, which replaces this with its query.
     */
    async listMyLicenses(_user: SessionUser): Promise<MyLicense[]> {
      return [];
    },
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
