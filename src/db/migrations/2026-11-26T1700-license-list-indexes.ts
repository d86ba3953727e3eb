import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Indexes the 100k-license benchmark asked for:
 * - the assignee prefix filter (LIKE 'prefix%'): SQLite's LIKE is case-insensitive and only uses a
 *   NOCASE index; PostgreSQL only uses a b-tree for LIKE with text_pattern_ops (or the C collation);
 * - the per-team/per-product counts: a covering index, so counting never visits the table.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('licenses_org_assignee_idx').execute();
  if (dialect === 'postgres') {
    await sql`create index licenses_org_assignee_idx on licenses (organization_id, assignee_email text_pattern_ops)`.execute(db);
  } else {
    await sql`create index licenses_org_assignee_idx on licenses (organization_id, assignee_email collate nocase)`.execute(db);
  }
  await db.schema
    .createIndex('licenses_org_counts_idx')
    .on('licenses')
    .columns(['organization_id', 'product_id', 'team_id', 'valid_until', 'assignee_email'])
    .execute();
}
