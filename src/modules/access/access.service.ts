import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { createToken, hashToken } from '../../lib/tokens.js';
import type { Db } from '../../db/database.js';
import type { SessionUser } from '../../auth/sessions.repository.js';
import type { Actor } from './actor.js';
import type { accessRepository } from './access.repository.js';

/** Operator API tokens carry this prefix so a leaked one is easy to recognise in logs and scanners. */
const API_TOKEN_PREFIX = 'allot_';

export function accessService(deps: { db: Db; repo: typeof accessRepository; clock: Clock }) {
  return {
    async actorForUser(user: SessionUser, ip: string | null): Promise<Actor> {
      const roles = await deps.repo.loadRoles(deps.db, user.id);
      return { userId: user.id, label: user.email, ip, ...roles };
    },

    /** The actor behind `Authorization: Bearer allot_…`, or undefined for an unknown or revoked token. */
    async actorForApiToken(token: string, ip: string | null): Promise<Actor | undefined> {
      if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
      const found = await deps.repo.findActiveApiToken(deps.db, hashToken(token));
      if (!found) return undefined;
      await deps.repo.touchApiToken(deps.db, found.id, deps.clock.now());
      return { userId: null, label: `API token ${found.name}`, isOperator: found.scope === 'operator', ip, orgRoles: new Map(), teamRoles: new Map() };
    },

    /** Creates an operator token; the caller shows it once. Only its hash is kept. */
    async createOperatorToken(name: string): Promise<{ id: string; token: string }> {
      const token = `${API_TOKEN_PREFIX}${createToken()}`;
      const id = randomUUID();
      await deps.repo.insertApiToken(deps.db, { id, name, tokenHash: hashToken(token), scope: 'operator' });
      return { id, token };
    },
  };
}

export type AccessService = ReturnType<typeof accessService>;
