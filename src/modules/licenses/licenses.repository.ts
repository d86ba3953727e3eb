import { sql } from 'kysely';
import { fromDbCount, fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Dialect, Executor } from '../../db/database.js';
import type { BatchMemo } from '../../db/transaction-batcher.js';
import { escapeLike, nothing } from '../../db/sql-helpers.js';
import type { AssignmentSource } from '../../db/tables.js';
import { createLicenseId } from './license-ids.js';

export type LicenseRow = {
  id: string;
  organizationId: string;
  productId: string;
  productCode: string;
  productName: string;
  teamId: string;
  teamName: string;
  orderReference: string;
  assignee: { userId: string | null; name: string | null; email: string } | null;
  assignedAt: Date | null;
  validUntil: Date;
  lastSeenAt: Date | null;
};

export type LicenseFilters = {
  organizationId: string;
  visibleTeamIds: 'all' | ReadonlySet<string>;
  productId?: string | undefined;
  teamId?: string | undefined;
  status?: 'assigned' | 'unassigned' | undefined;
  /** Matches the start of the assignee's email (served by an index, so fast at any size). */
  assignee?: string | undefined;
  orderReference?: string | undefined;
  /** Inactive seats: assigned, and not seen since this instant (or never). */
  notSeenSince?: Date | undefined;
  /** Keyset: licenses whose id sorts after this one. */
  afterId?: string | undefined;
  limit: number;
};

export type Subscription = {
  productId: string;
  productCode: string;
  productName: string;
  total: number;
  assigned: number;
  free: number;
  earliestValidUntil: Date | null;
};

export type ClaimedLicense = { id: string; organizationId: string; teamId: string; productId: string; validUntil: Date };

export type AssignmentHistoryEntry = {
  email: string;
  name: string | null;
  source: AssignmentSource;
  assignedAt: Date;
  endedAt: Date | null;
  endReason: 'revoked' | 'expired' | null;
  assignedByName: string | null;
};

export type MyLicense = {
  id: string;
  productCode: string;
  productName: string;
  organizationName: string;
  teamName: string;
  validUntil: Date;
  assignedAt: Date;
};

/** The joins and columns of a license row, on top of any query that has `licenses` in it. */
function withLicenseColumns<QB extends ReturnType<Executor['selectFrom']>>(base: QB) {
  return (base as unknown as ReturnType<typeof licensesFrom>)
    .innerJoin('products', 'products.id', 'licenses.product_id')
    .innerJoin('teams', 'teams.id', 'licenses.team_id')
    .innerJoin('orders', 'orders.id', 'licenses.order_id')
    .leftJoin('users', 'users.id', 'licenses.assignee_user_id')
    .select([
      'licenses.id',
      'licenses.organization_id',
      'licenses.product_id',
      'products.code as product_code',
      'products.name as product_name',
      'licenses.team_id',
      'teams.name as team_name',
      'orders.reference as order_reference',
      'licenses.assignee_email',
      'licenses.assignee_user_id',
      'users.name as assignee_name',
      'users.email as assignee_current_email',
      'licenses.assigned_at',
      'licenses.valid_until',
      'licenses.last_seen_at',
    ]);
}

const licensesFrom = (executor: Executor) => executor.selectFrom('licenses');
const selectLicenses = (executor: Executor) => withLicenseColumns(licensesFrom(executor));

type SelectedLicense = Awaited<ReturnType<ReturnType<typeof selectLicenses>['executeTakeFirstOrThrow']>>;

const toLicense = (row: SelectedLicense): LicenseRow => ({
  id: row.id,
  organizationId: row.organization_id,
  productId: row.product_id,
  productCode: row.product_code,
  productName: row.product_name,
  teamId: row.team_id,
  teamName: row.team_name,
  orderReference: row.order_reference,
  assignee: row.assignee_email ? { userId: row.assignee_user_id, name: row.assignee_name, email: row.assignee_current_email ?? row.assignee_email } : null,
  assignedAt: fromDbTimeOrNull(row.assigned_at),
  validUntil: fromDbTime(row.valid_until),
  lastSeenAt: fromDbTimeOrNull(row.last_seen_at),
});

