import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

type Scratch = { scratch: { id: number; name: string } };

/** The statements this connection keeps prepared, as PostgreSQL lists them. */
async function preparedOn(connection: Kysely<Scratch>): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements order by statement`.execute(connection);
  return rows.map((row) => row.statement);
}

// SQLite prepares statements in the server's own process (db/database.ts withStatementCache):
// there is no server-side list to read. This is PostgreSQL's half of the same saving.
describe('prepared statements on postgres', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase('postgres');
    database = openDatabase(testDatabase.config);
    await sql`create table scratch (id integer primary key, name text not null)`.execute(database.db);
    await sql`insert into scratch values (1, 'one'), (2, 'two')`.execute(database.db);
  });

  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  it('prepares each data statement once per connection and reuses it', async () => {
    await (database.db as unknown as Kysely<Scratch>).connection().execute(async (connection) => {
      const byId = (id: number) => connection.selectFrom('scratch').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
      expect(await byId(1)).toEqual({ id: 1, name: 'one' });
      expect(await byId(2)).toEqual({ id: 2, name: 'two' });
      const prepared = await preparedOn(connection);
      expect(prepared.filter((statement) => statement.includes('from "scratch"'))).toEqual(['select "id", "name" from "scratch" where "id" = $1']);
      // Kept, but planned for its values each time: a generic plan made the license list's
      // order-reference filter twice as slow at 100,000 licenses.
      const { rows } = await sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(connection);
      expect(rows[0]!.plan_cache_mode).toBe('force_custom_plan');
    });
  });

  it('never prepares `*` selections or DDL, so a migration on another instance cannot break a kept statement', async () => {
    await (database.db as unknown as Kysely<Scratch>).connection().execute(async (connection) => {
      const everything = () => connection.selectFrom('scratch').selectAll().orderBy('id').execute();
      const named = () => connection.selectFrom('scratch').select(['id', 'name']).where('id', '=', 1).executeTakeFirst();
      await everything();
      await named();
      await sql`alter table scratch add column added integer`.execute(connection);
      // A prepared `select *` would now fail with "cached plan must not change result type".
      expect((await everything())[0]).toEqual({ id: 1, name: 'one', added: null });
      expect(await named()).toEqual({ id: 1, name: 'one' });
      const prepared = await preparedOn(connection);
      expect(prepared.some((statement) => statement.includes('*') && !statement.includes('count(*)'))).toBe(false);
      expect(prepared.some((statement) => /alter|create/i.test(statement))).toBe(false);
      await sql`alter table scratch drop column added`.execute(connection);
    });
  });

  it('prepares nothing when DATABASE_PREPARED_STATEMENTS is off (PgBouncer in transaction mode)', async () => {
    const unprepared = openDatabase({ ...testDatabase.config, preparedStatements: false });
    try {
      await (unprepared.db as unknown as Kysely<Scratch>).connection().execute(async (connection) => {
        expect(await connection.selectFrom('scratch').select('name').where('id', '=', 2).executeTakeFirst()).toEqual({ name: 'two' });
        expect(await preparedOn(connection)).toEqual([]);
        const { rows } = await sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(connection);
        expect(rows[0]!.plan_cache_mode).toBe('auto');
      });
    } finally {
      await unprepared.close();
    }
  });
});
