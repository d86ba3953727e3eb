import { randomBytes, randomUUID } from 'node:crypto';
import { licensesRepository } from '../src/modules/licenses/licenses.repository.js';
import { sql } from 'kysely';
import type { Database } from '../src/db/database.js';
import type { Tables } from '../src/db/tables.js';
import { createLicenseId } from '../src/modules/licenses/license-ids.js';
import { grantOrgRole, signedInUser } from '../test/support/console.js';
import type { HttpClient } from '../test/support/http-client.js';
import type { TestServer } from '../test/support/test-server.js';

/**
 * A large organization for the benchmarks, written with bulk INSERTs straight into the database
 * (no HTTP, no password hashing): what a year of a big customer looks like, in seconds.
 */
export type SeedShape = {
  teams: number;
  products: number;
  /** Licenses per (team, product); each pair is one order. */
  licensesPerPair: number;
  users: number;
  /** Share of each order's licenses that are assigned (to users, one license per user per product). */
  assignedShare: number;
};

export const DEFAULT_SHAPE: SeedShape = { teams: 50, products: 5, licensesPerPair: 400, users: 20_000, assignedShare: 0.6 };

export type SeededOrganization = {
  organizationId: string;
  teams: { id: string; name: string }[];
  products: { id: string; code: string }[];
  /** One per (team, product), in team-major order. */
  orderReferences: string[];
  /** A few users who hold licenses, for assignee searches. */
  sampleEmails: string[];
  counts: { users: number; licenses: number; assigned: number };
  seedMs: number;
};

export type BenchmarkOrganization = SeededOrganization & { admin: { client: HttpClient; email: string; userId: string } };

/** Rows per INSERT (SQLite allows 32,766 bound values; PostgreSQL 65,535). */
const CHUNK = 500;
/** Rows per transaction: big enough to amortise the commit (fsync), small enough not to hold a huge one open. */
const ROWS_PER_TRANSACTION = 20_000;

const FIRST = [
  'olivia',
  'liam',
  'emma',
  'noah',
  'amelia',
  'oliver',
  'sophia',
  'elijah',
  'charlotte',
  'james',
  'mia',
  'lucas',
  'harper',
  'mateo',
  'evelyn',
  'henry',
  'aria',
  'theo',
  'luna',
  'jack',
  'nora',
  'levi',
  'zoe',
  'ezra',
  'ines',
  'kai',
  'maya',
  'omar',
  'yuki',
  'anton',
];
const LAST = [
  'smith',
  'johnson',
  'garcia',
  'miller',
  'davis',
  'lopez',
  'wilson',
  'anderson',
  'thomas',
  'moore',
  'martin',
  'lee',
  'walker',
  'young',
  'king',
  'wright',
  'scott',
  'green',
  'baker',
  'adams',
  'nelson',
  'hill',
  'campbell',
  'mitchell',
  'roberts',
  'carter',
  'phillips',
  'evans',
  'turner',
  'torres',
];

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same shape. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insertAll<T extends keyof Tables>(database: Database, table: T, rows: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_TRANSACTION) {
    const batch = rows.slice(start, start + ROWS_PER_TRANSACTION);
    await database.db.transaction().execute(async (trx) => {
      for (let offset = 0; offset < batch.length; offset += CHUNK) {
        // The rows are built to the table's columns above; Kysely's per-table insert types add nothing here.
        await trx
          .insertInto(table)
          .values(batch.slice(offset, offset + CHUNK) as any)
          .execute();
      }
    });
  }
}

/**
 * Writes one organization of the given shape into an already-migrated database and returns
 * what the benchmarks need to address it. Names carry a random tag, so it can run more than
 * once against the same database.
 */
