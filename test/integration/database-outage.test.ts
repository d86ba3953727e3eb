import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import type { HttpResponse } from '../support/http-client.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createOrganization, createProduct, grantOrgRole, placeOrder, seedSignedInUsers, signedInUser } from '../support/console.js';
import { expectCountersAgreeWithRows } from '../support/invariants.js';
import { startSmtpServer } from '../support/smtp.js';
import { memoryLog } from '../support/memory-log.js';

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
    const notReady = await pollUntil(
      () => client.get('/readyz'),
      (response) => response.status === 503,
    );
    expect(notReady.status, JSON.stringify(notReady.body)).toBe(503);
    const unavailable = await pollUntil(
      () => client.get('/api/v1/instance'),
      (response) => response.status === 503,
    );
    expect(unavailable.status, JSON.stringify(unavailable.body)).toBe(503);
    expect(unavailable.body.code).toBe('DATABASE_UNAVAILABLE');
    // Liveness does not depend on the database, so an orchestrator does not restart the server.
    expect((await client.get('/healthz')).status).toBe(200);

    proxy.resume();
    const ready = await pollUntil(
      () => client.get('/readyz'),
      (response) => response.status === 200,
    );
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    const instance = await pollUntil(
      () => client.get('/api/v1/instance'),
      (response) => response.status === 200,
    );
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

/** A server on its own PostgreSQL schema, reached through a proxy the test controls. */
async function serverBehindProxy(env: Record<string, string> = {}, smtp?: Awaited<ReturnType<typeof startSmtpServer>>, log?: ReturnType<typeof memoryLog>) {
  const testDatabase = await createTestDatabase('postgres');
  const target = new URL(testDatabase.config.dialect === 'postgres' ? testDatabase.config.connectionString : '');
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const server = await startTestServer({
    dialect: 'postgres',
    testDatabase: throughProxy(testDatabase, proxy),
    env,
    ...(smtp ? { smtp } : {}),
    ...(log ? { log: { level: 'info', destination: log.destination } } : {}),
  });
  return { proxy, server, testDatabase };
}

/** Polls `condition` until it holds (or fails the test after `timeoutMs`): an event, not a fixed wait. */
async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  await expect.poll(condition, { timeout: timeoutMs, interval: 25 }).toBe(true);
}

type Answer = { status: number | 'no answer'; code?: string; ms: number; path: string };

