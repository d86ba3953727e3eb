import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import type { HttpResponse } from '../support/http-client.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Asks until `accept` holds or the deadline passes; returns the last answer either way. A request
 * that gets no answer before the deadline fails the test as a hang rather than waiting on it.
 */
async function pollUntil(ask: () => Promise<HttpResponse>, accept: (response: HttpResponse) => boolean, timeoutMs = 10_000): Promise<HttpResponse> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${Date.now() - started} ms: the request hangs`)), Math.max(deadline - Date.now(), 0) + 1_000);
    });
    const response = await Promise.race([ask(), hang]).finally(() => clearTimeout(timer));
    if (accept(response) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Same database, but the server reaches it through `proxy`; the search_path option is kept. */
function throughProxy(testDatabase: TestDatabase, proxy: TcpProxy): TestDatabase {
  if (testDatabase.config.dialect !== 'postgres') throw new Error('only PostgreSQL is reached over the network');
  const url = new URL(testDatabase.config.connectionString);
  url.hostname = proxy.host;
  url.port = String(proxy.port);
  return { ...testDatabase, config: { dialect: 'postgres', connectionString: url.toString() } };
}

// SQLite is a file in the server's own process: there is no connection to lose.
describe('database outage (postgres only)', () => {
  let proxy: TcpProxy;
  let server: TestServer;

  beforeAll(async () => {
    const testDatabase = await createTestDatabase('postgres');
    const target = new URL(testDatabase.config.dialect === 'postgres' ? testDatabase.config.connectionString : '');
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    server = await startTestServer({ dialect: 'postgres', testDatabase: throughProxy(testDatabase, proxy) });
  });
  afterAll(async () => {
    proxy?.resume();
    await server?.destroy();
    await proxy?.close();
  });

  it('answers 503 while the database is unreachable and recovers without a restart', async () => {
    const client = server.client();
    expect(server.config.database).toMatchObject({ connectionString: expect.stringContaining(`127.0.0.1:${proxy.port}/`) });
    expect(server.config.database).toMatchObject({ connectionString: expect.stringContaining('search_path') });
    expect((await client.get('/readyz')).status).toBe(200);
    expect((await client.get('/api/v1/instance')).status).toBe(200);

    proxy.pause();
    const notReady = await pollUntil(() => client.get('/readyz'), (response) => response.status === 503);
    expect(notReady.status, JSON.stringify(notReady.body)).toBe(503);
    const unavailable = await pollUntil(() => client.get('/api/v1/instance'), (response) => response.status === 503);
    expect(unavailable.status, JSON.stringify(unavailable.body)).toBe(503);
    expect(unavailable.body.code).toBe('DATABASE_UNAVAILABLE');
    // Liveness does not depend on the database, so an orchestrator does not restart the server.
    expect((await client.get('/healthz')).status).toBe(200);

    proxy.resume();
    const ready = await pollUntil(() => client.get('/readyz'), (response) => response.status === 200);
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    const instance = await pollUntil(() => client.get('/api/v1/instance'), (response) => response.status === 200);
    expect(instance.status, JSON.stringify(instance.body)).toBe(200);
    expect(instance.body).toMatchObject({ setupRequired: true });
  });

  it('survives losing the connection while a transaction holds it between queries', async () => {
    // Its own proxy, so the server's connections above are not involved.
    const target = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    const ownProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(target);
    viaProxy.hostname = ownProxy.host;
    viaProxy.port = String(ownProxy.port);
    const database = openDatabase({ dialect: 'postgres', connectionString: viaProxy.toString() });
    try {
      const transaction = database.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        // The client is checked out but runs no query: pg reports the reset as an 'error' event,
        // which crashed the process before the pool gave every client a listener.
        ownProxy.pause();
        await new Promise((resolve) => setTimeout(resolve, 200));
        await sql`select 1`.execute(trx);
      });
      await expect(transaction).rejects.toThrow();
      ownProxy.resume();
      await expect(database.ping()).resolves.toBeUndefined();
    } finally {
      ownProxy.resume();
      await database.close();
      await ownProxy.close();
    }
  });
});
