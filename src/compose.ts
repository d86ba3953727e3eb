import type { Logger } from 'pino';
import { createAuth } from './auth/auth.js';
import { authMailer } from './auth/auth-mailer.js';
import { rateLimitsRepository } from './auth/rate-limits.repository.js';
import { createRateLimiter } from './auth/rate-limiter.js';
import { createSessionResolver } from './auth/session-resolver.js';
import { sessionsRepository } from './auth/sessions.repository.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createDeliveryWorker, type Transport } from './mail/delivery-worker.js';
import { createMailer } from './mail/mailer.js';
import { outboxRepository } from './mail/outbox.repository.js';
import { accountsService } from './modules/accounts/accounts.service.js';
import { accessGrantsService } from './modules/organizations/access-grants.service.js';
import { organizationsRepository } from './modules/organizations/organizations.repository.js';
import { setupRepository } from './modules/setup/setup.repository.js';
import { setupService } from './modules/setup/setup.service.js';

/** A config whose auth secret is known (read from the environment or the data folder). */
export type ResolvedConfig = Config & { authSecret: string };

/**
 * The composition root: every repository and service, wired once. The server, the CLI and the
 * tests all build the application through here, so they run the same code.
 */
export function composeServices(deps: {
  config: ResolvedConfig;
  database: Database;
  logger: Logger;
  clock?: Clock;
  /** Overrides the SMTP transport built from SMTP_URL (tests point it at their own server via SMTP_URL instead). */
  transport?: Transport;
  mailPollIntervalMs?: number;
}) {
  const { config, database, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const db = database.db;

  const outbox = outboxRepository(database.dialect);
  const mailer = createMailer({ db, outbox, clock });
  const grants = accessGrantsService({ db, repo: organizationsRepository });
  const auth = createAuth({
    config,
    database,
    mailer: authMailer({ mailer, baseUrl: config.baseUrl }),
    hooks: { onEmailVerified: (user) => grants.applyPendingGrants(user) },
  });

  return {
    clock,
    auth,
    mailer,
    outbox,
    grants,
    resolveSession: createSessionResolver({ db, repo: sessionsRepository, secret: config.authSecret, secureCookies: config.secureCookies, clock }),
    rateLimiter: createRateLimiter({ db, repo: rateLimitsRepository, clock }),
    setup: setupService({ db, repo: setupRepository, organizations: organizationsRepository, grants }),
    accounts: accountsService({ db, organizations: organizationsRepository }),
    deliveryWorker: createDeliveryWorker({
      db,
      outbox,
      transport: deps.transport,
      logger: logger.child({ component: 'mail' }),
      clock,
      ...(deps.mailPollIntervalMs ? { pollIntervalMs: deps.mailPollIntervalMs } : {}),
    }),
  };
}

export type Services = ReturnType<typeof composeServices>;
