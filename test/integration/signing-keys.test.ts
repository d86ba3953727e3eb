import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { cliActor } from '../../src/modules/access/actor.js';
import { auditRepository } from '../../src/modules/audit/audit.repository.js';
import { signingKeysRepository } from '../../src/modules/signing-keys/signing-keys.repository.js';
import { signingKeysService } from '../../src/modules/signing-keys/signing-keys.service.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { TEST_SECRET } from '../support/test-server.js';

describe.each(DIALECTS)('signing keys shared by two instances on %s', (dialect) => {
  let testDatabase: TestDatabase;
  let database: Database;
  let nowMs = Date.now();
  const clock = { now: () => new Date(nowMs) };
  const instance = () => signingKeysService({ db: database.db, repo: signingKeysRepository, audit: auditRepository, clock, instanceSecret: TEST_SECRET });

  beforeAll(async () => {
    testDatabase = await createTestDatabase(dialect);
    database = testDatabase.open();
    await migrateToLatest(database.db, database.dialect);
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it('picks up a key rotated elsewhere within 30 seconds, reloading outside any transaction', async () => {
    const first = instance();
    const second = instance();
    await first.ensureKey();
    await second.ensureKey();
    const before = await first.signer();
    expect((await second.signer()).kid).toBe(before.kid);

    const { kid: rotated } = await second.rotate(cliActor);
    // Still cached: the first instance signs with the old key, which stays published for its tickets.
    expect((await first.signer()).kid).toBe(before.kid);
    nowMs += 31_000;
    const after = await first.signer();
    expect(after.kid).toBe(rotated);
    // Signing happens in the caller's transaction and must not need another connection.
    const token = await database.db.transaction().execute((trx) => after.sign(trx, { sub: 'license' }, new Date(nowMs + 3_600_000)));
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid).toBe(rotated);
    expect((await first.jwks()).keys.map((key) => key.kid)).toContain(rotated);
  });

  it('refuses to start with another instance secret, naming the likely cause', async () => {
    const wrongSecret = signingKeysService({
      db: database.db,
      repo: signingKeysRepository,
      audit: auditRepository,
      clock,
      instanceSecret: `${TEST_SECRET}-other`,
    });
    await expect(wrongSecret.ensureKey()).rejects.toThrow(/AUTH_SECRET/);
  });
});
