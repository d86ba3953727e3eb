import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';
import type { Dialect } from '../database.js';

/**
 * Counters of licenses per (team, product, valid-until), kept in the same transactions that
 * create, extend, assign, free and move licenses. Counts then read a few hundred counter rows
 * instead of every license; grouping by valid-until keeps "not expired" exact without a clock.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('license_pools')
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', t.id, (c) => c.notNull())
    .addColumn('product_id', t.id, (c) => c.notNull())
    .addColumn('valid_until', t.timestamp, (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().check(sql`total >= 0`))
    .addColumn('assigned', 'integer', (c) => c.notNull().check(sql`assigned >= 0 and assigned <= total`))
    .addPrimaryKeyConstraint('license_pools_pk', ['team_id', 'product_id', 'valid_until'])
    .execute();
  await db.schema.createIndex('license_pools_org_idx').on('license_pools').columns(['organization_id', 'valid_until']).execute();
  await sql`
    insert into license_pools (organization_id, team_id, product_id, valid_until, total, assigned)
    select organization_id, team_id, product_id, valid_until, count(*), count(assignee_email)
    from licenses group by organization_id, team_id, product_id, valid_until
  `.execute(db);
}
