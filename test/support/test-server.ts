import net from 'node:net';
import type { DestinationStream } from 'pino';
import { loadConfig } from '../../src/config.js';
import type { ResolvedConfig } from '../../src/compose.js';
import type { Dialect } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { HttpClient } from './http-client.js';
import type { TestSmtpServer } from './smtp.js';
import type { Clock } from '../../src/lib/clock.js';

/** A clock the test moves by hand; several servers may share one (two instances, one time). */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string = new Date()) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }
  advanceDays(days: number): void {
    this.current += days * 86_400_000;
  }
}

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hmac-0123456789';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export type TestServer = RunningServer & {
  baseUrl: string;
  config: ResolvedConfig;
  testDatabase: TestDatabase;
  client(headers?: Record<string, string>): HttpClient;
  /** Stops the server (keeping the database) and starts a new one on it, as after a crash or deploy. */
  restart(options?: { smtp?: TestSmtpServer | undefined }): Promise<TestServer>;
  /** Stops the server and drops the database. */
  destroy(): Promise<void>;
};

/**
 * The real server, listening on a loopback port, on a database of its own. Mail goes to the
 * given SMTP server; without one, the server runs as a newcomer's would (dev mailbox).
 */
export async function startTestServer(options: {
  dialect: Dialect;
  smtp?: TestSmtpServer | undefined;
  env?: Record<string, string>;
  testDatabase?: TestDatabase;
  /** Where the server's log lines go (the production logger, redaction included); silent without. */
  log?: { level: string; destination: DestinationStream };
  /** Receives the plain lines the server prints for a person (the first-run setup link). */
  announce?: (line: string) => void;
  /** Waits between webhook attempts (the production schedule waits minutes to hours). */
  webhookRetryDelaysMs?: number[];
  /** The server's clock (see ManualClock); the system clock without. */
  clock?: Clock;
  /** Runs the seat lifecycle's job at this pace; off without (tests call its steps, so no run lands mid-test). */
  seatLifecycleIntervalMs?: number;
}): Promise<TestServer> {
  const testDatabase = options.testDatabase ?? (await createTestDatabase(options.dialect));
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    AUTH_SECRET: TEST_SECRET,
    DATABASE_URL: testDatabase.config.dialect === 'sqlite' ? `sqlite:${testDatabase.config.file}` : testDatabase.config.connectionString,
    ...(options.smtp ? { SMTP_URL: options.smtp.url } : {}),
    ...options.env,
  });
  const logger = options.log ? createLogger(options.log) : createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const server = await startServer({
    config: { ...config, authSecret: config.authSecret! },
    logger,
    mailPollIntervalMs: 50,
    webhooks: { pollIntervalMs: 50, ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}) },
    announce: options.announce ?? (() => {}),
    ...(options.clock ? { clock: options.clock } : {}),
    seatLifecycleIntervalMs: options.seatLifecycleIntervalMs ?? null,
  });
  const baseUrl = config.baseUrl;
  const testServer: TestServer = {
    ...server,
    baseUrl,
    config: { ...config, authSecret: config.authSecret! },
    testDatabase,
    client: (headers) => new HttpClient(baseUrl, headers),
    async restart(restartOptions = {}) {
      await server.close();
      const smtp = 'smtp' in restartOptions ? restartOptions.smtp : options.smtp;
      return startTestServer({ ...options, smtp, testDatabase, env: { ...options.env, PORT: String(port) } });
    },
    async destroy() {
      await server.close();
      await testDatabase.drop();
    },
  };
  return testServer;
}
