import { randomBytes } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { hashToken } from '../../lib/tokens.js';
import { selfActor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { credentialsRepository } from '../../auth/credentials.repository.js';
import type { RateLimiter, RateLimitRule } from '../../auth/rate-limiter.js';
import { verifyPassword } from '../../auth/password-hashing.js';
import type { Mailer } from '../../mail/mailer.js';
import { mailTemplates } from '../../mail/templates.js';
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
/** Guesses at the current password from a signed-in session: as many as sign-in allows. */
const CONFIRM_PASSWORD_LIMIT: RateLimitRule = { limit: 5, windowMs: 60_000 };

export function appPasswordsService(deps: {
  db: Db;
  repo: typeof appPasswordsRepository;
  credentials: typeof credentialsRepository;
  audit: typeof auditRepository;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  clock: Clock;
  baseUrl: string;
}) {
  return {
    async list(user: User): Promise<AppPassword[]> {
      return deps.repo.listForUser(deps.db, user.id);
    },

    /**
     * Asks for the account password again: a stolen session alone must not turn into a lasting
     * credential that also gets past two-factor. The owner hears of every new one by email.
     */
    async create(user: User, input: { name: string; currentPassword: string }, ip: string | null): Promise<AppPassword & { password: string }> {
      const verdict = await deps.rateLimiter.hit(`app-password-confirm:${user.id}`, CONFIRM_PASSWORD_LIMIT);
      if (!verdict.allowed) throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds: verdict.retryAfterSeconds } });
      const account = await deps.credentials.findPasswordAccount(deps.db, { userId: user.id });
      if (!account?.passwordHash || !(await verifyPassword({ hash: account.passwordHash, password: input.currentPassword }))) {
        throw new AppError('INVALID_CREDENTIALS', { message: 'The current password is wrong.' });
      }
      const password = newAppPassword();
      const now = deps.clock.now();
      const created = await deps.db.transaction().execute(async (trx) => {
        const appPassword = await deps.repo.insert(trx, {
          userId: user.id,
          name: input.name.trim(),
          secretHash: hashToken(password),
          hint: password.slice(-4),
          now,
        });
        await deps.audit.record(
          trx,
          selfActor(user, ip),
          { action: 'app_password.created', targetType: 'app_password', targetId: appPassword.id, organizationId: null, details: { name: appPassword.name } },
          now,
        );
        await deps.mailer.enqueue({
          executor: trx,
          to: account.email,
          dedupKey: `app-password-created:${appPassword.id}`,
          content: mailTemplates.appPasswordCreated({ name: account.name, appPasswordName: appPassword.name, url: `${deps.baseUrl}/account/security` }),
        });
        return appPassword;
      });
      return { ...created, password };
    },

    /** A password reset means the account may have been taken: its app passwords go with the old password. */
    async revokeAllAfterPasswordReset(user: User): Promise<void> {
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        const removed = await deps.repo.deleteAllForUser(trx, user.id);
        if (removed > 0) {
          await deps.audit.record(
            trx,
            selfActor(user, null),
            { action: 'app_password.revoked_by_password_reset', targetType: 'user', targetId: user.id, organizationId: null, details: { count: removed } },
            now,
          );
        }
      });
    },

    async remove(user: User, id: string, ip: string | null): Promise<void> {
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        const removed = await deps.repo.deleteForUser(trx, { userId: user.id, id });
        if (!removed) throw new AppError('NOT_FOUND');
        await deps.audit.record(
          trx,
          selfActor(user, ip),
          { action: 'app_password.revoked', targetType: 'app_password', targetId: id, organizationId: null, details: { name: removed.name } },
          now,
        );
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
