import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sessionTokenDigest } from '../../src/auth/session-tokens.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { startTestServer } from '../support/test-server.js';

/** Data migrations: what was in the database before them still works after them. */
describe.each(DIALECTS)('upgrading sessions to stored digests on %s', (dialect) => {
  it('keeps existing sessions working: their stored token becomes the digest of what the cookie holds', async () => {
    const testDatabase = await createTestDatabase(dialect);
    const database = testDatabase.open();
    try {
      await migrateToLatest(database.db, database.dialect, { upTo: '2026-11-26T1900-activations' });
      const now = new Date().toISOString();
      const userId = randomUUID();
      await database.db
        .insertInto('users')
        .values({ id: userId, name: 'Old session', email: `old-${process.pid}@example.test`, email_verified: 1, created_at: now, updated_at: now })
        .execute();
      const rawToken = 'a-session-token-from-before-digests';
      await database.db
        .insertInto('sessions')
        .values({ id: randomUUID(), token: rawToken, user_id: userId, expires_at: now, created_at: now, updated_at: now })
        .execute();

      expect(await migrateToLatest(database.db, database.dialect, { upTo: '2026-11-26T2000-session-token-digests' })).toEqual([
        '2026-11-26T2000-session-token-digests',
      ]);
      const stored = await database.db.selectFrom('sessions').select('token').where('user_id', '=', userId).executeTakeFirstOrThrow();
      expect(stored.token).toBe(sessionTokenDigest(rawToken));
    } finally {
      await database.close();
      await testDatabase.drop();
    }
  });
});

describe.each(DIALECTS)('upgrading the outbox to sealed bodies on %s', (dialect) => {
  it('erases delivered bodies, and the server seals the ones still waiting at its start', async () => {
    const testDatabase = await createTestDatabase(dialect);
    const database = testDatabase.open();
    const link = 'http://localhost/reset-password?token=a-token-written-before-sealing';
    try {
      await migrateToLatest(database.db, database.dialect, { upTo: '2026-11-26T2000-session-token-digests' });
      const now = new Date().toISOString();
      const message = (dedupKey: string, status: 'pending' | 'sent') => ({
        dedup_key: dedupKey,
        to_address: 'old@example.test',
        subject: 'Old',
        text_body: `Open ${link}`,
        html_body: `<a href="${link}">x</a>`,
        status,
        next_attempt_at: now,
        created_at: now,
      });
      await database.db
        .insertInto('outbox')
        .values([message('old-sent', 'sent'), message('old-pending', 'pending')])
        .execute();

      expect(await migrateToLatest(database.db, database.dialect, { upTo: '2026-12-02T1000-outbox-erase-delivered' })).toEqual([
        '2026-12-02T1000-outbox-erase-delivered',
      ]);
      const sent = await database.db.selectFrom('outbox').select(['text_body', 'html_body']).where('dedup_key', '=', 'old-sent').executeTakeFirstOrThrow();
      expect(sent).toEqual({ text_body: '', html_body: null });
    } finally {
      await database.close();
    }
    // No SMTP: the pending message stays queued, now sealed, and the dev mailbox still reads it.
    const server = await startTestServer({ dialect, testDatabase });
    try {
      const pending = await server.database.db
        .selectFrom('outbox')
        .select(['text_body', 'html_body'])
        .where('dedup_key', '=', 'old-pending')
        .executeTakeFirstOrThrow();
      expect(pending.text_body).toMatch(/^sealed:v1\./);
      expect(pending.html_body).toBeNull();
      const mailbox = await server.client().get('/api/v1/dev/mailbox');
      const shown = mailbox.body.messages.find((m: { subject: string; text: string }) => m.subject === 'Old');
      expect(shown.text).toBe(`Open ${link}`);
    } finally {
      await server.destroy();
    }
  });
});
