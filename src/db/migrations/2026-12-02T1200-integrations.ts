import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';
import type { Dialect } from '../database.js';

/**
 * The integration surface (issue 12):
 * - api_tokens gains organization tokens (scope read or write, optionally limited to teams, an
 *   expiry, who made it, where it was last used). SQLite cannot change a CHECK constraint, so
 *   there the table is rebuilt (same column types as the first migration made); existing
 *   operator tokens keep their ids and digests.
 * - idempotency_keys: the first answer to a write sent with an Idempotency-Key, for 24 hours.
 * - webhook_endpoints, webhook_deliveries (an outbox of events per endpoint) and webhook_attempts
 *   (the delivery log).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = columnTypes(dialect);

  if (dialect === 'postgres') {
    await sql`alter table api_tokens drop constraint if exists api_tokens_scope_check`.execute(db);
    await sql`alter table api_tokens add constraint api_tokens_scope_check check (scope in ('operator', 'read', 'write'))`.execute(db);
    await sql`alter table api_tokens
      add column organization_id uuid references organizations (id) on delete cascade,
      add column all_teams boolean not null default false,
      add column expires_at timestamptz,
      add column created_by_user_id uuid references users (id) on delete set null,
      add column last_used_ip text,
      add constraint api_tokens_owner_check check ((scope = 'operator') = (organization_id is null))`.execute(db);
  } else {
    await sql`alter table api_tokens rename to api_tokens_old`.execute(db);
    await sql`create table api_tokens (
      id text primary key,
      name text not null,
      token_hash text not null unique,
      scope text not null check (scope in ('operator', 'read', 'write')),
      organization_id text references organizations (id) on delete cascade,
      all_teams integer not null default 0,
      expires_at date,
      created_by_user_id text references users (id) on delete set null,
      created_at date not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      last_used_at date,
      last_used_ip text,
      revoked_at date,
      check ((scope = 'operator') = (organization_id is null))
    )`.execute(db);
    await sql`insert into api_tokens (id, name, token_hash, scope, created_at, last_used_at, revoked_at)
              select id, name, token_hash, scope, created_at, last_used_at, revoked_at from api_tokens_old`.execute(db);
    await sql`drop table api_tokens_old`.execute(db);
  }
  await db.schema.createIndex('api_tokens_organization_idx').on('api_tokens').columns(['organization_id', 'created_at']).execute();

  await db.schema
    .createTable('api_token_teams')
    .addColumn('token_id', t.id, (c) => c.notNull().references('api_tokens.id').onDelete('cascade'))
    .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('api_token_teams_pk', ['token_id', 'team_id'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    // Whose key: a digest of the credential the request carried (a token or a session).
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    // Sealed: an answer may carry a secret shown once (a new token, a webhook signing secret).
    .addColumn('response_sealed', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created_idx').on('idempotency_keys').column('created_at').execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', t.id, t.primaryId)
    .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('previous_secret_sealed', 'text')
    .addColumn('previous_secret_until', t.timestamp)
    .addColumn('enabled', t.boolean, (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('failing_since', t.timestamp)
    .addColumn('created_by_user_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_endpoints_organization_idx').on('webhook_endpoints').columns(['organization_id', 'created_at']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    // The Standard Webhooks message id (`webhook-id`): the same on every attempt and redelivery.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint_id', t.id, (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
    .addColumn('lease_until', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('delivered_at', t.timestamp)
    .execute();
  await sql`create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending'`.execute(db);
  await db.schema.createIndex('webhook_deliveries_endpoint_idx').on('webhook_deliveries').columns(['endpoint_id', 'created_at']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('attempted_at', t.timestamp, (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('response_excerpt', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').columns(['delivery_id', 'id']).execute();
}
