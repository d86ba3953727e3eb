import type { Db } from '../../db/database.js';
import type { SessionUser } from '../../auth/sessions.repository.js';
import type { Actor } from './actor.js';
import type { accessRepository } from './access.repository.js';

/** Who a signed-in person is allowed to be: their roles, read per request. (API tokens: modules/api-tokens.) */
export function accessService(deps: { db: Db; repo: typeof accessRepository }) {
  return {
    async actorForUser(user: SessionUser, ip: string | null): Promise<Actor> {
      const roles = await deps.repo.loadRoles(deps.db, user.id);
      return { userId: user.id, label: user.email, ip, ...roles };
    },
  };
}

export type AccessService = ReturnType<typeof accessService>;
