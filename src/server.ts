import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { composeServices, type ResolvedConfig, type Services } from './compose.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { buildApp } from './http/app.js';
import { smtpTransport, type Transport } from './mail/delivery-worker.js';
import { createPeriodicTask } from './lib/periodic-task.js';
import { claimServerPidFile } from './db/server-pid-file.js';
import type { Clock } from './lib/clock.js';

export type RunningServer = {
  app: FastifyInstance;
  services: Services;
  database: Database;
  /** The address the server listens on, e.g. http://127.0.0.1:3000. */
  address: string;
  /** Stops taking requests, lets in-flight ones finish, stops workers, closes the database. */
  close(): Promise<void>;
};

/**
 * config → database → migrations → app → workers. Used by main.ts and by the tests, so
 * what the tests start is what production starts.
 */
export async function startServer(options: {
  config: ResolvedConfig;
  logger: Logger;
  database?: Database;
  transport?: Transport;
  mailPollIntervalMs?: number;
  /** Tests shorten the webhook worker's pace and retry schedule. */
  webhooks?: { pollIntervalMs?: number; retryDelaysMs?: number[] };
  webRoot?: string;
  /** Tests move time by hand (expiry notices, idle seats); production reads the system clock. */
  clock?: Clock;
  /** How often the seat lifecycle's job runs (10 minutes); null: never (tests call its steps themselves). */
  seatLifecycleIntervalMs?: number | null;
  /** Prints a line for the person at the terminal (not a log line); standard error by default. */
  announce?: (line: string) => void;
}): Promise<RunningServer> {
  const { config, logger } = options;
  // One server per embedded database (its mail worker takes back every lease at start), and
  // `allot restore` refuses to replace the file under it.
  const releasePidFile = config.database.dialect === 'sqlite' && config.database.file !== ':memory:' ? claimServerPidFile(config.database.file) : () => {};
  const database = options.database ?? openDatabase(config.database);
  try {
    await database.ping();
  } catch (error) {
    await database.close().catch(() => {});
    releasePidFile();
    throw new DatabaseUnreachableError(config.database.dialect, error);
  }
  const applied = await migrateWithoutQueryTimeout(config, database);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

  const smtp = options.transport ? undefined : config.smtpUrl ? smtpTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom }) : undefined;
  const transport = options.transport ?? smtp;
  const services = composeServices({
    config,
    database,
    logger,
    ...(transport ? { transport } : {}),
    ...(options.mailPollIntervalMs ? { mailPollIntervalMs: options.mailPollIntervalMs } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  // The first start of an instance makes its ticket-signing key.
  await services.signingKeys.ensureKey();
  const sealedBodies = await services.mailer.sealPlaintextBodies();
  if (sealedBodies > 0) logger.info({ messages: sealedBodies }, 'sealed mail bodies stored in plain text by an earlier version');
  const app = await buildApp({
    config,
    database,
    services,
    logger,
    smtpConfigured: transport !== undefined,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
  });
  const address = await app.listen({ port: config.port, host: config.host });
  services.deliveryWorker.start();
  services.webhookWorker.start();
  // Daily digests of claims, for admins who chose them; each is sent once its oldest claim is a day old.
  const digests = createPeriodicTask('claim digests', () => services.invitations.sendDueDigests(), { intervalMs: 10 * 60_000, logger });
  digests.start();
  // The seat lifecycle: usage history, expiry notices, the idle-seat policy. Every step is safe to
  // run on several instances at once (keyed rows, outbox dedup keys, guarded releases).
  const seatLifecycleIntervalMs = options.seatLifecycleIntervalMs === undefined ? 10 * 60_000 : options.seatLifecycleIntervalMs;
  const seatLifecycle = createPeriodicTask('seat lifecycle', () => runSeatLifecycle(services), {
    intervalMs: seatLifecycleIntervalMs ?? 0,
    logger,
    runAtStart: true,
  });
  if (seatLifecycleIntervalMs !== null) seatLifecycle.start();
  if (!transport) logger.warn('SMTP_URL is not set: mail stays in the outbox and is printed here; read it at /dev/mailbox');

  const setupToken = await services.setup.issueSetupToken();
  if (setupToken) {
    // A plain line a person can click; the log line says where to look without the token.
    const announce = options.announce ?? ((line: string) => process.stderr.write(`${line}\n`));
    announce(
      `\n  Allot is ready for its first organization. Open this link to set it up:\n\n    ${config.baseUrl}/setup?token=${setupToken}\n\n  (It works once. \`npx allot setup --org NAME --admin EMAIL\` does the same from a shell.)\n`,
    );
    logger.info('first run: the setup link is printed on standard error, above');
  }

  let closing: Promise<void> | undefined;
  return {
    app,
    services,
    database,
    address,
    close() {
      closing ??= (async () => {
        await app.close();
        await digests.stop();
        await seatLifecycle.stop();
        await services.deliveryWorker.stop();
        await services.webhookWorker.stop();
        smtp?.close();
        await database.close();
        releasePidFile();
      })();
      return closing;
    },
  };
}

async function runSeatLifecycle(services: Services): Promise<void> {
  // A first run fills in up to a year of history, a month per step.
  while ((await services.usage.recordDays()).days.length > 1);
  await services.seats.sendDueExpiryNotices();
  await services.seats.reclaimIdleSeats();
}

/**
 * A migration may rightly run longer than any request's query; it gets a connection without the
 * bound, and without prepared statements (a statement kept across a migration that changes its
 * table would fail).
 */
async function migrateWithoutQueryTimeout(config: ResolvedConfig, database: Database): Promise<string[]> {
  if (config.database.dialect !== 'postgres') return migrateToLatest(database.db, database.dialect);
  const unbounded = openDatabase({ ...config.database, queryTimeoutMs: 0, poolSize: 1, preparedStatements: false });
  try {
    return await migrateToLatest(unbounded.db, unbounded.dialect);
  } finally {
    await unbounded.close();
  }
}

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
  constructor(dialect: string, cause: unknown) {
    super(`Cannot reach the ${dialect} database: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
