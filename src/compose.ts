import type { Logger } from 'pino';
import { createAuth } from './auth/auth.js';
import { authMailer } from './auth/auth-mailer.js';
import { rateLimitsRepository } from './auth/rate-limits.repository.js';
import { createRateLimiter } from './auth/rate-limiter.js';
import { createSessionResolver } from './auth/session-resolver.js';
import { sessionsRepository } from './auth/sessions.repository.js';
import { credentialsRepository } from './auth/credentials.repository.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { createTransactionBatcher } from './db/transaction-batcher.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createDeliveryWorker, type Transport } from './mail/delivery-worker.js';
import { createMailer } from './mail/mailer.js';
import { outboxRepository } from './mail/outbox.repository.js';
import { sealerFor } from './lib/sealing.js';
import { accessRepository } from './modules/access/access.repository.js';
import { accessService } from './modules/access/access.service.js';
import { apiTokensRepository } from './modules/api-tokens/api-tokens.repository.js';
import { apiTokensService } from './modules/api-tokens/api-tokens.service.js';
import { accountsService } from './modules/accounts/accounts.service.js';
import { adminsRepository } from './modules/admins/admins.repository.js';
import { adminsService } from './modules/admins/admins.service.js';
import { auditRepository } from './modules/audit/audit.repository.js';
import { auditService } from './modules/audit/audit.service.js';
import { invitationsRepository } from './modules/invitations/invitations.repository.js';
import { invitationsService } from './modules/invitations/invitations.service.js';
import { licensesRepository } from './modules/licenses/licenses.repository.js';
import { licensesService } from './modules/licenses/licenses.service.js';
import { takeLicense } from './modules/licenses/take-license.js';
import { ordersRepository } from './modules/orders/orders.repository.js';
import { ordersService } from './modules/orders/orders.service.js';
import { ordersImport } from './modules/orders/orders-import.js';
import { organizationsService } from './modules/organizations/organizations.service.js';
import { productsRepository } from './modules/products/products.repository.js';
import { productsService } from './modules/products/products.service.js';
import { teamsRepository } from './modules/teams/teams.repository.js';
import { teamsService } from './modules/teams/teams.service.js';
import { accessGrantsService } from './modules/organizations/access-grants.service.js';
import { organizationsRepository } from './modules/organizations/organizations.repository.js';
import { setupRepository } from './modules/setup/setup.repository.js';
import { setupService } from './modules/setup/setup.service.js';
import { activationsRepository } from './modules/activations/activations.repository.js';
import { activationsService } from './modules/activations/activations.service.js';
import { appPasswordsRepository } from './modules/app-passwords/app-passwords.repository.js';
import { appPasswordsService } from './modules/app-passwords/app-passwords.service.js';
import { signingKeysRepository } from './modules/signing-keys/signing-keys.repository.js';
import { signingKeysService } from './modules/signing-keys/signing-keys.service.js';

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

  const { baseUrl } = config;
  // PostgreSQL takes several batches at once from its pool; SQLite has one writer.
  const batcher = createTransactionBatcher(db, { lanes: database.dialect === 'postgres' ? 4 : 1 });
  const outbox = outboxRepository(database.dialect, sealerFor(config.authSecret, 'outbox-body'));
  const licensesRepo = licensesRepository(database.dialect);
  const mailer = createMailer({ db, outbox, clock });
  const grants = accessGrantsService({ db, repo: organizationsRepository });
  // The licenses module's one way to take a free license: assignments and invitation claims share it.
  const take = takeLicense(licensesRepo);
  const licenses = licensesService({
    db,
    repo: licensesRepo,
    take,
    teams: teamsRepository,
    products: productsRepository,
    organizations: organizationsRepository,
    audit: auditRepository,
    mailer,
    clock,
    baseUrl,
  });
  const rateLimiter = createRateLimiter({ db, repo: rateLimitsRepository, clock });
  const appPasswords = appPasswordsService({
    db,
    repo: appPasswordsRepository,
    credentials: credentialsRepository,
    audit: auditRepository,
    mailer,
    rateLimiter,
    clock,
    baseUrl,
  });
  const auth = createAuth({
    config,
    database,
    logger: logger.child({ component: 'auth' }),
    mailer: authMailer({ mailer, baseUrl }),
    hooks: {
      // A proven address collects what was waiting for it: roles, and licenses assigned by email.
      async onEmailVerified(user) {
        await grants.applyPendingGrants(user);
        await licenses.bindPendingAssignments(user);
      },
      async onPasswordReset(user) {
        await appPasswords.revokeAllAfterPasswordReset(user);
      },
    },
  });

  const signingKeys = signingKeysService({ db, repo: signingKeysRepository, audit: auditRepository, clock, instanceSecret: config.authSecret });

  const orders = ordersService({
    db,
    repo: ordersRepository,
    licenses: licensesRepo,
    teams: teamsRepository,
    products: productsRepository,
    organizations: organizationsRepository,
    audit: auditRepository,
    clock,
  });

  return {
    clock,
    orders,
    /** `allot orders import`: one order per CSV line (orders-import.ts). */
    importOrders: ordersImport({ db, orders, organizations: organizationsRepository, teams: teamsRepository }),
    auth,
    mailer,
    outbox,
    grants,
    resolveSession: createSessionResolver({ db, repo: sessionsRepository, secret: config.authSecret, secureCookies: config.secureCookies, clock }),
    rateLimiter,
    signingKeys,
    appPasswords,
    activations: activationsService({
      db,
      batcher,
      repo: activationsRepository(database.dialect),
      products: productsRepository,
      credentials: credentialsRepository,
      licenses: licensesRepo,
      keys: signingKeys,
      appPasswords,
      audit: auditRepository,
      rateLimiter,
      clock,
      baseUrl,
      ticketTtlHours: config.ticketTtlHours,
      devicePollIntervalSeconds: config.devicePollIntervalSeconds,
      secret: config.authSecret,
    }),
    setup: setupService({ db, repo: setupRepository, organizations: organizationsRepository, grants }),
    accounts: accountsService({ db, organizations: organizationsRepository }),
    access: accessService({ db, repo: accessRepository }),
    apiTokens: apiTokensService({
      db,
      repo: apiTokensRepository,
      teams: teamsRepository,
      audit: auditRepository,
      rateLimiter,
      requestsPerMinute: config.apiTokenRateLimit,
      clock,
    }),
    products: productsService({ db, repo: productsRepository, audit: auditRepository, clock }),
    organizations: organizationsService({ db, repo: organizationsRepository, grants, audit: auditRepository, clock }),
    teams: teamsService({ db, repo: teamsRepository, audit: auditRepository, clock }),
    licenses,
    admins: adminsService({
      db,
      repo: adminsRepository(database.dialect),
      organizations: organizationsRepository,
      teams: teamsRepository,
      audit: auditRepository,
      mailer,
      clock,
      baseUrl,
    }),
    audit: auditService({ db, repo: auditRepository }),
    invitations: invitationsService({
      db,
      batcher,
      repo: invitationsRepository(database.dialect),
      licenses: licensesRepo,
      take,
      teams: teamsRepository,
      products: productsRepository,
      audit: auditRepository,
      mailer,
      clock,
      secret: config.authSecret,
      baseUrl,
    }),
    deliveryWorker: createDeliveryWorker({
      db,
      outbox,
      transport: deps.transport,
      soleWorker: database.dialect === 'sqlite',
      logger: logger.child({ component: 'mail' }),
      clock,
      ...(deps.mailPollIntervalMs ? { pollIntervalMs: deps.mailPollIntervalMs } : {}),
    }),
  };
}

export type Services = ReturnType<typeof composeServices>;
