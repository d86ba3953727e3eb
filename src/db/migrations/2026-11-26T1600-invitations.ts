import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';
import type { Dialect } from '../database.js';

/** Bulk invitations (shareable claim links), their claims, waiting lists and admins' notification choices. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = columnTypes(dialect);
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  const serialKey = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('invitations')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('product_id', t.id, (c) => c.notNull().references('products.id'))
    .addColumn('name', 'text', (c) => c.check(sql`length(name) <= 200`))
    // The link's token is HMAC(secret, id, nonce): admins can copy the link again, while the
    // database alone (nonce + hash) cannot produce it. A new nonce kills the old link.
    .addColumn('token_nonce', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('enabled', t.boolean, (c) => c.notNull().defaultTo(dialect === 'postgres' ? sql`true` : sql`1`))
    .addColumn('expires_at', t.timestamp)
    .addColumn('allowed_domains', 'text')
    .addColumn('max_claims', 'integer', (c) => c.check(sql`max_claims is null or max_claims > 0`))
    .addColumn('created_by_user_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invitations_team_idx').on('invitations').columns(['team_id', 'created_at']).execute();

  await db.schema
    .createTable('invitation_claims')
    .addColumn('id', serial, serialKey)
    .addColumn('invitation_id', t.id, (c) => c.notNull().references('invitations.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('license_id', 'text', (c) => c.notNull().references('licenses.id').onDelete('cascade'))
    .addColumn('claimed_at', t.timestamp, (c) => c.notNull())
    // A link is used once per person: after a revoke, the same link does not hand the seat back.
    .addUniqueConstraint('invitation_claims_once_per_user', ['invitation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('invitation_claims_invitation_idx').on('invitation_claims').columns(['invitation_id', 'id']).execute();

  await db.schema
    .createTable('invitation_waitlist')
    .addColumn('invitation_id', t.id, (c) => c.notNull().references('invitations.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('invitation_waitlist_pk', ['invitation_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('claim_notifications', 'text', (c) => c.notNull().check(sql`claim_notifications in ('each', 'digest', 'off')`))
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'organization_id'])
    .execute();

  await db.schema
    .createTable('claim_digest_items')
    .addColumn('id', serial, serialKey)
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('claim_id', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('sent_at', t.timestamp)
    .execute();
  await db.schema.createIndex('claim_digest_items_pending_idx').on('claim_digest_items').columns(['sent_at', 'user_id', 'created_at']).execute();
}
