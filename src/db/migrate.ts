import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { Dialect } from './database.js';
import * as platform from './migrations/2026-11-26T1200-platform.js';
import * as licenses from './migrations/2026-11-26T1400-licenses.js';
import * as invitations from './migrations/2026-11-26T1600-invitations.js';
import * as licenseListIndexes from './migrations/2026-11-26T1700-license-list-indexes.js';
import * as licensePools from './migrations/2026-11-26T1800-license-pools.js';
import * as activations from './migrations/2026-11-26T1900-activations.js';
import * as sessionTokenDigests from './migrations/2026-11-26T2000-session-token-digests.js';
import * as outboxEraseDelivered from './migrations/2026-12-02T1000-outbox-erase-delivered.js';
import * as claimPathIndexes from './migrations/2026-12-02T1100-claim-path-indexes.js';
import * as integrations from './migrations/2026-12-02T1200-integrations.js';
import * as seatLifecycle from './migrations/2026-12-02T1400-seat-lifecycle.js';

type DialectMigration = { up(db: Kysely<any>, dialect: Dialect): Promise<void> };

/** Every migration, in order. Names are dated so they sort the way they were written. */
const migrations: Record<string, DialectMigration> = {
  '2026-11-26T1200-platform': platform,
  '2026-11-26T1400-licenses': licenses,
  '2026-11-26T1600-invitations': invitations,
  '2026-11-26T1700-license-list-indexes': licenseListIndexes,
  '2026-11-26T1800-license-pools': licensePools,
  '2026-11-26T1900-activations': activations,
  '2026-11-26T2000-session-token-digests': sessionTokenDigests,
  '2026-12-02T1000-outbox-erase-delivered': outboxEraseDelivered,
  '2026-12-02T1100-claim-path-indexes': claimPathIndexes,
  '2026-12-02T1200-integrations': integrations,
  '2026-12-02T1400-seat-lifecycle': seatLifecycle,
};

async function migratorFor(db: Kysely<any>, dialect: Dialect): Promise<Migrator> {
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(Object.entries(migrations).map(([name, migration]) => [name, { up: (trx: Kysely<any>) => migration.up(trx, dialect) }]));
    },
  };
  // Without a schema, Kysely looks for its tables in every schema of the database and would take
  // another schema's `schema_migrations` (another app's, or another test file's) for ours.
  const migrationTableSchema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  return new Migrator({
    db,
    provider,
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies every pending migration (or those up to and including `upTo`, which tests of a data
 * migration use to stop before it); each runs in its own transaction on both dialects.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect, { upTo }: { upTo?: string } = {}): Promise<string[]> {
  const migrator = await migratorFor(db, dialect);
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (error) throw new MigrationError(`Migration failed: ${describe(results)}`, { cause: error });
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/** True when every known migration has been applied (for /readyz). */
export async function migrationsAreCurrent(db: Kysely<any>, dialect: Dialect): Promise<boolean> {
  const applied = await (await migratorFor(db, dialect)).getMigrations();
  return applied.every((migration) => migration.executedAt !== undefined);
}

function describe(results: MigrationResultSet['results']): string {
  const failed = results?.find((result) => result.status === 'Error');
  return failed ? failed.migrationName : 'could not start';
}
