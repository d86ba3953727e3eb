import path from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { organizationsRepository } from '../src/modules/organizations/organizations.repository.js';
import { seedBenchmarkData } from './seed.js';

/**
 * Fills a database with one large organization (50 teams, 5 products, 20,000 users, 100,000
 * licenses, 60% assigned), for trying the console or a query plan at size. Not part of `npm test`.
 *
 *   DATABASE_URL=sqlite:./data/bench.db npx tsx bench/seed-cli.ts
 *   DATABASE_URL=postgres://user@host/db npx tsx bench/seed-cli.ts
 *
 * BENCH_ADMIN_EMAIL=you@example.com makes that address an admin of the organization once it signs
 * up and verifies (a pending grant, as first-run setup leaves). SQLITE_ANALYZE=1 runs ANALYZE on SQLite.
 */
const url = process.env.DATABASE_URL;
if (!url || !/^(postgres(ql)?:\/\/|sqlite:|file:)/.test(url)) {
  console.error('Usage: DATABASE_URL=sqlite:<file> | postgres://… [BENCH_ADMIN_EMAIL=<address>] npx tsx bench/seed-cli.ts');
  process.exit(2);
}
const database = openDatabase(
  url.startsWith('postgres')
    ? { dialect: 'postgres', connectionString: url }
    : { dialect: 'sqlite', file: path.resolve(url.replace(/^(sqlite|file):(\/\/)?/, '')) },
);
try {
  const applied = await migrateToLatest(database.db, database.dialect);
  if (applied.length) console.log(`migrated: ${applied.join(', ')}`);
  const seeded = await seedBenchmarkData(database, undefined, process.env.SQLITE_ANALYZE === '1' ? { analyze: true } : {});
  const adminEmail = process.env.BENCH_ADMIN_EMAIL?.toLowerCase();
  if (adminEmail)
    await organizationsRepository.addPendingGrant(database.db, {
      email: adminEmail,
      organizationId: seeded.organizationId,
      role: 'org_admin',
      operator: false,
    });
  console.log(
    `seeded organization ${seeded.organizationId} (${database.dialect}): ${seeded.counts.users.toLocaleString('en')} users, ${seeded.teams.length} teams, ` +
      `${seeded.products.length} products, ${seeded.counts.licenses.toLocaleString('en')} licenses (${seeded.counts.assigned.toLocaleString('en')} assigned) ` +
      `in ${(seeded.seedMs / 1000).toFixed(1)} s${adminEmail ? `; ${adminEmail} becomes its admin on sign-up` : ''}`,
  );
} finally {
  await database.close();
}