export async function seedBenchmarkData(
  database: Database,
  shape: SeedShape = DEFAULT_SHAPE,
  options: { analyze?: boolean } = {},
): Promise<SeededOrganization> {
  const started = performance.now();
  const random = prng(20_261_126);
  const tag = randomBytes(3).toString('hex');
  const now = new Date();
  const iso = (date: Date) => date.toISOString();
  const created = iso(new Date(now.getTime() - 200 * 86_400_000));
  const validUntil = iso(new Date(now.getTime() + 365 * 86_400_000));

  const organizationId = randomUUID();
  await database.db
    .insertInto('organizations')
    .values({ id: organizationId, name: `Benchmark Corp ${tag}`, created_at: created })
    .execute();

  const products = Array.from({ length: shape.products }, (_, p) => ({
    id: randomUUID(),
    code: `B${tag}P${p + 1}`,
    name: `Bench Product ${p + 1} (${tag})`,
    created_at: created,
  }));
  await insertAll(database, 'products', products);

  const teams = Array.from({ length: shape.teams }, (_, t) => ({
    id: randomUUID(),
    organization_id: organizationId,
    name: `Team ${String(t + 1).padStart(2, '0')}`,
    created_at: created,
  }));
  await insertAll(database, 'teams', teams);

  // Users: first.lastN@domain, verified, no password (they never sign in here).
  const users = Array.from({ length: shape.users }, (_, i) => {
    const first = FIRST[Math.floor(random() * FIRST.length)]!;
    const last = LAST[Math.floor(random() * LAST.length)]!;
    const at = iso(new Date(now.getTime() - Math.floor(random() * 180) * 86_400_000));
    return {
      id: randomUUID(),
      name: `${first[0]!.toUpperCase()}${first.slice(1)} ${last[0]!.toUpperCase()}${last.slice(1)}`,
      email: `${first}.${last}${i}@bench-${tag}.example`,
      email_verified: 1,
      image: null,
      created_at: at,
      updated_at: at,
      two_factor_enabled: 0,
    };
  });
  await insertAll(database, 'users', users);

  // Orders and licenses. Product p is held by users [p·k, p·k + assignedPerProduct) (mod users):
  // nobody holds two licenses of one product, as the unique index demands.
  const assignedPerPair = Math.round(shape.licensesPerPair * shape.assignedShare);
  const assignedPerProduct = assignedPerPair * shape.teams;
  if (assignedPerProduct > shape.users)
    throw new Error(`${assignedPerProduct} assigned licenses per product need at least as many users (have ${shape.users})`);
  const stride = Math.floor(shape.users / shape.products);

  const orders: Record<string, unknown>[] = [];
  const orderReferences: string[] = [];
  const licenses: Record<string, unknown>[] = [];
  const assignments: Record<string, unknown>[] = [];
  const usedIds = new Set<string>();
  const nextAssignee = new Array<number>(shape.products).fill(0);
  for (const team of teams) {
    for (const [p, product] of products.entries()) {
      const orderId = randomUUID();
      const reference = `BENCH-${tag}-${team.name.replace(' ', '')}-P${p + 1}`;
      orderReferences.push(reference);
      orders.push({
        id: orderId,
        reference,
        organization_id: organizationId,
        product_id: product.id,
        team_id: team.id,
        quantity: shape.licensesPerPair,
        valid_until: validUntil,
        renews_order_id: null,
        source: 'api',
        created_at: created,
      });
      for (let n = 0; n < shape.licensesPerPair; n++) {
        let id = createLicenseId();
        while (usedIds.has(id)) id = createLicenseId();
        usedIds.add(id);
        // Ids are random, so the first `assignedPerPair` are a random sample in id order.
        const user = n < assignedPerPair ? users[(p * stride + nextAssignee[p]!++) % shape.users]! : undefined;
        const assignedAt = user ? iso(new Date(now.getTime() - Math.floor(random() * 150 * 86_400_000))) : null;
        licenses.push({
          id,
          organization_id: organizationId,
          team_id: team.id,
          product_id: product.id,
          order_id: orderId,
          valid_until: validUntil,
          assignee_email: user?.email ?? null,
          assignee_user_id: user?.id ?? null,
          assigned_at: assignedAt,
          last_seen_at: user && random() < 0.7 ? iso(new Date(now.getTime() - Math.floor(random() * 14 * 86_400_000))) : null,
          created_at: created,
        });
        if (user)
          assignments.push({
            license_id: id,
            email: user.email,
            user_id: user.id,
            source: 'manual',
            invitation_id: null,
            assigned_by_user_id: null,
            assigned_at: assignedAt,
            ended_at: null,
            end_reason: null,
          });
      }
    }
  }
  await insertAll(database, 'orders', orders);
  await insertAll(database, 'licenses', licenses);
  await insertAll(database, 'license_assignments', assignments);
  // The rows went in around the repository, so its counters are rebuilt from them once.
  await database.db.transaction().execute((trx) => licensesRepository(database.dialect).rebuildPools(trx));

  // PostgreSQL's autovacuum would analyze tables this size within a minute of the load; do it now
  // so the first queries are planned as they would be in production. SQLite gathers no statistics
  // unless told (the server never runs ANALYZE), so by default it stays as production has it.
  if (options.analyze ?? database.dialect === 'postgres') {
    const tables = ['users', 'organizations', 'teams', 'products', 'orders', 'licenses', 'license_assignments', 'license_pools'];
    if (database.dialect === 'postgres') await sql`analyze ${sql.raw(tables.join(', '))}`.execute(database.db);
    else for (const table of tables) await sql`analyze ${sql.raw(table)}`.execute(database.db);
  }

  // Holders of product 1 in the first teams: people an admin would look up.
  const sampleEmails = [0, 1, 2, 3].map((i) => users[(i * 97) % assignedPerProduct]!.email);
  return {
    organizationId,
    teams: teams.map(({ id, name }) => ({ id, name })),
    products: products.map(({ id, code }) => ({ id, code })),
    orderReferences,
    sampleEmails,
    counts: { users: users.length, licenses: licenses.length, assigned: assignments.length },
    seedMs: Math.round(performance.now() - started),
  };
}

/**
 * Seeds the server's database (see seedBenchmarkData) and signs in an organization admin whose
 * HttpClient the benchmarks use.
 */
export async function seedBenchmarkOrganization(server: TestServer, shape: SeedShape = DEFAULT_SHAPE): Promise<BenchmarkOrganization> {
  const seeded = await seedBenchmarkData(server.database, shape);
  const admin = await signedInUser(server, { name: 'Bench Admin' });
  await grantOrgRole(server, seeded.organizationId, admin.userId, 'org_admin');
  console.log(
    `[${server.database.dialect}] seeded ${seeded.counts.users.toLocaleString('en')} users, ${shape.teams} teams, ${shape.products} products, ` +
      `${seeded.counts.licenses.toLocaleString('en')} licenses (${seeded.counts.assigned.toLocaleString('en')} assigned) in ${(seeded.seedMs / 1000).toFixed(1)} s`,
  );
  return { ...seeded, admin };
}