/** Requests in a loop from `clients` callers until stop(); every answer (or the lack of one) is kept. */
function loadGenerator(send: Array<() => Promise<{ status: number; body: any }>>, paths: string[]) {
  const answers: Answer[] = [];
  let running = true;
  const loops = send.map(async (request, index) => {
    while (running) {
      const started = Date.now();
      try {
        const response = await Promise.race([request(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('hang')), 20_000))]);
        answers.push({ status: response.status, code: response.body?.code, ms: Date.now() - started, path: paths[index]! });
      } catch {
        answers.push({ status: 'no answer', ms: Date.now() - started, path: paths[index]! });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe('database outages under load (postgres only)', () => {
  it.each(['refused', 'partition'] as const)(
    'answers 503 with a code during a %s outage, never hangs or 500s, recovers by itself, and writes nothing by halves',
    { timeout: 120_000 },
    async (kind) => {
      const { proxy, server, testDatabase } = await serverBehindProxy({ DATABASE_QUERY_TIMEOUT_MS: '1500' });
      try {
        const organization = await createOrganization(server, 'Outage Inc');
        const product = await createProduct(server, 'Outage IDE');
        const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 200 });
        const admin = await signedInUser(server);
        await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
        const invitation = await admin.client.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id });
        const token = invitation.body.link.split('/invite/')[1] as string;
        const people = await seedSignedInUsers(server, 400, 'outage');
        let nextPerson = 0;
        const client = server.client();
        const claim = () =>
          client.request('POST', '/api/v1/invite/claim', { json: { token }, headers: { cookie: people[nextPerson++ % people.length]!.cookie } });
        const load = loadGenerator(
          [
            () => client.get('/readyz'),
            () => admin.client.get('/api/v1/me'),
            claim,
            claim,
            () => admin.client.get(`/api/v1/organizations/${organization.id}/licenses?limit=20`),
          ],
          ['/readyz', '/api/v1/me', 'claim', 'claim', 'licenses'],
        );
        const paths = ['/readyz', '/api/v1/me', 'claim', 'licenses'];
        const everyPathAnswered = (answers: Answer[], times: number) => paths.every((path) => answers.filter((answer) => answer.path === path).length >= times);
        await until(() => everyPathAnswered(load.answers, 5));
        const outageStarted = load.answers.length;
        const outageStartedAt = Date.now();
        if (kind === 'refused') proxy.pause();
        else proxy.partition();
        // Until every kind of request was answered three times during the outage, one after
        // another: without the query timeout, the first of them would still be waiting.
        await until(() => everyPathAnswered(load.answers.slice(outageStarted), 3), 60_000);
        const duringOutage = load.answers.slice(outageStarted);
        const outageMs = Date.now() - outageStartedAt;
        if (kind === 'refused') proxy.resume();
        else proxy.heal();
        // Recovery without a restart: every kind of request succeeds again.
        await expect.poll(async () => (await client.get('/readyz')).status, { timeout: 20_000, interval: 200 }).toBe(200);
        await expect.poll(async () => (await admin.client.get('/api/v1/me')).status, { timeout: 20_000, interval: 200 }).toBe(200);
        const recovered = load.answers.length;
        await until(() => everyPathAnswered(load.answers.slice(recovered), 2));
        await load.stop();

        const unavailable = duringOutage.filter((answer) => answer.status === 503);
        expect(unavailable.length, 'requests during the outage were refused').toBeGreaterThan(0);
        expect(unavailable.every((answer) => answer.code === 'DATABASE_UNAVAILABLE' || answer.path === '/readyz')).toBe(true);
        expect(
          load.answers.filter(
            (answer) => answer.status === 'no answer' || (typeof answer.status === 'number' && answer.status >= 500 && answer.status !== 503),
          ),
        ).toEqual([]);
        // Bounded by the query timeout (1.5 s, twice with a rollback) or the connect timeout, never the outage.
        expect(Math.max(...load.answers.map((answer) => answer.ms))).toBeLessThan(7_000);
        // A partition lasts until every kind of request was answered: none may have waited it out.
        // (A refused outage is over in a few hundred milliseconds, as fast as the refusals come, so
        // a request begun just before it can outlast it without having waited for anything.)
        if (kind === 'partition') expect(Math.max(...duringOutage.map((answer) => answer.ms))).toBeLessThan(outageMs);
        const afterOutage = load.answers.slice(-10);
        expect(afterOutage.some((answer) => answer.status === 200)).toBe(true);

        const check = openDatabase(testDatabase.config);
        try {
          await expectCountersAgreeWithRows(check);
          const claims = await check.db.selectFrom('invitation_claims').select('license_id').execute();
          const answeredClaims = load.answers.filter((answer) => answer.path === 'claim' && answer.status === 200).length;
          expect(claims.length, 'every claim answered 200 is stored (a claim cut off mid-way may be stored or not, but whole)').toBeGreaterThanOrEqual(
            answeredClaims,
          );
        } finally {
          await check.close();
        }
        console.info(
          `[outage ${kind}] ${load.answers.length} requests, ${duringOutage.length} during the outage (${unavailable.length} answered 503), slowest ${Math.max(...load.answers.map((answer) => answer.ms))} ms`,
        );
      } finally {
        proxy.resume();
        proxy.heal();
        await server.destroy();
        await proxy.close();
      }
    },
  );

  it('does not send a message twice when the database goes away right after SMTP accepted it', { timeout: 60_000 }, async () => {
    let cut: (() => void) | undefined;
    const smtp = await startSmtpServer({
      beforeAccepting(mail) {
        if (mail.subject === 'Cut after this one') cut?.();
      },
    });
    const log = memoryLog();
    const { proxy, server } = await serverBehindProxy({ DATABASE_QUERY_TIMEOUT_MS: '1500' }, smtp, log);
    try {
      cut = () => proxy.pause();
      await server.services.mailer.enqueue({
        to: 'once@example.test',
        dedupKey: 'cut-after-smtp',
        content: { subject: 'Cut after this one', text: 'Body', html: '<p>Body</p>' },
      });
      await smtp.waitFor((mail) => mail.subject === 'Cut after this one');
      // The worker could not record the delivery while the database was away…
      await until(() => log.lines.some((line) => line.includes('mail worker pass failed')));
      cut = undefined;
      proxy.resume();
      // …and records it once it is back, instead of sending it again when its lease runs out.
      const direct = openDatabase(server.testDatabase.config);
      try {
        await expect
          .poll(
            async () => (await direct.db.selectFrom('outbox').select('status').where('dedup_key', '=', 'cut-after-smtp').executeTakeFirstOrThrow()).status,
            { timeout: 20_000 },
          )
          .toBe('sent');
      } finally {
        await direct.close();
      }
      expect(smtp.received.filter((mail) => mail.subject === 'Cut after this one')).toHaveLength(1);
    } finally {
      proxy.resume();
      await server.destroy();
      await proxy.close();
      await smtp.stop();
    }
  });
});
