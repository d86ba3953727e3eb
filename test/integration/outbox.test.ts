import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDbTime } from '../../src/db/column-types.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { sealerFor } from '../../src/lib/sealing.js';
import { outboxRepository } from '../../src/mail/outbox.repository.js';
import { signUp, uniqueEmail } from '../support/accounts.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, TEST_SECRET, type TestServer } from '../support/test-server.js';

const content = (subject: string) => ({ subject, text: `Body of ${subject}: http://localhost/x`, html: `<p>${subject}</p>` });

async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(DIALECTS)('the mail outbox on %s', (dialect) => {
  let server: TestServer;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ dialect, smtp });
  });
  afterAll(async () => {
    await server?.destroy();
    await smtp?.stop();
  });

  const rowFor = (dedupKey: string) => server.database.db.selectFrom('outbox').selectAll().where('dedup_key', '=', dedupKey).executeTakeFirstOrThrow();

  it('delivers a queued message over SMTP once, and ignores a second enqueue with the same key', async () => {
    const to = uniqueEmail('outbox');
    const dedupKey = `test:${to}`;
    expect(await server.services.mailer.enqueue({ to, dedupKey, content: content('Hello once') })).toBe(true);
    expect(await server.services.mailer.enqueue({ to, dedupKey, content: content('Hello once') })).toBe(false);

    const mail = await smtp.waitFor((m) => m.to.includes(to));
    expect(mail.subject).toBe('Hello once');
    expect(mail.html).toContain('<p>Hello once</p>');
    const row = await waitUntil(
      () => rowFor(dedupKey),
      (r) => r.status === 'sent',
    );
    expect(row.sent_at).not.toBeNull();
    // Another pass of the worker sends nothing more.
    await server.services.deliveryWorker.runOnce();
    expect(smtp.received.filter((m) => m.to.includes(to))).toHaveLength(1);
  });

  it('keeps a message through an SMTP outage and delivers it when SMTP is back', async () => {
    const to = uniqueEmail('outage');
    const dedupKey = `test:${to}`;
    smtp.down();
    try {
      await server.services.mailer.enqueue({ to, dedupKey, content: content('Through the outage') });
      const failed = await waitUntil(
        () => rowFor(dedupKey),
        (r) => r.attempts >= 1 && r.last_error !== null,
      );
      expect(failed.status).toBe('pending');
      expect(new Date(failed.next_attempt_at).getTime(), 'backs off before retrying').toBeGreaterThan(Date.now() + 1000);
    } finally {
      smtp.up();
    }
    // Let the backoff elapse without waiting for it.
    await server.database.db
      .updateTable('outbox')
      .set({ next_attempt_at: toDbTime(new Date()) })
      .where('dedup_key', '=', dedupKey)
      .execute();
    await smtp.waitFor((m) => m.to.includes(to));
    expect(
      (
        await waitUntil(
          () => rowFor(dedupKey),
          (r) => r.status === 'sent',
        )
      ).attempts,
    ).toBe(2);
  });

  it('marks a message failed when the server rejects the recipient permanently', async () => {
    const to = `no-such-mailbox-${Date.now()}@example.test`;
    await server.services.mailer.enqueue({ to, dedupKey: `test:${to}`, content: content('Nobody home') });
    const row = await waitUntil(
      () => rowFor(`test:${to}`),
      (r) => r.status !== 'pending',
    );
    expect(row.status).toBe('failed');
    expect(row.last_error).toContain('Mailbox unavailable');
  });
});

describe.each(DIALECTS)('mail without SMTP on %s', (dialect) => {
  it('keeps mail in the outbox, shows it in the dev mailbox, and sends it after a restart with SMTP', async () => {
    const testDatabase = await createTestDatabase(dialect);
    const smtp = await startSmtpServer();
    let server = await startTestServer({ dialect, testDatabase });
    try {
      const instance = await server.client().get('/api/v1/instance');
      expect(instance.body.mailMode).toBe('dev-mailbox');
      const email = uniqueEmail('newcomer');
      await signUp(server.client(), { email });

      const mailbox = await waitUntil(
        () => server.client().get('/api/v1/dev/mailbox'),
        (r) => r.body.messages?.some((m: { to: string }) => m.to === email),
      );
      const message = mailbox.body.messages.find((m: { to: string }) => m.to === email);
      expect(message).toMatchObject({ subject: 'Verify your email address', status: 'pending' });
      expect(message.text).toContain(`${server.baseUrl}/api/auth/verify-email?token=`);

      // The worker has printed it (logged_at) but not dropped it.
      await waitUntil(
        () => server.database.db.selectFrom('outbox').select('logged_at').where('to_address', '=', email).executeTakeFirstOrThrow(),
        (r) => r.logged_at !== null,
      );

      server = await server.restart({ smtp });
      const delivered = await smtp.waitFor((m) => m.to.includes(email));
      expect(delivered.subject).toBe('Verify your email address');
      expect((await server.client().get('/api/v1/dev/mailbox')).status, 'no dev mailbox once SMTP is configured').toBe(404);
    } finally {
      await server.destroy();
      await smtp.stop();
    }
  });
});

// Several app instances may share one PostgreSQL database; SQLite has a single writer process.
describe('the mail outbox with several instances on postgres', () => {
  it('never leases the same message to two workers at once', async () => {
    const testDatabase = await createTestDatabase('postgres');
    const first = testDatabase.open();
    const second = testDatabase.open();
    const repo = outboxRepository('postgres', sealerFor(TEST_SECRET, 'outbox-body'));
    try {
      await migrateToLatest(first.db, 'postgres');
      const now = new Date();
      for (let i = 0; i < 40; i++) {
        await repo.insert(first.db, [{ dedupKey: `lease-${i}`, to: 'lease@example.test', subject: 's', text: 't', html: null }], now);
      }
      const leaseUntil = new Date(now.getTime() + 60_000);
      const lease = (database: typeof first) => database.db.transaction().execute((trx) => repo.leaseDue(trx, { now, leaseUntil, limit: 25 }));
      const [a, b] = await Promise.all([lease(first), lease(second)]);
      const ids = [...a, ...b].map((m) => m.id);
      expect(new Set(ids).size, 'no message leased twice').toBe(ids.length);
      expect(ids.length, 'SKIP LOCKED moves on to other rows instead of waiting').toBe(40);
      expect(await lease(first), 'leased rows stay reserved').toEqual([]);
    } finally {
      await first.close();
      await second.close();
      await testDatabase.drop();
    }
  });
});
