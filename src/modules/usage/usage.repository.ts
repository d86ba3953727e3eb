import { nothing } from '../../db/sql-helpers.js';
import { fromDbCount, fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';

/** One pool's seats on one day. `active`: held licenses a product used in the 30 days before. */
export type PoolDay = { day: string; organizationId: string; teamId: string; productId: string; total: number; assigned: number; active: number };

export type ReclaimedSeat = {
  licenseId: string;
  email: string;
  productName: string;
  teamName: string;
  releasedAt: Date;
  lastUsedAt: Date | null;
};

const ACTIVE_WINDOW_MS = 30 * 86_400_000;
type PoolKey = { organization_id: string; team_id: string; product_id: string };
const keyOf = (row: PoolKey) => `${row.organization_id}|${row.team_id}|${row.product_id}`;

export const usageRepository = {
  /**
   * Every pool's seats as they stood at `at`, read from history: licenses that existed and had not
   * expired; holds that had begun and not ended; holds whose license a machine used within the 30
   * days before (an activation seen first before `at` and last after the window opened). Licenses
   * moved between teams count in their current team: moves are not kept as history.
   */
  async poolsAt(executor: Executor, at: Date): Promise<Array<Omit<PoolDay, 'day'>>> {
    const when = toDbTime(at);
    const windowStart = toDbTime(new Date(at.getTime() - ACTIVE_WINDOW_MS));
    const live = executor.selectFrom('licenses').where('licenses.created_at', '<=', when).where('licenses.valid_until', '>', when);
    const held = live
      .innerJoin('license_assignments as hold', 'hold.license_id', 'licenses.id')
      .where('hold.assigned_at', '<=', when)
      .where((eb) => eb.or([eb('hold.ended_at', 'is', null), eb('hold.ended_at', '>', when)]));
    const [totals, assigned, active] = await Promise.all([
      live
        .select((eb) => ['licenses.organization_id', 'licenses.team_id', 'licenses.product_id', eb.fn.countAll<number>().as('count')])
        .groupBy(['licenses.organization_id', 'licenses.team_id', 'licenses.product_id'])
        .execute(),
      held
        .select((eb) => ['licenses.organization_id', 'licenses.team_id', 'licenses.product_id', eb.fn.countAll<number>().as('count')])
        .groupBy(['licenses.organization_id', 'licenses.team_id', 'licenses.product_id'])
        .execute(),
      held
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('machine_activations as use')
              .select('use.id')
              .whereRef('use.license_id', '=', 'licenses.id')
              .whereRef('use.user_id', '=', 'hold.user_id')
              .where('use.first_seen_at', '<=', when)
              .where('use.last_seen_at', '>=', windowStart),
          ),
        )
        .select((eb) => ['licenses.organization_id', 'licenses.team_id', 'licenses.product_id', eb.fn.countAll<number>().as('count')])
        .groupBy(['licenses.organization_id', 'licenses.team_id', 'licenses.product_id'])
        .execute(),
    ]);
    const pools = new Map<string, Omit<PoolDay, 'day'>>();
    for (const row of totals) {
      pools.set(keyOf(row), {
        organizationId: row.organization_id,
        teamId: row.team_id,
        productId: row.product_id,
        total: fromDbCount(row.count),
        assigned: 0,
        active: 0,
      });
    }
    for (const row of assigned) {
      const pool = pools.get(keyOf(row));
      if (pool) pool.assigned = fromDbCount(row.count);
    }
    for (const row of active) {
      const pool = pools.get(keyOf(row));
      if (pool) pool.active = fromDbCount(row.count);
    }
    return [...pools.values()];
  },

  /** Writes a day's rows; a day written again (by this or another instance) is replaced, never doubled. */
  async upsertDay(executor: Executor, day: string, pools: Array<Omit<PoolDay, 'day'>>, now: Date): Promise<void> {
    if (pools.length === 0) return;
    await executor
      .insertInto('usage_daily')
      .values(
        pools.map((pool) => ({
          day,
          organization_id: pool.organizationId,
          team_id: pool.teamId,
          product_id: pool.productId,
          total: pool.total,
          assigned: pool.assigned,
          active: pool.active,
          recorded_at: toDbTime(now),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['organization_id', 'day', 'team_id', 'product_id']).doUpdateSet((eb) => ({
          total: eb.ref('excluded.total'),
          assigned: eb.ref('excluded.assigned'),
          active: eb.ref('excluded.active'),
          recorded_at: eb.ref('excluded.recorded_at'),
        })),
      )
      .execute();
  },

  /** The newest day any instance recorded; undefined before the first run. */
  async latestDay(executor: Executor): Promise<string | undefined> {
    const row = await executor
      .selectFrom('usage_daily')
      .select((eb) => eb.fn.max('day').as('day'))
      .executeTakeFirst();
    return (row?.day as string | null) ?? undefined;
  },

  /** When the first license was made: how far back history reaches. */
  async firstLicenseAt(executor: Executor): Promise<Date | undefined> {
    const row = await executor
      .selectFrom('licenses')
      .select((eb) => eb.fn.min('created_at').as('first'))
      .executeTakeFirst();
    const first = row?.first as Date | string | null | undefined;
    return first ? fromDbTime(first) : undefined;
  },

  async daysOf(
    executor: Executor,
    filters: {
      organizationId: string;
      from: string;
      to: string;
      visibleTeamIds: 'all' | ReadonlySet<string>;
      productId?: string | undefined;
      teamId?: string | undefined;
    },
  ): Promise<PoolDay[]> {
    let query = executor
      .selectFrom('usage_daily')
      .select(['day', 'organization_id', 'team_id', 'product_id', 'total', 'assigned', 'active'])
      .where('organization_id', '=', filters.organizationId)
      .where('day', '>=', filters.from)
      .where('day', '<=', filters.to);
    const visible = filters.visibleTeamIds;
    if (visible !== 'all') query = query.where((eb) => (visible.size ? eb('team_id', 'in', [...visible]) : nothing));
    if (filters.productId) query = query.where('product_id', '=', filters.productId);
    if (filters.teamId) query = query.where('team_id', '=', filters.teamId);
    const rows = await query.orderBy('day').orderBy('product_id').orderBy('team_id').execute();
    return rows.map((row) => ({
      day: row.day,
      organizationId: row.organization_id,
      teamId: row.team_id,
      productId: row.product_id,
      total: row.total,
      assigned: row.assigned,
      active: row.active,
    }));
  },

  /** Seats the idle-seat policy released since `since`, newest first. */
  async reclaimedSince(
    executor: Executor,
    filters: { organizationId: string; since: Date; visibleTeamIds: 'all' | ReadonlySet<string>; limit: number },
  ): Promise<ReclaimedSeat[]> {
    let query = executor
      .selectFrom('license_assignments as hold')
      .innerJoin('licenses', 'licenses.id', 'hold.license_id')
      .innerJoin('products', 'products.id', 'licenses.product_id')
      .innerJoin('teams', 'teams.id', 'licenses.team_id')
      .select((eb) => [
        'hold.license_id',
        'hold.email',
        'hold.ended_at',
        'products.name as product_name',
        'teams.name as team_name',
        eb
          .selectFrom('machine_activations as use')
          .select((inner) => inner.fn.max('use.last_seen_at').as('last'))
          .whereRef('use.license_id', '=', 'hold.license_id')
          .whereRef('use.user_id', '=', 'hold.user_id')
          .as('last_used_at'),
      ])
      .where('licenses.organization_id', '=', filters.organizationId)
      .where('hold.end_reason', '=', 'reclaimed')
      .where('hold.ended_at', '>=', toDbTime(filters.since));
    const visible = filters.visibleTeamIds;
    if (visible !== 'all') query = query.where((eb) => (visible.size ? eb('licenses.team_id', 'in', [...visible]) : nothing));
    const rows = await query.orderBy('hold.ended_at', 'desc').limit(filters.limit).execute();
    return rows.map((row) => ({
      licenseId: row.license_id,
      email: row.email,
      productName: row.product_name,
      teamName: row.team_name,
      releasedAt: fromDbTime(row.ended_at!),
      lastUsedAt: fromDbTimeOrNull(row.last_used_at as Date | string | null),
    }));
  },
};

export type UsageRepository = typeof usageRepository;
