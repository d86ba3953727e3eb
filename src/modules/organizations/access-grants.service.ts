import type { Db, Executor } from '../../db/database.js';
import type { OrganizationRole } from '../../db/tables.js';
import type { organizationsRepository } from './organizations.repository.js';

type Repo = Pick<typeof organizationsRepository, 'addRole' | 'addOperator' | 'findVerifiedUserIdByEmail' | 'addPendingGrant' | 'takePendingGrants'>;

/**
 * Roles given to an email address. A role only ever lands on an account whose owner has proven
 * the address, so naming someone's email never hands their role to whoever signs up first.
 */
export function accessGrantsService(deps: { db: Db; repo: Repo }) {
  return {
    /** Applies at once for a verified account with this address; otherwise waits for verification. */
    async grantByEmail(
      executor: Executor,
      grant: { email: string; organizationId: string | null; role: OrganizationRole | null; operator: boolean },
    ): Promise<{ appliedNow: boolean }> {
      const email = grant.email.toLowerCase();
      const userId = await deps.repo.findVerifiedUserIdByEmail(executor, email);
      if (!userId) {
        await deps.repo.addPendingGrant(executor, { ...grant, email });
        return { appliedNow: false };
      }
      if (grant.organizationId && grant.role) await deps.repo.addRole(executor, { organizationId: grant.organizationId, userId, role: grant.role });
      if (grant.operator) await deps.repo.addOperator(executor, userId);
      return { appliedNow: true };
    },

    /** Called once Better Auth has marked an address verified (sign-up or email change). */
    async applyPendingGrants(user: { id: string; email: string }): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        const grants = await deps.repo.takePendingGrants(trx, user.email.toLowerCase());
        for (const grant of grants) {
          if (grant.organizationId && grant.role) await deps.repo.addRole(trx, { organizationId: grant.organizationId, userId: user.id, role: grant.role });
          if (grant.operator) await deps.repo.addOperator(trx, user.id);
        }
      });
    },
  };
}

export type AccessGrantsService = ReturnType<typeof accessGrantsService>;