export type LicensesRepository = ReturnType<typeof licensesRepository>;

const batchPoolKey = (pool: { teamId: string; productId: string }) => `license-pools:${pool.teamId}:${pool.productId}`;

type PoolKey = { organizationId: string; teamId: string; productId: string; validUntil: Date | string };
type PoolDelta = PoolKey & { total: number; assigned: number };

/**
 * Applies counter changes to license_pools in one upsert per pool. Callers pass the change they
 * just made to licenses, inside the same transaction, so counters and rows never disagree.
 */
async function adjustPools(executor: Executor, deltas: PoolDelta[]): Promise<void> {
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
async function poolDeltasOf(executor: Executor, where: { ids?: string[]; orderIds?: string[]; validBefore?: Date }, sign: 1 | -1): Promise<PoolDelta[]> {
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

export function licensesRepository(dialect: Dialect) {
  return {
    /** Creates `count` licenses for an order, in chunks that stay under SQLite's parameter limit. */
    async createMany(
      executor: Executor,
      input: { organizationId: string; teamId: string; productId: string; orderId: string; validUntil: Date; count: number; now: Date },
    ): Promise<string[]> {
      const ids = Array.from({ length: input.count }, createLicenseId);
      for (let start = 0; start < ids.length; start += 500) {
        await executor
          .insertInto('licenses')
          .values(
            ids.slice(start, start + 500).map((id) => ({
              id,
              organization_id: input.organizationId,
              team_id: input.teamId,
              product_id: input.productId,
              order_id: input.orderId,
              valid_until: toDbTime(input.validUntil),
              created_at: toDbTime(input.now),
            })),
          )
          .execute();
      }
      await adjustPools(executor, [
        {
          organizationId: input.organizationId,
          teamId: input.teamId,
          productId: input.productId,
          validUntil: input.validUntil,
          total: input.count,
          assigned: 0,
        },
      ]);
      return ids;
    },

    async countForOrders(executor: Executor, orderIds: string[]): Promise<{ count: number; teamId: string | undefined }> {
      const [counted, first] = await Promise.all([
        executor
          .selectFrom('licenses')
          .select((eb) => eb.fn.countAll().as('count'))
          .where('order_id', 'in', orderIds)
          .executeTakeFirstOrThrow(),
        executor.selectFrom('licenses').select('team_id').where('order_id', 'in', orderIds).orderBy('id').limit(1).executeTakeFirst(),
      ]);
      return { count: fromDbCount(counted.count as string | number), teamId: first?.team_id };
    },

    /** A renewal moves valid-until forward (never back), keeping every assignee. */
    async extendValidity(executor: Executor, orderIds: string[], validUntil: Date): Promise<number> {
      // Lock the rows first (as claims, revokes and transfers do), so the counts moved below are
      // the counts that get committed.
      await executor
        .selectFrom('licenses')
        .select('id')
        .where('order_id', 'in', orderIds)
        .where('valid_until', '<', toDbTime(validUntil))
        .orderBy('id')
        .$if(dialect === 'postgres', (query) => query.forUpdate())
        .execute();
      const leaving = await poolDeltasOf(executor, { orderIds, validBefore: validUntil }, -1);
      const arriving = leaving.map((delta) => ({ ...delta, validUntil, total: -delta.total, assigned: -delta.assigned }));
      await adjustPools(executor, [...leaving, ...arriving]);
      const result = await executor
        .updateTable('licenses')
        .set({ valid_until: toDbTime(validUntil) })
        .where('order_id', 'in', orderIds)
        .where('valid_until', '<', toDbTime(validUntil))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** "Active subscriptions": licenses that have not expired, per product, from the pool counters. */
    async subscriptions(
      executor: Executor,
      { organizationId, visibleTeamIds, now }: { organizationId: string; visibleTeamIds: 'all' | ReadonlySet<string>; now: Date },
    ): Promise<Subscription[]> {
      let counts = executor
        .selectFrom('license_pools')
        .select((eb) => [
          'product_id',
          eb.fn.sum<number>('total').as('total'),
          eb.fn.sum<number>('assigned').as('assigned'),
          eb.fn.min('valid_until').as('earliest_valid_until'),
        ])
        .where('organization_id', '=', organizationId)
        .where('valid_until', '>', toDbTime(now))
        .where('total', '>', 0)
        .groupBy('product_id');
      if (visibleTeamIds !== 'all') counts = counts.where((eb) => (visibleTeamIds.size ? eb('team_id', 'in', [...visibleTeamIds]) : nothing));
      const rows = await executor
        .selectFrom(counts.as('counts'))
        .innerJoin('products', 'products.id', 'counts.product_id')
        .select(['counts.product_id', 'products.code', 'products.name', 'counts.total', 'counts.assigned', 'counts.earliest_valid_until'])
        .orderBy('products.code')
        .execute();
      return rows.map((row) => {
        const total = fromDbCount(row.total as string | number);
        const assigned = fromDbCount(row.assigned as string | number);
        return {
          productId: row.product_id,
          productCode: row.code,
          productName: row.name,
          total,
          assigned,
          free: total - assigned,
          earliestValidUntil: fromDbTimeOrNull(row.earliest_valid_until as string | Date | null),
        };
      });
    },

    /** One page, ordered by license id; the next page starts after the last id (keyset: page 500 costs what page 1 does). */
    async list(executor: Executor, filters: LicenseFilters): Promise<LicenseRow[]> {
      const prefix = filters.assignee ? sql<boolean>`assignee_email like ${`${escapeLike(filters.assignee.toLowerCase())}%`} escape '\\'` : undefined;
      // PostgreSQL would walk every license in id order to find a few prefix matches; a materialized
      // CTE makes it start from the assignee index. SQLite already starts there (NOCASE index).
      const base =
        prefix && dialect === 'postgres'
          ? executor
              .with(
                (cte) => cte('matched').materialized(),
                (db) => db.selectFrom('licenses').select('id').where('organization_id', '=', filters.organizationId).where(prefix),
              )
              .selectFrom('matched')
              .innerJoin('licenses', 'licenses.id', 'matched.id')
          : executor.selectFrom('licenses');
      let query = withLicenseColumns(base).where('licenses.organization_id', '=', filters.organizationId);
      const visible = filters.visibleTeamIds;
      if (visible !== 'all') query = query.where((eb) => (visible.size ? eb('licenses.team_id', 'in', [...visible]) : nothing));
      if (filters.productId) query = query.where('licenses.product_id', '=', filters.productId);
      if (filters.teamId) query = query.where('licenses.team_id', '=', filters.teamId);
      if (filters.status === 'assigned') query = query.where('licenses.assignee_email', 'is not', null);
      if (filters.status === 'unassigned') query = query.where('licenses.assignee_email', 'is', null);
      if (prefix && dialect === 'sqlite') query = query.where(prefix);
      if (filters.orderReference) query = query.where('orders.reference', '=', filters.orderReference);
      if (filters.notSeenSince) {
        const since = toDbTime(filters.notSeenSince);
        query = query
          .where('licenses.assignee_email', 'is not', null)
          // Idle seats: not seen since, or never seen and held since before then (a seat assigned
          // yesterday is not idle yet).
          .where((eb) =>
            eb.or([eb('licenses.last_seen_at', '<', since), eb.and([eb('licenses.last_seen_at', 'is', null), eb('licenses.assigned_at', '<', since)])]),
          );
      }
      if (filters.afterId) query = query.where('licenses.id', '>', filters.afterId);
      const rows = await query.orderBy('licenses.id').limit(filters.limit).execute();
      return rows.map(toLicense);
    },

    async findByIds(executor: Executor, organizationId: string, ids: string[], { lock }: { lock: boolean }): Promise<LicenseRow[]> {
      const rows = await selectLicenses(executor)
        .where('licenses.organization_id', '=', organizationId)
        .where((eb) => (ids.length ? eb('licenses.id', 'in', ids) : nothing))
        .$if(lock && dialect === 'postgres', (query) => query.forUpdate('licenses'))
        .execute();
      return rows.map(toLicense);
    },

    async findById(executor: Executor, id: string): Promise<LicenseRow | undefined> {
      const row = await selectLicenses(executor).where('licenses.id', '=', id).executeTakeFirst();
      return row && toLicense(row);
    },

    async holdsLicense(
      executor: Executor,
      { organizationId, productId, email }: { organizationId: string; productId: string; email: string },
    ): Promise<boolean> {
      const row = await executor
        .selectFrom('licenses')
        .select('id')
        .where('organization_id', '=', organizationId)
        .where('product_id', '=', productId)
        .where('assignee_email', '=', email)
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * Takes one free license of the product in the team, in one guarded statement: the UPDATE
     * only lands on a row that is still free. On PostgreSQL, rows other claims are taking are
     * skipped (SKIP LOCKED) instead of waited for; SQLite has one writer, so nothing races there.
     * The caller finishes its transaction with countClaimed(), which updates the pool counters.
     */
    async claimFree(
      executor: Executor,
      input: {
        teamId: string;
        productId: string;
        email: string;
        userId: string | null;
        source: AssignmentSource;
        assignedByUserId: string | null;
        invitationId?: string | null;
        now: Date;
      },
    ): Promise<ClaimedLicense | undefined> {
      const candidate = executor
        .selectFrom('licenses')
        .select('id')
        .where('team_id', '=', input.teamId)
        .where('product_id', '=', input.productId)
        .where('assignee_email', 'is', null)
        .where('valid_until', '>', toDbTime(input.now))
        .orderBy('valid_until', 'desc')
        .orderBy('id')
        .limit(1)
        .$if(dialect === 'postgres', (query) => query.forUpdate().skipLocked());
      const claimed = await executor
        .updateTable('licenses')
        .set({ assignee_email: input.email, assignee_user_id: input.userId, assigned_at: toDbTime(input.now) })
        .where('id', '=', candidate)
        .where('assignee_email', 'is', null)
        .returning(['id', 'organization_id', 'team_id', 'product_id', 'valid_until'])
        .executeTakeFirst();
      if (!claimed) return undefined;
      await executor
        .insertInto('license_assignments')
        .values({
          license_id: claimed.id,
          email: input.email,
          user_id: input.userId,
          source: input.source,
          invitation_id: input.invitationId ?? null,
          assigned_by_user_id: input.assignedByUserId,
          assigned_at: toDbTime(input.now),
        })
        .execute();
      return {
        id: claimed.id,
        organizationId: claimed.organization_id,
        teamId: claimed.team_id,
        productId: claimed.product_id,
        validUntil: fromDbTime(claimed.valid_until),
      };
    },

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
      const row = await executor
        .selectFrom('license_pools')
        .select((eb) => eb.fn.sum<number | string | null>(eb('total', '-', eb.ref('assigned'))).as('free'))
        .where('team_id', '=', teamId)
        .where('product_id', '=', productId)
        .where('valid_until', '>', toDbTime(now))
        .executeTakeFirstOrThrow();
      return fromDbCount(row.free);
    },

    /** Ends the current assignments of these licenses and frees them; returns the ids freed. */
    async release(executor: Executor, ids: string[], { now, reason }: { now: Date; reason: 'revoked' | 'expired' }): Promise<string[]> {
      if (ids.length === 0) return [];
      const freed = await executor
        .updateTable('licenses')
        // Last seen describes the holder's use, so it leaves with them.
        .set({ assignee_email: null, assignee_user_id: null, assigned_at: null, last_seen_at: null })
        .where('id', 'in', ids)
        .where('assignee_email', 'is not', null)
        .returning(['id', 'organization_id', 'team_id', 'product_id', 'valid_until'])
        .execute();
      const freedIds = freed.map((row) => row.id);
      await adjustPools(
        executor,
        freed.map((row) => ({
          organizationId: row.organization_id,
          teamId: row.team_id,
          productId: row.product_id,
          validUntil: row.valid_until,
          total: 0,
          assigned: -1,
        })),
      );
      if (freedIds.length > 0) {
        await executor
          .updateTable('license_assignments')
          .set({ ended_at: toDbTime(now), end_reason: reason })
          .where('license_id', 'in', freedIds)
          .where('ended_at', 'is', null)
          .execute();
      }
      return freedIds;
    },

    async moveToTeam(executor: Executor, ids: string[], teamId: string): Promise<void> {
      if (ids.length === 0) return;
      const leaving = await poolDeltasOf(executor, { ids }, -1);
      const arriving = leaving.map((delta) => ({ ...delta, teamId, total: -delta.total, assigned: -delta.assigned }));
      await adjustPools(executor, [...leaving, ...arriving]);
      await executor.updateTable('licenses').set({ team_id: teamId }).where('id', 'in', ids).execute();
    },

    /** Rebuilds every counter from the licenses (after a bulk load that bypassed the repository). */
    async rebuildPools(executor: Executor): Promise<void> {
      await executor.deleteFrom('license_pools').execute();
      await adjustPools(executor, await poolDeltasOf(executor, {}, 1));
    },

    /** An address just proved by its owner: assignments waiting for it now belong to that account. */
    async bindPendingAssignments(executor: Executor, { email, userId }: { email: string; userId: string }): Promise<number> {
      const bound = await executor
        .updateTable('licenses')
        .set({ assignee_user_id: userId })
        .where('assignee_email', '=', email)
        .where('assignee_user_id', 'is', null)
        .executeTakeFirst();
      await executor
        .updateTable('license_assignments')
        .set({ user_id: userId })
        .where('email', '=', email)
        .where('user_id', 'is', null)
        .where('ended_at', 'is', null)
        .execute();
      return Number(bound.numUpdatedRows);
    },

    async listForUser(executor: Executor, userId: string, now: Date): Promise<MyLicense[]> {
      const rows = await executor
        .selectFrom('licenses')
        .innerJoin('products', 'products.id', 'licenses.product_id')
        .innerJoin('teams', 'teams.id', 'licenses.team_id')
        .innerJoin('organizations', 'organizations.id', 'licenses.organization_id')
        .select([
          'licenses.id',
          'products.code',
          'products.name as product_name',
          'organizations.name as organization_name',
          'teams.name as team_name',
          'licenses.valid_until',
          'licenses.assigned_at',
        ])
        .where('licenses.assignee_user_id', '=', userId)
        .where('licenses.valid_until', '>', toDbTime(now))
        .orderBy('products.name')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        productCode: row.code,
        productName: row.product_name,
        organizationName: row.organization_name,
        teamName: row.team_name,
        validUntil: fromDbTime(row.valid_until),
        assignedAt: fromDbTime(row.assigned_at!),
      }));
    },

    async history(executor: Executor, licenseId: string): Promise<AssignmentHistoryEntry[]> {
      const rows = await executor
        .selectFrom('license_assignments')
        .leftJoin('users as holder', 'holder.id', 'license_assignments.user_id')
        .leftJoin('users as assigner', 'assigner.id', 'license_assignments.assigned_by_user_id')
        .select([
          'license_assignments.email',
          'holder.name as holder_name',
          'license_assignments.source',
          'license_assignments.assigned_at',
          'license_assignments.ended_at',
          'license_assignments.end_reason',
          'assigner.name as assigner_name',
        ])
        .where('license_assignments.license_id', '=', licenseId)
        .orderBy('license_assignments.id', 'desc')
        .execute();
      return rows.map((row) => ({
        email: row.email,
        name: row.holder_name,
        source: row.source,
        assignedAt: fromDbTime(row.assigned_at),
        endedAt: fromDbTimeOrNull(row.ended_at),
        endReason: row.end_reason,
        assignedByName: row.assigner_name,
      }));
    },
  };
}
