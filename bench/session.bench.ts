import autocannon from 'autocannon';
import { requireUser } from '../src/http/authenticate.js';
import { createVerifiedUser } from '../test/support/accounts.js';
import type { Dialect } from '../src/db/database.js';
import { startSmtpServer } from '../test/support/smtp.js';
import { startTestServer } from '../test/support/test-server.js';

type Row = Record<string, string | number>;

/**
 * Calls per second of a function with `concurrency` calls in flight (as a server has), measured
 * over `ms` milliseconds after a warm-up.
 */
async function callsPerSecond(fn: () => Promise<unknown>, { ms = 2_000, concurrency = 8 } = {}): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  let calls = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - started < ms) {
        await fn();
        calls += 1;
      }
    }),
  );
  return Math.round(calls / ((performance.now() - started) / 1000));
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  const result = await autocannon({ url, headers, connections: 16, duration: seconds });
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/**
 * The lean session path against Better Auth's getSession, and an authenticated no-op route
 * against a plain one, over HTTP on loopback.
 */
export async function benchSessions(dialect: Dialect, seconds: number): Promise<Row[]> {
  const smtp = await startSmtpServer();
  const server = await startTestServer({ dialect, smtp });
  try {
    const client = server.client();
    await createVerifiedUser(client, smtp);
    const cookie = client.cookieHeader();
    const headers = new Headers({ cookie });

    const lean = await callsPerSecond(() => server.services.resolveSession(cookie));
    const betterAuth = await callsPerSecond(() => server.services.auth.api.getSession({ headers }));

    // Routes for the benchmark only, added to the real app before it answers them.
    const noop = { schema: { hide: true } };
    await server.app.close();
    const bench = await (
      await import('../src/http/app.js')
    ).buildApp({
      config: server.config,
      database: server.database,
      services: server.services,
      logger: (await import('pino')).default({ level: 'silent' }),
      smtpConfigured: true,
    });
    bench.get('/bench/plain', noop, async () => ({ ok: true }));
    bench.get('/bench/authenticated', { ...noop, preHandler: requireUser }, async () => ({ ok: true }));
    const address = await bench.listen({ port: 0, host: '127.0.0.1' });
    const plain = await load(`${address}/bench/plain`, {}, seconds);
    const authenticated = await load(`${address}/bench/authenticated`, { cookie }, seconds);
    await bench.close();

    return [
      { dialect, measure: 'session lookups/s, lean resolver (in-process)', value: lean },
      { dialect, measure: 'session lookups/s, Better Auth getSession (in-process)', value: betterAuth },
      { dialect, measure: 'HTTP req/s, plain no-op route', value: plain.rps, p50_ms: plain.p50, p99_ms: plain.p99, errors: plain.errors },
      {
        dialect,
        measure: 'HTTP req/s, authenticated no-op route',
        value: authenticated.rps,
        p50_ms: authenticated.p50,
        p99_ms: authenticated.p99,
        errors: authenticated.errors,
      },
    ];
  } finally {
    await server.destroy().catch(() => {});
    await smtp.stop();
  }
}
