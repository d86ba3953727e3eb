import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Indexes the claim benchmark asked for (docs/PERFORMANCE.md):
 * - the claim's pick of a free license (newest valid-until first, then id) read every free license
 *   of the pool and sorted them: at 60,000 free licenses that was most of a claim's time. A partial
 *   index over free licenses in exactly that order makes it one index step. It replaces the index
 *   on (team, product, assignee), which nothing else used and which PostgreSQL, before its first
 *   ANALYZE of a freshly imported order, preferred (then sorted 60,000 rows per claim);
 * - without SMTP, the worker's look for messages it has not noted yet scanned the whole outbox.
 *   Messages that left 'pending' count as noted from now on, so the index holds only the waiting.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`drop index licenses_team_product_free_idx`.execute(db);
  await sql`create index licenses_free_pick_idx on licenses (team_id, product_id, valid_until desc, id) where assignee_email is null`.execute(db);
  await sql`update outbox set logged_at = coalesce(sent_at, created_at) where status <> 'pending' and logged_at is null`.execute(db);
  await sql`create index outbox_unlogged_idx on outbox (id) where logged_at is null`.execute(db);
}
