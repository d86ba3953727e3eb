import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { uniqueEmail } from '../support/accounts.js';
import { createOrganization, createProduct, grantOrgRole, placeOrder, seedSignedInUsers, signedInUser } from '../support/console.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { expectCountersAgreeWithRows } from '../support/invariants.js';
import { databaseUrlOf, removeTempDirs, serverEnvironment, startProcess, type ServerProcess } from '../support/server-process.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTestServer } from '../support/test-server.js';

afterAll(removeTempDirs);

type Claimer = { userId: string; email: string; cookie: string };
type ClaimOutcome = { claimer: Claimer; baseUrl: string; status: number | 'no answer'; licenseId?: string; code?: string };

/**
 * A database with an organization, a team of `licenses` licenses, an invitation to it, and
 * `claimers` signed-in people; the server that made it is closed again, so a process can take over.
 */
async function seedClaimRace(testDatabase: TestDatabase, { licenses, claimers }: { licenses: number; claimers: number }) {
  const seeder = await startTestServer({ dialect: testDatabase.dialect, testDatabase });
  try {
    const organization = await createOrganization(seeder, 'Resilient Inc');
    const product = await createProduct(seeder, 'Resilient IDE');
    const order = await placeOrder(seeder, { organizationId: organization.id, productCode: product.code, quantity: licenses });
    const admin = await signedInUser(seeder, { name: 'Ada Admin' });
    await grantOrgRole(seeder, organization.id, admin.userId, 'org_admin');
    const invitation = await admin.client.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id });
    expect(invitation.status).toBe(201);
    const people = await seedSignedInUsers(seeder, claimers, 'claimer');
    return { token: invitation.body.link.split('/invite/')[1] as string, people, teamId: order.teamId! };
  } finally {
    await seeder.close();
  }
}

/** Claims through the link for each person, `concurrency` at a time, each to the next of `baseUrls`. */
async function claimConcurrently(
  people: Claimer[],
  options: { token: string; baseUrls: string[]; concurrency: number; onOutcome?: (outcome: ClaimOutcome) => void },
): Promise<ClaimOutcome[]> {
  const outcomes: ClaimOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < people.length) {
      const index = next++;
      const claimer = people[index]!;
      const baseUrl = options.baseUrls[index % options.baseUrls.length]!;
      let outcome: ClaimOutcome;
      try {
        const response = await fetch(`${baseUrl}/api/v1/invite/claim`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: baseUrl, cookie: claimer.cookie },
          body: JSON.stringify({ token: options.token }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await response.json()) as { licenseId?: string; code?: string };
        outcome = {
          claimer,
          baseUrl,
          status: response.status,
          ...(body.licenseId ? { licenseId: body.licenseId } : {}),
          ...(body.code ? { code: body.code } : {}),
        };
      } catch {
        outcome = { claimer, baseUrl, status: 'no answer' };
      }
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}

/** Waits until every message in the outbox is delivered, then checks what the SMTP server got. */
async function expectOutboxDrained(
  testDatabase: TestDatabase,
  smtp: TestSmtpServer,
  { maxRepeats }: { maxRepeats: number },
): Promise<{ messages: number; repeats: number }> {
  const database = testDatabase.open();
  try {
    await expect
      .poll(async () => (await database.db.selectFrom('outbox').select('id').where('status', '<>', 'sent').execute()).length, {
        timeout: 90_000,
        interval: 200,
      })
      .toBe(0);
    const rows = await database.db.selectFrom('outbox').select('dedup_key').execute();
    const receivedIds = smtp.received.map((mail) => mail.messageId);
    const expectedIds = rows.map((row) => `<${row.dedup_key.replace(/[^A-Za-z0-9._-]/g, '.')}@allot>`);
    // Nothing lost: every message of the outbox reached the SMTP server, under its stable Message-ID.
    for (const id of expectedIds) expect(receivedIds, `message ${id} never arrived`).toContain(id);
    expect(new Set(receivedIds).size, 'nothing arrived that the outbox does not hold').toBe(expectedIds.length);
    const repeats = receivedIds.length - new Set(receivedIds).size;
    expect(repeats).toBeLessThanOrEqual(maxRepeats);
    return { messages: expectedIds.length, repeats };
  } finally {
    await database.close();
  }
}

async function startAllot(context: TestContext, testDatabase: TestDatabase, smtp: TestSmtpServer, extra: Record<string, string> = {}): Promise<ServerProcess> {
  const env = { ...(await serverEnvironment(databaseUrlOf(testDatabase))), SMTP_URL: smtp.url, ...extra };
  const server = await startProcess(context, env);
  await server.waitUntilHealthy(30_000);
  return server;
}

