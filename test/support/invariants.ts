import { expect } from 'vitest';
import type { Database } from '../../src/db/database.js';

/**
 * The pool counters agree with the license rows they count, license by license: every committed
 * change moved both, or neither. Also: every claim row names a license its claimer holds or held.
 */
export async function expectCountersAgreeWithRows(database: Database): Promise<void> {
  const pools = await database.db.selectFrom('license_pools').select(['team_id', 'product_id', 'valid_until', 'total', 'assigned']).execute();
  const licenses = await database.db.selectFrom('licenses').select(['team_id', 'product_id', 'valid_until', 'assignee_email']).execute();
  const key = (row: { team_id: string; product_id: string; valid_until: unknown }) =>
    `${row.team_id}|${row.product_id}|${new Date(row.valid_until as string).toISOString()}`;
  const counted = new Map<string, { total: number; assigned: number }>();
  for (const license of licenses) {
    const entry = counted.get(key(license)) ?? { total: 0, assigned: 0 };
    entry.total += 1;
    if (license.assignee_email !== null) entry.assigned += 1;
    counted.set(key(license), entry);
  }
  const fromCounters = Object.fromEntries(pools.map((pool) => [key(pool), { total: Number(pool.total), assigned: Number(pool.assigned) }]));
  expect(fromCounters).toEqual(Object.fromEntries(counted));

  const orphanClaims = await database.db
    .selectFrom('invitation_claims')
    .leftJoin('license_assignments', (join) =>
      join.onRef('license_assignments.license_id', '=', 'invitation_claims.license_id').onRef('license_assignments.user_id', '=', 'invitation_claims.user_id'),
    )
    .select('invitation_claims.id')
    .where('license_assignments.license_id', 'is', null)
    .execute();
  expect(orphanClaims, 'a claim without the assignment it made').toEqual([]);
}
