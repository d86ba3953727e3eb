import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sessionTokenDigest } from '../../src/auth/session-tokens.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';

/** Data migrations: what was in the database before them still works after them. */
describe.each(DIALECTS)('upgrading sessions to stored digests on %s', (dialect) => {
  it('keeps existing sessions working: their stored token becomes the digest of what the cookie holds', async () => {
    const testDatabase = await createTestDatabase(dialect);
    const database = testDatabase.open();
    try {
      await migrateToLatest(database.db, database.dialect, { upTo: '2026-11-26T1900-activations' });
      const now = new Date().toISOString();
      const userId = randomUUID();
      await database.db.insertInto('users').values({ id: userId, name: 'Old session', email: `old-${process.pid}@example.test`, email_verified: 1, created_at: now, updated_at: now }).execute();
      const rawToken = 'a-session-token-from-before-digests';
      await database.db.insertInto('sessions').values({ id: randomUUID(), token: rawToken, user_id: userId, expires_at: now, created_at: now, updated_at: now }).execute();

      expect(await migrateToLatest(database.db, database.dialect)).toEqual(['2026-11-26T2000-session-token-digests']);
      const stored = await database.db.selectFrom('sessions').select('token').where('user_id', '=', userId).executeTakeFirstOrThrow();
      expect(stored.token).toBe(sessionTokenDigest(rawToken));
    } finally {
      await database.close();
      await testDatabase.drop();
    }
  });
});
