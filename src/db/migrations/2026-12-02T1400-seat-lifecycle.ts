import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';
import type { Dialect } from '../database.js';

const END_REASONS = `('revoked', 'expired', 'reclaimed', 'returned', 'account_deleted')`;

/**
 * Seat lifecycle (issue 13):
 * - usage_daily: one row per day per pool (organization, team, product), written by the usage
 *   job; the primary key is what lets several instances run the job without doubling.
 * - organizations: the low-seat threshold, the idle-seat reclaim policy and the 2FA policy.
 * - license_assignments: a hold can also end because it was reclaimed (idle), given back by its
 *   holder or its holder's account was deleted; `kept_at` records "I still use it" and
 *   `idle_warned_at` the warning before a reclaim. SQLite cannot change a CHECK constraint, so
 *   there the table is rebuilt with the same column types, indexes and rows.
 * - notice_opt_outs: an admin's "no expiry notices" / "no low-seat alerts", per organization.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('usage_daily')
    // The UTC calendar day, 'YYYY-MM-DD' (sorts as text on both dialects).
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('product_id', t.id, (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('assigned', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_daily_pk', ['organization_id', 'day', 'team_id', 'product_id'])
    .execute();

  await db.schema
    .alterTable('organizations')
    .addColumn('low_seat_threshold', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('organizations').addColumn('reclaim_idle_days', 'integer').execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('require_two_factor', 'text', (c) =>
      c
        .notNull()
        .defaultTo('off')
        .check(sql`require_two_factor in ('off', 'admins', 'everyone')`),
    )
    .execute();
  await db.schema.alterTable('organizations').addColumn('two_factor_grace_until', t.timestamp).execute();

  await db.schema
    .createTable('notice_opt_outs')
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('expiry', 'low_seats')`))
    .addPrimaryKeyConstraint('notice_opt_outs_pk', ['user_id', 'organization_id', 'kind'])
    .execute();

  if (dialect === 'postgres') {
    await sql`alter table license_assignments drop constraint if exists license_assignments_end_reason_check`.execute(db);
    await sql.raw(`alter table license_assignments add constraint license_assignments_end_reason_check check (end_reason in ${END_REASONS})`).execute(db);
    await sql`alter table license_assignments add column kept_at timestamptz, add column idle_warned_at timestamptz`.execute(db);
  } else {
    await sql`alter table license_assignments rename to license_assignments_old`.execute(db);
    await sql`drop index license_assignments_one_active`.execute(db);
    await sql`drop index license_assignments_user_idx`.execute(db);
    await sql
      .raw(
        `create table license_assignments (
      id integer primary key autoincrement,
      license_id text not null references licenses (id) on delete cascade,
      email text not null,
      user_id text references users (id) on delete set null,
      source text not null check (source in ('manual', 'invitation', 'api')),
      invitation_id text,
      assigned_by_user_id text references users (id) on delete set null,
      assigned_at date not null,
      ended_at date,
      end_reason text check (end_reason in ${END_REASONS}),
      kept_at date,
      idle_warned_at date,
      constraint license_assignments_end_complete check ((ended_at is null) = (end_reason is null))
    )`,
      )
      .execute(db);
    await sql`insert into license_assignments (id, license_id, email, user_id, source, invitation_id, assigned_by_user_id, assigned_at, ended_at, end_reason)
              select id, license_id, email, user_id, source, invitation_id, assigned_by_user_id, assigned_at, ended_at, end_reason from license_assignments_old`.execute(
      db,
    );
    await sql`drop table license_assignments_old`.execute(db);
    await db.schema
      .createIndex('license_assignments_one_active')
      .on('license_assignments')
      .column('license_id')
      .unique()
      .where(sql.ref('ended_at'), 'is', null)
      .execute();
    await db.schema.createIndex('license_assignments_user_idx').on('license_assignments').columns(['user_id', 'assigned_at']).execute();
  }
  // The usage backfill and the reclaim job read assignments by when they ended.
  await db.schema.createIndex('license_assignments_ended_idx').on('license_assignments').columns(['end_reason', 'ended_at']).execute();
}
