import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { createToken, hashToken } from '../../lib/tokens.js';
import type { Db } from '../../db/database.js';
import type { SessionUser } from '../../auth/sessions.repository.js';
import type { Actor } from './actor.js';
import { AppError } from '../../errors.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { ApiToken, accessRepository } from './access.repository.js';

/** Operator API tokens carry this prefix so a leaked one is easy to recognise in logs and scanners. */
const API_TOKEN_PREFIX = 'allot_';

export function accessService(deps: { db: Db; repo: typeof accessRepository; audit: Pick<typeof auditRepository, 'record'>; clock: Clock }) {
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
    async createOperatorToken(actor: Actor, name: string): Promise<{ id: string; token: string }> {
      const token = `${API_TOKEN_PREFIX}${createToken()}`;
      const id = randomUUID();
      await deps.db.transaction().execute(async (trx) => {
        await deps.repo.insertApiToken(trx, { id, name, tokenHash: hashToken(token), scope: 'operator' });
        await deps.audit.record(
          trx,
          actor,
          { action: 'api_token.created', targetType: 'api_token', targetId: id, organizationId: null, details: { name, scope: 'operator' } },
          deps.clock.now(),
        );
      });
      return { id, token };
    },

    /** Operator tokens, newest last, revoked ones included (marked). */
    listOperatorTokens: () => deps.repo.listApiTokens(deps.db),

    /** Revokes a token at once: the next request with it is refused. */
    async revokeOperatorToken(actor: Actor, id: string): Promise<ApiToken> {
      return deps.db.transaction().execute(async (trx) => {
        const revoked = await deps.repo.revokeApiToken(trx, id, deps.clock.now());
        if (!revoked) throw new AppError('NOT_FOUND', { message: 'No live API token has this id.' });
        await deps.audit.record(
          trx,
          actor,
          { action: 'api_token.revoked', targetType: 'api_token', targetId: id, organizationId: null, details: { name: revoked.name } },
          deps.clock.now(),
        );
        return revoked;
      });
    },
  };
}

export type AccessService = ReturnType<typeof accessService>;