describe.each(DIALECTS)('resilience of the real server process on %s', (dialect) => {
  it('keeps every claim that got a 2xx through kill -9 mid-load, and the outbox drains after the restart', { timeout: 240_000 }, async (context) => {
    const licenses = 40;
    const testDatabase = await createTestDatabase(dialect);
    context.onTestFinished(() => testDatabase.drop());
    const smtp = await startSmtpServer();
    context.onTestFinished(() => smtp.stop());
    const { token, people } = await seedClaimRace(testDatabase, { licenses, claimers: 70 });

    const first = await startAllot(context, testDatabase, smtp);
    let succeeded = 0;
    let killed = false;
    const outcomes = await claimConcurrently(people, {
      token,
      baseUrls: [first.baseUrl],
      concurrency: 8,
      onOutcome(outcome) {
        if (outcome.status === 200) succeeded += 1;
        // Mid-load: some claims answered, others in flight, mail half delivered.
        if (succeeded === 12 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    await first.waitForExit(10_000);
    const answered = outcomes.filter((outcome) => outcome.status === 200);
    const unanswered = outcomes.filter((outcome) => outcome.status === 'no answer');
    expect(answered.length).toBeGreaterThanOrEqual(12);
    expect(unanswered.length, 'claims were still in flight when the process died').toBeGreaterThan(0);

    const second = await startAllot(context, testDatabase, smtp);
    const check = testDatabase.open();
    try {
      // Every claim that got a 2xx is there, with the license it was given.
      for (const outcome of answered) {
        const held = await check.db.selectFrom('licenses').select(['id', 'assignee_user_id']).where('id', '=', outcome.licenseId!).executeTakeFirstOrThrow();
        expect(held.assignee_user_id).toBe(outcome.claimer.userId);
      }
      await expectCountersAgreeWithRows(check);
    } finally {
      await check.close();
    }

    // The rest claim after the restart: exactly the licenses left go, and nobody gets two.
    const retried = await claimConcurrently(
      people.filter((person) => !answered.some((outcome) => outcome.claimer.userId === person.userId)),
      { token, baseUrls: [second.baseUrl], concurrency: 8 },
    );
    expect(retried.filter((outcome) => outcome.status === 'no answer')).toEqual([]);
    const winners = [...answered, ...retried.filter((outcome) => outcome.status === 200)];
    expect(winners).toHaveLength(licenses);
    expect(new Set(winners.map((outcome) => outcome.licenseId)).size).toBe(licenses);
    expect(retried.filter((outcome) => outcome.status !== 200).every((outcome) => outcome.code === 'NO_ASSETS_LEFT')).toBe(true);
    const after = testDatabase.open();
    try {
      await expectCountersAgreeWithRows(after);
    } finally {
      await after.close();
    }
    // A message SMTP accepted just before the kill, not yet marked sent, goes out once more with
    // the same Message-ID (receivers drop it): at most one delivery batch.
    const mail = await expectOutboxDrained(testDatabase, smtp, { maxRepeats: 20 });
    expect(mail.messages).toBeGreaterThanOrEqual(licenses);
    console.info(
      `[kill -9 ${dialect}] ${answered.length} claims answered 2xx before the kill, ${unanswered.length} unanswered; all ${answered.length} present after restart; ${mail.messages} messages delivered, ${mail.repeats} repeated`,
    );
    expect(await second.stop()).toBe(0);
  });

  it('delivers every due message exactly once after SMTP refused connections for a while', { timeout: 120_000 }, async (context) => {
    const smtp = await startSmtpServer();
    context.onTestFinished(() => smtp.stop());
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(smtp.url).port) });
    context.onTestFinished(() => proxy.close());
    const testDatabase = await createTestDatabase(dialect);
    const { token, people } = await seedClaimRace(testDatabase, { licenses: 10, claimers: 10 });
    const server = await startTestServer({ dialect, testDatabase, env: { SMTP_URL: `smtp://127.0.0.1:${proxy.port}` } });
    context.onTestFinished(() => server.destroy());

    proxy.pause();
    const claims = await claimConcurrently(people, { token, baseUrls: [server.baseUrl], concurrency: 4 });
    expect(claims.map((claim) => claim.status)).toEqual(people.map(() => 200));
    for (let index = 0; index < 5; index++) {
      expect(
        (await server.client().post('/api/auth/sign-up/email', { email: uniqueEmail('outage'), password: 'correct horse battery', name: 'Out Age' })).status,
      ).toBe(200);
    }
    // The worker tried and was refused: the messages wait, with an error and a later attempt.
    await expect
      .poll(async () => (await server.database.db.selectFrom('outbox').select('id').where('last_error', 'is not', null).execute()).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(smtp.received).toEqual([]);
    proxy.resume();

    const mail = await expectOutboxDrained(testDatabase, smtp, { maxRepeats: 0 });
    expect(mail.messages).toBeGreaterThanOrEqual(people.length + 5);
  });
});

describe('several instances over one PostgreSQL (postgres only)', () => {
  it('gives exactly as many winners as licenses across three processes, and delivers each message once', { timeout: 240_000 }, async (context) => {
    const licenses = 30;
    const testDatabase = await createTestDatabase('postgres');
    context.onTestFinished(() => testDatabase.drop());
    const smtp = await startSmtpServer();
    context.onTestFinished(() => smtp.stop());
    const { token, people } = await seedClaimRace(testDatabase, { licenses, claimers: 120 });
    const instances = await Promise.all([0, 1, 2].map(() => startAllot(context, testDatabase, smtp)));

    const outcomes = await claimConcurrently(people, { token, baseUrls: instances.map((instance) => instance.baseUrl), concurrency: 24 });
    const winners = outcomes.filter((outcome) => outcome.status === 200);
    expect(winners).toHaveLength(licenses);
    expect(new Set(winners.map((outcome) => outcome.licenseId)).size).toBe(licenses);
    expect(outcomes.filter((outcome) => outcome.status !== 200).map((outcome) => outcome.code)).toEqual(Array(people.length - licenses).fill('NO_ASSETS_LEFT'));
    // Every instance took part in the race, and won some of it.
    for (const instance of instances) {
      expect(winners.filter((outcome) => outcome.baseUrl === instance.baseUrl).length, instance.baseUrl).toBeGreaterThan(0);
    }
    const check = testDatabase.open();
    try {
      await expectCountersAgreeWithRows(check);
    } finally {
      await check.close();
    }
    await expectOutboxDrained(testDatabase, smtp, { maxRepeats: 0 });
    for (const instance of instances) expect(await instance.stop()).toBe(0);
  });
});
