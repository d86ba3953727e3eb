import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { precompiled } from '../../src/db/precompiled.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';

type Scratch = { scratch: { id: number; owner: string; note: string | null } };

// Built once, at module level, as the repositories do: the same function serves both dialects.
const notesOf = precompiled((db, values: { owner: string; after: number }) =>
  (db as unknown as Kysely<Scratch>)
    .selectFrom('scratch')
    .select(['id', 'note'])
    .where('owner', '=', values.owner)
    .where('id', '>', values.after)
    .orderBy('id')
    .limit(2),
);

const renote = precompiled((db, values: { id: number; note: string | null }) =>
  (db as unknown as Kysely<Scratch>).updateTable('scratch').set({ note: values.note }).where('id', '=', values.id).returning(['id', 'note']),
);

describe.each(DIALECTS)('precompiled queries on %s', (dialect) => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(dialect);
    database = testDatabase.open();
    await sql`create table scratch (id integer primary key, owner text not null, note text)`.execute(database.db);
    await sql`insert into scratch values (1, 'ann', 'a1'), (2, 'bob', 'b2'), (3, 'ann', 'a3'), (4, 'ann', 'a4'), (5, 'ann', null)`.execute(database.db);
  });

  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  it('binds each run’s values in the compiled statement, and keeps the query’s own constants', async () => {
    expect(await notesOf(database.db, { owner: 'ann', after: 0 })).toEqual([
      { id: 1, note: 'a1' },
      { id: 3, note: 'a3' },
    ]);
    // Same statement, other values: the limit (a constant of the query) still holds.
    expect(await notesOf(database.db, { owner: 'ann', after: 3 })).toEqual([
      { id: 4, note: 'a4' },
      { id: 5, note: null },
    ]);
    expect(await notesOf(database.db, { owner: 'bob', after: 0 })).toEqual([{ id: 2, note: 'b2' }]);
    expect(await notesOf(database.db, { owner: 'nobody', after: 0 })).toEqual([]);
  });

  it('runs inside a transaction, null values included, and rolls back with it', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        expect(await renote(trx, { id: 2, note: null })).toEqual([{ id: 2, note: null }]);
        expect(await notesOf(trx, { owner: 'bob', after: 0 })).toEqual([{ id: 2, note: null }]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await notesOf(database.db, { owner: 'bob', after: 0 })).toEqual([{ id: 2, note: 'b2' }]);
  });

  it('refuses a query that writes a value into its SQL text instead of binding it', async () => {
    const inlined = precompiled((db, values: { owner: string }) =>
      (db as unknown as Kysely<Scratch>)
        .selectFrom('scratch')
        .select('id')
        .where(sql<boolean>`owner = ${sql.lit(values.owner)}`),
    );
    await expect(inlined(database.db, { owner: 'ann' })).rejects.toThrow(/must take its values as parameters/);
  });
});
