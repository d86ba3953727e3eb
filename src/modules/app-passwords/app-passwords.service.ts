import { randomBytes } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { hashToken } from '../../lib/tokens.js';
import { selfActor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { AppPassword, appPasswordsRepository } from './app-passwords.repository.js';

/** Recognisable in logs and by secret scanners; the rest is 160 random bits in groups a person can copy. */
const PREFIX = 'allot-app';

function newAppPassword(): string {
  // 32 characters of a 32-letter alphabet (160 bits; 256 is a multiple of 32, so no bias), in groups of eight.
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(32);
  const characters = Array.from(bytes, (byte) => alphabet[byte % 32]).join('');
  return `${PREFIX}-${characters.match(/.{8}/g)!.join('-')}`;
}

type User = { id: string; email: string };

/**
 * App passwords let a product sign in for a person whose account has two-factor on (a product
 * cannot ask for a TOTP code each time it refreshes). Each one is shown once and stored as a hash;
 * the person can revoke it alone, without changing their password.
 */
export function appPasswordsService(deps: { db: Db; repo: typeof appPasswordsRepository; audit: typeof auditRepository; clock: Clock }) {
  return {
    async list(user: User): Promise<AppPassword[]> {
      return deps.repo.listForUser(deps.db, user.id);
    },

    async create(user: User, input: { name: string }, ip: string | null): Promise<AppPassword & { password: string }> {
      const password = newAppPassword();
      const now = deps.clock.now();
      const created = await deps.db.transaction().execute(async (trx) => {
        const appPassword = await deps.repo.insert(trx, { userId: user.id, name: input.name.trim(), secretHash: hashToken(password), hint: password.slice(-4), now });
        await deps.audit.record(trx, selfActor(user, ip), { action: 'app_password.created', targetType: 'app_password', targetId: appPassword.id, organizationId: null, details: { name: appPassword.name } }, now);
        return appPassword;
      });
      return { ...created, password };
    },

    async remove(user: User, id: string, ip: string | null): Promise<void> {
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        const removed = await deps.repo.deleteForUser(trx, { userId: user.id, id });
        if (!removed) throw new AppError('NOT_FOUND');
        await deps.audit.record(trx, selfActor(user, ip), { action: 'app_password.revoked', targetType: 'app_password', targetId: id, organizationId: null, details: { name: removed.name } }, now);
      });
    },

    /** The user id behind `email` + app password, or undefined. Records the use. */
    async authenticate(executor: Executor, { email, password }: { email: string; password: string }): Promise<string | undefined> {
      const owner = await deps.repo.findOwner(executor, { secretHash: hashToken(password.trim()), email });
      if (!owner) return undefined;
      await deps.repo.markUsed(executor, owner.id, deps.clock.now());
      return owner.userId;
    },
  };
}

export type AppPasswordsService = ReturnType<typeof appPasswordsService>;
