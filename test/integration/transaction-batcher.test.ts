import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/database.js';
import { createTransactionBatcher } from '../../src/db/transaction-batcher.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';

describe.each(DIALECTS)('group commit on %s', (dialect) => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(dialect);
    database = testDatabase.open();
    await migrateToLatest(database.db, dialect);
  });
  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  const keys = async (prefix: string) =>
    (await database.db.selectFrom('rate_limits').select('key').where('key', 'like', `${prefix}%`).orderBy('key').execute()).map((row) => row.key);
  const write = (key: string) => (trx: Parameters<Parameters<ReturnType<typeof createTransactionBatcher>['run']>[0]>[0]) =>
    trx.insertInto('rate_limits').values({ key, window_started_at: 0, hits: 1 }).execute();

  it('commits many callers in few transactions, and undoes only the work that failed', async () => {
    const batcher = createTransactionBatcher(database.db);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) =>
        batcher.run(async (trx) => {
          await write(`ok-${String(index).padStart(2, '0')}`)(trx);
          // Every fifth work fails after writing: its row must vanish, its neighbours' stay.
          if (index % 5 === 0) throw new Error(`work ${index} fails`);
          return index;
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason.message))).toEqual(
      [0, 5, 10, 15, 20, 25, 30, 35].map((index) => `work ${index} fails`),
    );
    expect(results.filter((result) => result.status === 'fulfilled').map((result) => (result as PromiseFulfilledResult<number>).value)).toHaveLength(32);
    const written = await keys('ok-');
    expect(written).toHaveLength(32);
    expect(written).not.toContain('ok-00');
    expect(written).toContain('ok-01');
  });

  it('answers everyone with the failure when the commit fails, and writes nothing of the batch', async () => {
    // A deferred foreign key is checked at COMMIT, on both dialects: one bad row fails the commit.
    await sql`create table batch_probe (id integer primary key, parent integer references batch_probe (id) deferrable initially deferred)`.execute(database.db);
    const batcher = createTransactionBatcher(database.db);
    let answered = 0;
    const runs = Array.from({ length: 5 }, (_, index) =>
      batcher
        .run(async (trx) => {
          await write(`commit-${index}`)(trx);
          if (index === 2) await sql`insert into batch_probe (id, parent) values (1, 999)`.execute(trx);
          return index;
        })
        .finally(() => {
          answered += 1;
        }),
    );
    const results = await Promise.allSettled(runs);
    expect(answered).toBe(5);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(await keys('commit-')).toEqual([]);
    // The batcher goes on working after a failed batch.
    expect(await batcher.run(async (trx) => (await write('commit-after')(trx), 'ok'))).toBe('ok');
    expect(await keys('commit-')).toEqual(['commit-after']);
  });

  it('runs writes left for the commit once per key, with the items of the works that succeeded', async () => {
    const batcher = createTransactionBatcher(database.db);
    const calls: string[][] = [];
    const seenBefore: number[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) =>
        batcher.run(async (trx, batch) => {
          seenBefore.push(batch.countBefore('tally'));
          batch.beforeCommit('tally', `item-${index}`, async (commitTrx, items: string[]) => {
            calls.push(items);
            await commitTrx
              .insertInto('rate_limits')
              .values({ key: `tally-${items.length}`, window_started_at: 0, hits: items.length })
              .execute();
          });
          if (index === 3) throw new Error('work 3 fails after registering');
          return trx ? index : -1;
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(calls).toEqual([['item-0', 'item-1', 'item-2', 'item-4', 'item-5']]);
    expect(seenBefore).toEqual([0, 1, 2, 3, 3, 4]);
    expect(await keys('tally-')).toEqual(['tally-5']);
  });

  it('runs works of one batch one after another, each seeing the writes before it', async () => {
    const batcher = createTransactionBatcher(database.db);
    const seen = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        batcher.run(async (trx) => {
          await write(`seq-${index}`)(trx);
          return (await trx.selectFrom('rate_limits').select('key').where('key', 'like', 'seq-%').execute()).length;
        }),
      ),
    );
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

// SQLite is a file in the process: there is no connection to be refused.
describe('group commit without a database (postgres only)', () => {
  it('tells every waiting caller at once when no transaction can be had, instead of waiting for the database', async () => {
    const unreachable = openDatabase({ dialect: 'postgres', connectionString: 'postgres://postgres@127.0.0.1:1/nothing' });
    try {
      const batcher = createTransactionBatcher(unreachable.db);
      const started = Date.now();
      const results = await Promise.allSettled(Array.from({ length: 3 }, () => batcher.run(async () => 'never')));
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/ECONNREFUSED|connect/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await unreachable.close();
    }
  });
});
