import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';
import type { Dialect } from '../database.js';

/**
 * Product activation: the instance's signing keys, app passwords, device authorizations (RFC 8628)
 * and the machines each license is active on.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .alterTable('products')
    .addColumn('machine_limit', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(2)
        .check(sql`machine_limit > 0`),
    )
    .execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    // PKCS#8, AES-256-GCM under a key derived from the instance secret: a database copy alone cannot sign.
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    // Set when a newer key takes over signing; the key is still published while its tickets live.
    .addColumn('retired_at', t.timestamp)
    // The latest expiry of any ticket it signed: until then the public key stays in the JWKS.
    .addColumn('verifies_until', t.timestamp)
    .execute();

  await db.schema
    .createTable('app_passwords')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 100`))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    // The last characters, so a person can tell their app passwords apart.
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .execute();
  await db.schema.createIndex('app_passwords_user_idx').on('app_passwords').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('device_authorizations')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('device_code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('product_id', t.id, (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('machine_id', 'text', (c) => c.notNull())
    .addColumn('machine_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'denied', 'used')`))
    .addColumn('user_id', t.id, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_polled_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_authorizations_expiry_idx').on('device_authorizations').column('expires_at').execute();

  await db.schema
    .createTable('machine_activations')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('license_id', 'text', (c) => c.notNull().references('licenses.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('machine_id', 'text', (c) => c.notNull().check(sql`length(machine_id) between 1 and 200`))
    .addColumn('machine_name', 'text')
    .addColumn('product_version', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('online', 'offline')`))
    // Online activations refresh with this secret, which changes at every refresh; offline codes have none.
    .addColumn('refresh_token_hash', 'text', (c) => c.unique())
    // The secret it replaced (or the redeemed offline code): shown again, it gets the same answer,
    // so a lost answer or two refreshes at once do no harm.
    .addColumn('previous_refresh_token_hash', 'text')
    // The one before: shown again, two copies of the activation are in use, and it ends.
    .addColumn('older_refresh_token_hash', 'text')
    // The newest offline code of this machine, redeemable once when the machine comes online.
    .addColumn('offline_code_id', 'text')
    .addColumn('first_seen_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    // A machine holds a seat until its ticket runs out, unless deactivated first.
    .addColumn('ticket_expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('deactivated_at', t.timestamp)
    .addColumn('deactivation_reason', 'text')
    .execute();
  // One live row per machine and license: activating again updates it.
  await db.schema
    .createIndex('machine_activations_live_machine')
    .on('machine_activations')
    .columns(['license_id', 'machine_id'])
    .unique()
    .where(sql.ref('deactivated_at'), 'is', null)
    .execute();
  await db.schema.createIndex('machine_activations_previous_token_idx').on('machine_activations').column('previous_refresh_token_hash').execute();
  await db.schema.createIndex('machine_activations_older_token_idx').on('machine_activations').column('older_refresh_token_hash').execute();
  await db.schema.createIndex('machine_activations_user_idx').on('machine_activations').columns(['user_id', 'last_seen_at']).execute();
}
