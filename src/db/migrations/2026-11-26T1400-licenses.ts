import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';
import type { Dialect } from '../database.js';

/**
 * Organizations get teams, products, orders and licenses; team roles, admin invitations, operator
 * API tokens, the license assignment history and the audit log.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = columnTypes(dialect);
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  const serialKey = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .alterTable('organizations')
    .addColumn('min_days_before_revoke', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`min_days_before_revoke between 0 and 365`),
    )
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('code', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`length(code) between 1 and 32`),
    )
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('description', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addUniqueConstraint('teams_name_unique', ['organization_id', 'name'])
    .execute();

  await db.schema
    .createTable('team_roles')
    .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('team_admin', 'team_viewer')`))
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addPrimaryKeyConstraint('team_roles_pk', ['team_id', 'user_id', 'role'])
    .execute();
  await db.schema.createIndex('team_roles_user_idx').on('team_roles').column('user_id').execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('reference', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`length(reference) between 1 and 100`),
    )
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('product_id', t.id, (c) => c.notNull().references('products.id'))
    .addColumn('team_id', t.id, (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity between 0 and 100000`))
    .addColumn('valid_until', t.timestamp, (c) => c.notNull())
    .addColumn('renews_order_id', t.id, (c) => c.references('orders.id'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('api', 'console', 'csv')`))
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .execute();
  await db.schema.createIndex('orders_organization_idx').on('orders').columns(['organization_id', 'created_at']).execute();

  await db.schema
    .createTable('licenses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id'))
    .addColumn('product_id', t.id, (c) => c.notNull().references('products.id'))
    .addColumn('order_id', t.id, (c) => c.notNull().references('orders.id'))
    .addColumn('valid_until', t.timestamp, (c) => c.notNull())
    // The current holder, kept beside the history so a claim is one guarded UPDATE. While an
    // assignment waits for its address to be verified, only the email is set.
    .addColumn('assignee_email', 'text', (c) => c.check(sql`assignee_email = lower(assignee_email)`))
    .addColumn('assignee_user_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('assigned_at', t.timestamp)
    .addColumn('last_seen_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addCheckConstraint('licenses_assignment_complete', sql`(assignee_email is null) = (assigned_at is null)`)
    .addCheckConstraint('licenses_user_needs_email', sql`assignee_user_id is null or assignee_email is not null`)
    .execute();
  for (const [name, columns] of [
    ['licenses_org_idx', ['organization_id', 'id']],
    ['licenses_org_product_idx', ['organization_id', 'product_id', 'id']],
    ['licenses_org_team_idx', ['organization_id', 'team_id', 'id']],
    ['licenses_team_product_free_idx', ['team_id', 'product_id', 'assignee_email']],
    ['licenses_assignee_user_idx', ['assignee_user_id']],
    ['licenses_org_assignee_idx', ['organization_id', 'assignee_email']],
    ['licenses_order_idx', ['order_id', 'id']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('licenses')
      .columns([...columns])
      .execute();
  }

  // One license per person per product in an organization: a retry, a double click or two admins
  // assigning at once cannot hand someone a second seat.
  await db.schema
    .createIndex('licenses_one_per_person')
    .on('licenses')
    .columns(['organization_id', 'product_id', 'assignee_email'])
    .unique()
    .where(sql.ref('assignee_email'), 'is not', null)
    .execute();

  await db.schema
    .createTable('license_assignments')
    .addColumn('id', serial, serialKey)
    .addColumn('license_id', 'text', (c) => c.notNull().references('licenses.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('user_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual', 'invitation', 'api')`))
    .addColumn('invitation_id', t.id)
    .addColumn('assigned_by_user_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('assigned_at', t.timestamp, (c) => c.notNull())
    .addColumn('ended_at', t.timestamp)
    .addColumn('end_reason', 'text', (c) => c.check(sql`end_reason in ('revoked', 'expired')`))
    .addCheckConstraint('license_assignments_end_complete', sql`(ended_at is null) = (end_reason is null)`)
    .execute();
  // The rule behind every claim and assignment: a license has at most one active assignment.
  await db.schema
    .createIndex('license_assignments_one_active')
    .on('license_assignments')
    .column('license_id')
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
  await db.schema.createIndex('license_assignments_user_idx').on('license_assignments').columns(['user_id', 'assigned_at']).execute();

  await db.schema
    .createTable('role_invitations')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', t.id, (c) => c.references('teams.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email = lower(email)`))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('org_admin', 'org_viewer', 'team_admin', 'team_viewer')`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by_user_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('accepted_at', t.timestamp)
    .addColumn('accepted_by_user_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addCheckConstraint('role_invitations_team_role', sql`(team_id is null) = (role in ('org_admin', 'org_viewer'))`)
    .execute();
  await db.schema.createIndex('role_invitations_org_idx').on('role_invitations').columns(['organization_id', 'created_at']).execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('operator')`))
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('last_used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', serial, serialKey)
    .addColumn('organization_id', t.id, (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', t.id)
    .addColumn('actor_user_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('details', t.json)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  for (const [name, columns] of [
    ['audit_events_org_idx', ['organization_id', 'id']],
    ['audit_events_org_action_idx', ['organization_id', 'action', 'id']],
    ['audit_events_org_team_idx', ['organization_id', 'team_id', 'id']],
    ['audit_events_org_actor_idx', ['organization_id', 'actor_user_id', 'id']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('audit_events')
      .columns([...columns])
      .execute();
  }
}
