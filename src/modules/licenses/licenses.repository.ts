import { sql, type QueryCreator } from 'kysely';
import { fromDbBool, fromDbCount, fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Dialect, Executor } from '../../db/database.js';
import { escapeLike, nothing } from '../../db/sql-helpers.js';
import type { AssignmentEndReason, AssignmentSource, Tables } from '../../db/tables.js';
import { precompiled } from '../../db/precompiled.js';
import { createLicenseId } from './license-ids.js';
import { licenseHoldersRepository } from './license-holders.repository.js';
import { adjustPools, freeInPool, licensePoolsRepository, poolDeltasOf } from './license-pools.repository.js';

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

/** Who takes a free license of a team's product, and how (the assignment history records it). */
export type ClaimFreeInput = {
  teamId: string;
  productId: string;
  email: string;
  /** Null while the address has no verified account: the license is then held by the email. */
  userId: string | null;
  source: AssignmentSource;
  assignedByUserId: string | null;
  invitationId?: string | null;
  now: Date;
};

export type LicenseFilters = {
  organizationId: string;
  visibleTeamIds: 'all' | ReadonlySet<string>;
  productId?: string | undefined;
  teamId?: string | undefined;
  /** Assigned and unassigned: licenses that have not expired at `now`; expired: those that have. */
  status?: 'assigned' | 'unassigned' | 'expired' | undefined;
  now?: Date | undefined;
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

/** Who would take a license of which pool: what takeSituation reads before a take. */
export type TakeSituationInput = { organizationId: string; teamId: string; productId: string; email: string; now: Date };

export type ClaimedLicense = { id: string; organizationId: string; teamId: string; productId: string; validUntil: Date };

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

/** A take's values, in their stored form (db/precompiled.ts builds the statements once). */
type TakeValues = {
  teamId: string;
  productId: string;
  email: string;
  userId: string | null;
  source: AssignmentSource;
  invitationId: string | null;
  assignedByUserId: string | null;
  now: string;
};

const takeSituationQuery = precompiled((db, input: { organizationId: string; teamId: string; productId: string; email: string; now: string }) =>
  db.selectNoFrom((eb) => [
    eb
      .exists(
        eb
          .selectFrom('licenses')
          .select('id')
          .where('organization_id', '=', input.organizationId)
          .where('product_id', '=', input.productId)
          .where('assignee_email', '=', input.email),
      )
      .as('holds'),
    freeInPool(db, { teamId: input.teamId, productId: input.productId, validAfter: input.now }).as('free'),
  ]),
);

/** The free license a take gets: the first in the partial index's order (`licenses_free_pick_idx`). */
const takeStatement = (db: QueryCreator<Tables>, values: TakeValues) => {
  const candidate = db
    .selectFrom('licenses')
    .select('id')
    .where('team_id', '=', values.teamId)
    .where('product_id', '=', values.productId)
    .where('assignee_email', 'is', null)
    .where('valid_until', '>', values.now)
    .orderBy('valid_until', 'desc')
    .orderBy('id')
    .limit(1);
  return { candidate, set: { assignee_email: values.email, assignee_user_id: values.userId, assigned_at: values.now } };
};

/** SQLite: the guarded UPDATE (one writer, so nothing to skip). */
const take = precompiled((db, values: TakeValues) => {
  const { candidate, set } = takeStatement(db, values);
  return db
    .updateTable('licenses')
    .set(set)
    .where('id', '=', candidate)
    .where('assignee_email', 'is', null)
    .returning(['id', 'organization_id', 'team_id', 'product_id', 'valid_until']);
});

const historyRow = (values: TakeValues) => ({
  email: values.email,
  user_id: values.userId,
  source: values.source,
  invitation_id: values.invitationId,
  assigned_by_user_id: values.assignedByUserId,
  assigned_at: values.now,
});

/** SQLite: the history row of a take. */
const recordTake = precompiled((db, values: TakeValues & { licenseId: string }) =>
  db.insertInto('license_assignments').values({ license_id: values.licenseId, ...historyRow(values) }),
);

/** PostgreSQL: the UPDATE, skipping rows other takes hold locked, and its history row, in one statement. */
const takeWithHistory = precompiled((db, values: TakeValues) => {
  const { candidate, set } = takeStatement(db, values);
  const history = historyRow(values);
  return db
    .with('taken', (cte) =>
      cte
        .updateTable('licenses')
        .set(set)
        .where('id', '=', candidate.forUpdate().skipLocked())
        .where('assignee_email', 'is', null)
        .returning(['id', 'organization_id', 'team_id', 'product_id', 'valid_until']),
    )
    .with('history', (cte) =>
      cte
        .insertInto('license_assignments')
        .columns(['license_id', 'email', 'user_id', 'source', 'invitation_id', 'assigned_by_user_id', 'assigned_at'])
        // Untyped parameters take the target columns' types in INSERT … SELECT.
        .expression((eb) =>
          eb
            .selectFrom('taken')
            .select((row) => [
              'taken.id',
              row.val(history.email).as('email'),
              row.val(history.user_id).as('user_id'),
              row.val(history.source).as('source'),
              row.val(history.invitation_id).as('invitation_id'),
              row.val(history.assigned_by_user_id).as('assigned_by_user_id'),
              row.val(history.assigned_at).as('assigned_at'),
            ]),
        ),
    )
    .selectFrom('taken')
    .select(['taken.id', 'taken.organization_id', 'taken.team_id', 'taken.product_id', 'taken.valid_until']);
});

type TakenRow = { id: string; organization_id: string; team_id: string; product_id: string; valid_until: string | Date };

export type LicensesRepository = ReturnType<typeof licensesRepository>;

export function licensesRepository(dialect: Dialect) {
  return {
    ...licensePoolsRepository,
    ...licenseHoldersRepository,
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
      const now = toDbTime(filters.now ?? new Date());
      if (filters.status === 'assigned') query = query.where('licenses.assignee_email', 'is not', null).where('licenses.valid_until', '>', now);
      if (filters.status === 'unassigned') query = query.where('licenses.assignee_email', 'is', null).where('licenses.valid_until', '>', now);
      if (filters.status === 'expired') query = query.where('licenses.valid_until', '<=', now);
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

    /**
     * What a take must know first, in one statement (one round trip on PostgreSQL): whether the
     * address holds this product of the organization already, and how many licenses of the team's
     * pool are free, as committed (from the pool counters).
     */
    async takeSituation(executor: Executor, input: TakeSituationInput): Promise<{ holds: boolean; free: number }> {
      const [row] = await takeSituationQuery(executor, { ...input, now: toDbTime(input.now) });
      return { holds: fromDbBool(row!.holds as boolean | number), free: fromDbCount(row!.free) };
    },

    /**
     * Takes one free license of the product in the team, in one guarded statement: the UPDATE
     * only lands on a row that is still free. On PostgreSQL, rows other claims are taking are
     * skipped (SKIP LOCKED) instead of waited for, and the history row is written by the same
     * statement (a data-modifying CTE: one round trip); SQLite has one writer, so nothing races
     * there, and a second statement costs no round trip.
     * The caller finishes its transaction with countClaimed(), which updates the pool counters.
     */
    async claimFree(executor: Executor, input: ClaimFreeInput): Promise<ClaimedLicense | undefined> {
      const values: TakeValues = {
        teamId: input.teamId,
        productId: input.productId,
        email: input.email,
        userId: input.userId,
        source: input.source,
        invitationId: input.invitationId ?? null,
        assignedByUserId: input.assignedByUserId,
        now: toDbTime(input.now),
      };
      let claimed: TakenRow | undefined;
      if (dialect === 'postgres') {
        [claimed] = await takeWithHistory(executor, values);
      } else {
        [claimed] = await take(executor, values);
        if (claimed) await recordTake(executor, { ...values, licenseId: claimed.id });
      }
      if (!claimed) return undefined;
      return {
        id: claimed.id,
        organizationId: claimed.organization_id,
        teamId: claimed.team_id,
        productId: claimed.product_id,
        validUntil: fromDbTime(claimed.valid_until),
      };
    },

    /** Ends the current assignments of these licenses and frees them; returns the ids freed. */
    async release(executor: Executor, ids: string[], { now, reason }: { now: Date; reason: AssignmentEndReason }): Promise<string[]> {
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
  };
}
