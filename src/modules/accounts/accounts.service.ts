import { createHmac } from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { ActiveSession, SessionUser } from '../../auth/sessions.repository.js';
import { verifyPassword } from '../../auth/password-hashing.js';
import type { credentialsRepository } from '../../auth/credentials.repository.js';
import type { RateLimiter } from '../../auth/rate-limiter.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { selfActor } from '../access/actor.js';
import type { AccessService } from '../access/access.service.js';
import type { AdminsRepository } from '../admins/admins.repository.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { LicensesRepository } from '../licenses/licenses.repository.js';
import type { OrganizationMembership, organizationsRepository } from '../organizations/organizations.repository.js';
import type { AccountsRepository } from './accounts.repository.js';

export type Profile = { user: SessionUser; isOperator: boolean; organizations: OrganizationMembership[] };

const CONFIRM_PASSWORD_LIMIT = { limit: 5, windowMs: 15 * 60_000 };

export function accountsService(deps: {
  db: Db;
  repo: AccountsRepository;
  organizations: Pick<typeof organizationsRepository, 'listMemberships'>;
  admins: Pick<AdminsRepository, 'countOrgAdminsLocked'>;
  licenses: Pick<LicensesRepository, 'release'>;
  credentials: Pick<typeof credentialsRepository, 'findPasswordAccount'>;
  access: Pick<AccessService, 'twoFactorRequirements'>;
  audit: Pick<typeof auditRepository, 'recordMany'>;
  rateLimiter: RateLimiter;
  clock: Clock;
  secret: string;
}) {
  /**
   * How the audit log names a deleted person: keyed on the instance secret, so the same person's
   * entries stay linked to each other but nobody can test a guessed address against it.
   */
  const pseudonymOf = (userId: string) => createHmac('sha256', deps.secret).update(`deleted-user:${userId}`).digest('hex').slice(0, 12);

  return {
    async getProfile({ user, isOperator }: Pick<ActiveSession, 'user' | 'isOperator'>): Promise<Profile> {
      return { user, isOperator, organizations: await deps.organizations.listMemberships(deps.db, user.id) };
    },

    twoFactorRequirements: (user: SessionUser) => deps.access.twoFactorRequirements(user),

    /** The person's own data, as a download (GDPR art. 15 and 20). */
    async exportData(user: SessionUser) {
      return { exportedAt: deps.clock.now(), ...(await deps.repo.exportOf(deps.db, user.id)) };
    },

    /**
     * Deletes the account after asking the password again: licenses go back to their pools (as a
     * revoke would free them), machines stop, sessions, app passwords and second factors go, and
     * the audit log keeps what happened under a pseudonym. The last administrator of an
     * organization must hand it over first.
     */
    async deleteAccount(user: SessionUser, password: string, ip: string | null): Promise<void> {
      const verdict = await deps.rateLimiter.hit(`delete-account:${user.id}`, CONFIRM_PASSWORD_LIMIT);
      if (!verdict.allowed) throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds: verdict.retryAfterSeconds } });
      const account = await deps.credentials.findPasswordAccount(deps.db, { userId: user.id });
      if (!account?.passwordHash || !(await verifyPassword({ hash: account.passwordHash, password }))) throw new AppError('PASSWORD_MISMATCH');

      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const email = user.email.toLowerCase();
        const memberships = await deps.organizations.listMemberships(trx, user.id);
        for (const membership of memberships) {
          if (membership.role === 'org_admin' && (await deps.admins.countOrgAdminsLocked(trx, membership.id)) <= 1) {
            throw new AppError('LAST_ORG_ADMIN', {
              message: `You are the only administrator of ${membership.name}. Make someone else an administrator before you delete your account.`,
              details: { organizationId: membership.id },
            });
          }
        }
        const held = await deps.repo.heldLicenses(trx, { userId: user.id, email });
        const released = new Set(
          await deps.licenses.release(
            trx,
            held.map((license) => license.id),
            { now, reason: 'account_deleted' },
          ),
        );
        const machines = await deps.repo.deactivateMachines(trx, { userId: user.id, now });
        const pseudonym = pseudonymOf(user.id);
        // Written under the person's name, then renamed with everything else they did.
        const organizations = new Map<string, { teamId: string | null; products: string[] }>();
        for (const membership of memberships) organizations.set(membership.id, { teamId: null, products: [] });
        for (const license of held.filter((license) => released.has(license.id))) {
          const entry = organizations.get(license.organizationId) ?? { teamId: license.teamId, products: [] };
          entry.products.push(license.productName);
          organizations.set(license.organizationId, entry);
        }
        await deps.audit.recordMany(
          trx,
          selfActor(user, ip),
          [...organizations].map(([organizationId, entry]) => ({
            action: 'account.deleted' as const,
            targetType: 'user',
            targetId: pseudonym,
            organizationId,
            teamId: entry.teamId,
            details: { licensesReleased: entry.products.length, products: entry.products, machinesDeactivated: machines },
          })),
          now,
        );
        await deps.repo.pseudonymize(trx, {
          userId: user.id,
          email,
          label: `Deleted user ${pseudonym}`,
          pseudonymEmail: `deleted-${pseudonym}@deleted.invalid`,
        });
        await deps.repo.deleteUser(trx, user.id);
      });
    },
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
