import type { Db } from '../../db/database.js';
import type { ActiveSession, SessionUser } from '../../auth/sessions.repository.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor } from './actor.js';
import type { accessRepository } from './access.repository.js';
import { policyCovers, twoFactorPolicyBinds, type TwoFactorRequirement } from './two-factor-policy.js';

/** Who a signed-in person is allowed to be: their roles, read per request. (API tokens: modules/api-tokens.) */
export function accessService(deps: { db: Db; repo: typeof accessRepository; clock: Clock }) {
  /** Organizations whose 2FA policy covers this person while they have no second factor. */
  async function twoFactorRequirements(user: Pick<SessionUser, 'id' | 'twoFactorEnabled'>): Promise<TwoFactorRequirement[]> {
    if (user.twoFactorEnabled) return [];
    const now = deps.clock.now();
    const policies = await deps.repo.twoFactorPolicies(deps.db, user.id);
    return policies
      .filter((policy) => policyCovers(policy.policy, policy))
      .map(({ organizationId, organizationName, graceUntil }) => ({
        organizationId,
        organizationName,
        graceUntil,
        blocked: twoFactorPolicyBinds(graceUntil, now),
      }));
  }

  return {
    async actorForUser({ user, isOperator }: Pick<ActiveSession, 'user' | 'isOperator'>, ip: string | null): Promise<Actor> {
      const { twoFactorGraceUntil, ...roles } = await deps.repo.loadRoles(deps.db, user.id);
      const now = deps.clock.now();
      const blocked = user.twoFactorEnabled ? [] : [...twoFactorGraceUntil].filter(([, graceUntil]) => twoFactorPolicyBinds(graceUntil, now)).map(([id]) => id);
      return { userId: user.id, label: user.email, ip, isOperator, ...roles, ...(blocked.length ? { twoFactorMissingIn: new Set(blocked) } : {}) };
    },

    twoFactorRequirements,
  };
}

export type AccessService = ReturnType<typeof accessService>;
