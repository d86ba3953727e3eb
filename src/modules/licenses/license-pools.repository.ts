import { sql, type QueryCreator } from 'kysely';
import { fromDbCount, fromDbTime, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import type { BatchMemo } from '../../db/transaction-batcher.js';
import { nothing } from '../../db/sql-helpers.js';
import type { Tables } from '../../db/tables.js';
import type { ClaimedLicense } from './licenses.repository.js';

/**
 * The license pools: counters of licenses per (team, product, valid-until), moved in the same
 * transactions as the licenses they count, so counts read a few rows however many licenses exist.
 */
const batchPoolKey = (pool: { teamId: string; productId: string }) => `license-pools:${pool.teamId}:${pool.productId}`;

type PoolKey = { organizationId: string; teamId: string; productId: string; validUntil: Date | string };
type PoolDelta = PoolKey & { total: number; assigned: number };

/**
 * Applies counter changes to license_pools in one upsert per pool. Callers pass the change they
 * just made to licenses, inside the same transaction, so counters and rows never disagree.
 */
export async function adjustPools(executor: Executor, deltas: PoolDelta[]): Promise<void> {
  const merged = new Map<string, PoolDelta>();
  for (const delta of deltas) {
    const validUntil = toDbTime(fromDbTime(delta.validUntil));
    const key = `${delta.teamId}|${delta.productId}|${validUntil}`;
    const current = merged.get(key) ?? { ...delta, validUntil, total: 0, assigned: 0 };
    current.total += delta.total;
    current.assigned += delta.assigned;
    merged.set(key, current);
  }
  // One order of locking for every transaction, so two that touch the same pools cannot deadlock.
  for (const [, delta] of [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (delta.total === 0 && delta.assigned === 0) continue;
    const increments = { total: sql<number>`license_pools.total + ${delta.total}`, assigned: sql<number>`license_pools.assigned + ${delta.assigned}` };
    if (delta.total > 0) {
      // New licenses may open a pool. (Only then: a row proposed with assigned > total would fail
      // its CHECK before the conflict is even looked at.)
      await executor
        .insertInto('license_pools')
        .values({
          organization_id: delta.organizationId,
          team_id: delta.teamId,
          product_id: delta.productId,
          valid_until: delta.validUntil as string,
          total: delta.total,
          assigned: delta.assigned,
        })
        .onConflict((conflict) => conflict.columns(['team_id', 'product_id', 'valid_until']).doUpdateSet(increments))
        .execute();
    } else {
      await executor
        .updateTable('license_pools as license_pools')
        .set(increments)
        .where('team_id', '=', delta.teamId)
        .where('product_id', '=', delta.productId)
        .where('valid_until', '=', delta.validUntil as string)
        .execute();
    }
  }
}

/** The pools of some licenses, as counter deltas (sign +1 or -1). */
export async function poolDeltasOf(executor: Executor, where: { ids?: string[]; orderIds?: string[]; validBefore?: Date }, sign: 1 | -1): Promise<PoolDelta[]> {
  let query = executor
    .selectFrom('licenses')
    .select((eb) => ['organization_id', 'team_id', 'product_id', 'valid_until', eb.fn.countAll().as('total'), eb.fn.count('assignee_email').as('assigned')])
    .groupBy(['organization_id', 'team_id', 'product_id', 'valid_until']);
  if (where.ids) query = query.where((eb) => (where.ids!.length ? eb('id', 'in', where.ids!) : nothing));
  if (where.orderIds) query = query.where('order_id', 'in', where.orderIds);
  if (where.validBefore) query = query.where('valid_until', '<', toDbTime(where.validBefore));
  const rows = await query.execute();
  return rows.map((row) => ({
    organizationId: row.organization_id,
    teamId: row.team_id,
    productId: row.product_id,
    validUntil: row.valid_until,
    total: sign * fromDbCount(row.total as string | number),
    assigned: sign * fromDbCount(row.assigned as string | number),
  }));
}

/**
 * Free licenses of a team's product valid after `validAfter` (stored form), from the pool counters:
 * the subquery every "what is left" read shares (a take, the low-seat alert, the invitation page).
 */
export const freeInPool = (db: QueryCreator<Tables>, pool: { teamId: string; productId: string; validAfter: string }) =>
  db
    .selectFrom('license_pools')
    .select((eb) => eb.fn.sum<number | string | null>(eb('total', '-', eb.ref('assigned'))).as('free'))
    .where('team_id', '=', pool.teamId)
    .where('product_id', '=', pool.productId)
    .where('valid_until', '>', pool.validAfter);

export const licensePoolsRepository = {
  /**
   * Counts a claimed license as assigned in its pool. Callers run it as the last statement of the
   * claim's transaction: the counter row is shared by every claim on the pool, so holding its lock
   * only from here to COMMIT keeps concurrent claims from queueing behind each other.
   */
  async countClaimed(executor: Executor, license: ClaimedLicense): Promise<void> {
    await adjustPools(executor, [
      { organizationId: license.organizationId, teamId: license.teamId, productId: license.productId, validUntil: license.validUntil, total: 0, assigned: 1 },
    ]);
  },

  /**
   * countClaimed for a claim inside a group-commit batch: the pool counter moves once for the
   * whole batch, just before COMMIT (db/transaction-batcher.ts), so concurrent batches hold
   * the shared counter row only for their commit. Until then, claimedInBatch tells how many
   * licenses of the pool this batch has taken beyond what the counters show.
   */
  countClaimedAtCommit(batch: BatchMemo, license: ClaimedLicense): void {
    batch.beforeCommit(
      batchPoolKey(license),
      { organizationId: license.organizationId, teamId: license.teamId, productId: license.productId, validUntil: license.validUntil, total: 0, assigned: 1 },
      adjustPools,
    );
  },

  claimedInBatch: (batch: BatchMemo, pool: { teamId: string; productId: string }): number => batch.countBefore(batchPoolKey(pool)),

  /**
   * Free licenses of the product in the team, as committed (no locks taken or honoured), read
   * from the pool counters: a few rows per pool, however many licenses it holds.
   */
  async countFree(executor: Executor, { teamId, productId, now }: { teamId: string; productId: string; now: Date }): Promise<number> {
    const row = await freeInPool(executor, { teamId, productId, validAfter: toDbTime(now) }).executeTakeFirstOrThrow();
    return fromDbCount(row.free);
  },

  /** Rebuilds every counter from the licenses (after a bulk load that bypassed the repository). */
  async rebuildPools(executor: Executor): Promise<void> {
    await executor.deleteFrom('license_pools').execute();
    await adjustPools(executor, await poolDeltasOf(executor, {}, 1));
  },
};
