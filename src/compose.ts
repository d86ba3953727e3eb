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
import { accountsRepository } from './modules/accounts/accounts.repository.js';
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
import type { PoolWatch } from './modules/licenses/take-license.js';
import { auditPublishingWebhooks, webhookPublisher } from './modules/webhooks/webhook-events.js';
import { webhooksRepository } from './modules/webhooks/webhooks.repository.js';
import { webhooksService } from './modules/webhooks/webhooks.service.js';
import { createWebhookWorker } from './modules/webhooks/webhook-worker.js';
import { usageRepository } from './modules/usage/usage.repository.js';
import { usageService } from './modules/usage/usage.service.js';
import { seatsRepository } from './modules/seats/seats.repository.js';
import { seatsService } from './modules/seats/seats.service.js';

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
  /** Tests shorten the webhook worker's pace and retry schedule. */
  webhooks?: { pollIntervalMs?: number; retryDelaysMs?: number[] };
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
  // Webhook events are written with the changes they report: the audit log's writes publish them.
  const webhooksRepo = webhooksRepository(sealerFor(config.authSecret, 'webhook-secret'));
  const publisher = webhookPublisher({ repo: webhooksRepo });
  const audit = auditPublishingWebhooks(auditRepository, publisher);
  const seats = seatsService({
    db,
    repo: seatsRepository,
    licenses: licensesRepo,
    invitations: invitationsRepository(database.dialect),
    audit,
    mailer,
    clock,
    baseUrl: config.baseUrl,
  });
  const poolWatch: PoolWatch = {
    taken: async (executor, pool, now) => {
      const { freeAfter } = await seats.onPoolTaken(executor, pool, now);
      if (freeAfter > 0 || !(await publisher.wants(executor, pool.organizationId, 'pool.exhausted', now))) return;
      await publisher.publish(
        executor,
        {
          type: 'pool.exhausted',
          organizationId: pool.organizationId,
          teamId: pool.teamId,
          target: { type: 'product', id: pool.productId },
          actor: null,
          details: { productId: pool.productId },
        },
        now,
      );
    },
  };
  // The licenses module's one way to take a free license: assignments and invitation claims share it.
  const take = takeLicense(licensesRepo, poolWatch);
  const licenses = licensesService({
    db,
    repo: licensesRepo,
    take,
    teams: teamsRepository,
    products: productsRepository,
    organizations: organizationsRepository,
    audit,
    mailer,
    clock,
    baseUrl,
  });
  const rateLimiter = createRateLimiter({ db, repo: rateLimitsRepository, clock });
  const appPasswords = appPasswordsService({
    db,
    repo: appPasswordsRepository,
    credentials: credentialsRepository,
    audit,
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

  const access = accessService({ db, repo: accessRepository, clock });

  const signingKeys = signingKeysService({ db, repo: signingKeysRepository, audit, clock, instanceSecret: config.authSecret });

  const orders = ordersService({
    db,
    repo: ordersRepository,
    licenses: licensesRepo,
    teams: teamsRepository,
    products: productsRepository,
    organizations: organizationsRepository,
    audit,
    clock,
  });

  const webhookPolicy = { allowPrivate: config.webhookAllowPrivate };
  const webhooks = webhooksService({
    db,
    repo: webhooksRepo,
    publisher,
    organizations: organizationsRepository,
    audit,
    mailer,
    policy: webhookPolicy,
    clock,
    baseUrl,
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
      audit,
      rateLimiter,
      clock,
      baseUrl,
      ticketTtlHours: config.ticketTtlHours,
      devicePollIntervalSeconds: config.devicePollIntervalSeconds,
      secret: config.authSecret,
    }),
    setup: setupService({ db, repo: setupRepository, organizations: organizationsRepository, grants }),
    accounts: accountsService({
      db,
      repo: accountsRepository(database.dialect),
      organizations: organizationsRepository,
      admins: adminsRepository(database.dialect),
      licenses: licensesRepo,
      credentials: credentialsRepository,
      access,
      audit,
      rateLimiter,
      clock,
      secret: config.authSecret,
    }),
    access,
    apiTokens: apiTokensService({
      db,
      repo: apiTokensRepository,
      teams: teamsRepository,
      audit,
      rateLimiter,
      requestsPerMinute: config.apiTokenRateLimit,
      clock,
    }),
    products: productsService({ db, repo: productsRepository, audit, clock }),
    organizations: organizationsService({ db, repo: organizationsRepository, grants, audit, clock }),
    teams: teamsService({ db, repo: teamsRepository, audit, clock }),
    licenses,
    admins: adminsService({
      db,
      repo: adminsRepository(database.dialect),
      organizations: organizationsRepository,
      teams: teamsRepository,
      audit,
      mailer,
      clock,
      baseUrl,
    }),
    audit: auditService({ db, repo: auditRepository }),
    seats,
    usage: usageService({ db, repo: usageRepository, products: productsRepository, teams: teamsRepository, clock }),
    webhooks,
    invitations: invitationsService({
      db,
      batcher,
      repo: invitationsRepository(database.dialect),
      licenses: licensesRepo,
      take,
      teams: teamsRepository,
      products: productsRepository,
      audit,
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
    webhookWorker: createWebhookWorker({
      db,
      repo: webhooksRepo,
      clock,
      logger: logger.child({ component: 'webhooks' }),
      policy: webhookPolicy,
      onDisabled: webhooks.onDisabled,
      ...deps.webhooks,
    }),
  };
}

export type Services = ReturnType<typeof composeServices>;
