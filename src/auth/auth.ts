import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { twoFactor } from 'better-auth/plugins';
import type { Logger as PinoLogger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from './password-hashing.js';
import { newStoredSessionToken } from './session-tokens.js';

/** Header our Fastify mount sets from the socket address (or the trusted proxy chain); clients cannot set it. */
export const CLIENT_IP_HEADER = 'x-allot-client-ip';
export const SESSION_COOKIE_NAME = 'allot.session_token';
export const SESSION_LIFETIME_SECONDS = 60 * 60 * 24 * 7;

/** What the accounts module needs from the mail side; each call enqueues one outbox row. */
export type AuthMailer = {
  sendVerificationEmail(input: { to: string; name: string; url: string }): Promise<void>;
  sendPasswordReset(input: { to: string; name: string; url: string }): Promise<void>;
  sendExistingAccountNotice(input: { to: string; name: string }): Promise<void>;
};

export type AuthHooks = {
  /** Runs once an address is proven; pending role grants for that address become real. */
  onEmailVerified(user: { id: string; email: string }): Promise<void>;
  /** Runs after a password reset through the emailed link (sessions are revoked by Better Auth itself). */
  onPasswordReset(user: { id: string; email: string }): Promise<void>;
};

export type AuthDependencies = {
  config: Pick<Config, 'baseUrl' | 'secureCookies'> & { authSecret: string };
  database: Database;
  /** Better Auth's own messages go to our log, where tokens in them are redacted. */
  logger: Pick<PinoLogger, 'debug' | 'info' | 'warn' | 'error'>;
  mailer: AuthMailer;
  hooks: AuthHooks;
};

/**
 * Better Auth's tables are mapped to our naming (plural, snake_case) so that one migration set
 * creates every table and the whole schema reads alike.
 */
const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' } as const;

export function authOptions({ config, database, logger, mailer, hooks }: AuthDependencies) {
  return {
    appName: 'Allot',
    baseURL: `${config.baseUrl}/api/auth`,
    basePath: '/api/auth',
    secret: config.authSecret,
    trustedOrigins: [config.baseUrl],
    database: { db: database.db, type: database.dialect, transaction: true },
    telemetry: { enabled: false },
    logger: {
      level: 'warn',
      log(level, message, ...args) {
        const err = args.find((argument): argument is Error => argument instanceof Error);
        const details = args.filter((argument) => !(argument instanceof Error));
        logger[level]({ component: 'better-auth', ...(err ? { err } : {}), ...(details.length ? { details } : {}) }, message);
      },
    },
    user: {
      modelName: 'users',
      fields: { emailVerified: 'email_verified', ...timestamps },
      changeEmail: { enabled: true },
    },
    session: {
      modelName: 'sessions',
      fields: { expiresAt: 'expires_at', ipAddress: 'ip_address', userAgent: 'user_agent', userId: 'user_id', ...timestamps },
      expiresIn: SESSION_LIFETIME_SECONDS,
      updateAge: 60 * 60 * 24,
      // No cookie cache: a revoked session must stop working on the very next request.
      cookieCache: { enabled: false },
    },
    account: {
      modelName: 'accounts',
      fields: {
        accountId: 'account_id',
        providerId: 'provider_id',
        userId: 'user_id',
        accessToken: 'access_token',
        refreshToken: 'refresh_token',
        idToken: 'id_token',
        accessTokenExpiresAt: 'access_token_expires_at',
        refreshTokenExpiresAt: 'refresh_token_expires_at',
        ...timestamps,
      },
    },
    verification: {
      modelName: 'verifications',
      fields: { expiresAt: 'expires_at', ...timestamps },
      // Reset tokens live here; a leaked table must not hand out working links.
      storeIdentifier: 'hashed',
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      autoSignIn: false,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      password: { hash: hashPassword, verify: verifyPassword },
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
      async sendResetPassword({ user, url }) {
        await mailer.sendPasswordReset({ to: user.email, name: user.name, url });
      },
      async onPasswordReset({ user }) {
        await hooks.onPasswordReset({ id: user.id, email: user.email });
      },
      async onExistingUserSignUp({ user }) {
        await mailer.sendExistingAccountNotice({ to: user.email, name: user.name });
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      sendOnSignIn: true,
      autoSignInAfterVerification: true,
      expiresIn: 60 * 60 * 24,
      async sendVerificationEmail({ user, url }) {
        await mailer.sendVerificationEmail({ to: user.email, name: user.name, url });
      },
      async afterEmailVerification(user) {
        await hooks.onEmailVerified({ id: user.id, email: user.email });
      },
    },
    // Our Fastify mount applies the per-IP+email limits the product needs (see auth-rate-limits.ts),
    // with counters in the database; Better Auth's per-path limiter would double-count.
    rateLimit: { enabled: false },
    databaseHooks: {
      session: {
        create: {
          // The table keeps a digest; the browser gets the secret (see session-tokens.ts).
          async before(session) {
            return { data: { ...session, token: newStoredSessionToken() } };
          },
        },
      },
    },
    advanced: {
      cookiePrefix: 'allot',
      useSecureCookies: config.secureCookies,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      database: { generateId: 'uuid' },
    },
    plugins: [
      twoFactor({
        issuer: 'Allot',
        schema: {
          user: { fields: { twoFactorEnabled: 'two_factor_enabled' } },
          twoFactor: {
            modelName: 'two_factors',
            fields: {
              backupCodes: 'backup_codes',
              userId: 'user_id',
              failedVerificationCount: 'failed_verification_count',
              lockedUntil: 'locked_until',
            },
          },
        },
      }),
    ],
  } satisfies BetterAuthOptions;
}

export function createAuth(dependencies: AuthDependencies) {
  return betterAuth(authOptions(dependencies));
}

export type Auth = ReturnType<typeof createAuth>;
