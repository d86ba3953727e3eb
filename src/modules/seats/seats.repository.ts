import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import type { NoticeKind } from '../../db/tables.js';
import { freeInPool } from '../licenses/license-pools.repository.js';

export type EndingPool = {
  organizationId: string;
  organizationName: string;
  teamId: string;
  teamName: string;
  productId: string;
  productName: string;
  validUntil: Date;
  total: number;
  assigned: number;
};

export type EndingHold = { licenseId: string; email: string; name: string | null; productName: string; organizationName: string; validUntil: Date };

/** A hold (an active assignment) under the idle-seat policy; `idleSince` is its last use, a keep, or its start. */
export type IdleHold = {
  holdId: number;
  licenseId: string;
  organizationId: string;
  teamId: string;
  email: string;
  name: string | null;
  productName: string;
  organizationName: string;
  idleSince: Date;
  warnedAt: Date | null;
};

export type Recipient = { userId: string; email: string; name: string };

const latest = (...instants: Array<Date | null>) => new Date(Math.max(...instants.filter((d): d is Date => d !== null).map((d) => d.getTime())));

export const seatsRepository = {
  /** Pools with seats whose valid-until falls in (after, until]. */
  async poolsEndingBetween(executor: Executor, { after, until }: { after: Date; until: Date }): Promise<EndingPool[]> {
    const rows = await executor
      .selectFrom('license_pools as pool')
      .innerJoin('organizations', 'organizations.id', 'pool.organization_id')
      .innerJoin('teams', 'teams.id', 'pool.team_id')
      .innerJoin('products', 'products.id', 'pool.product_id')
      .select([
        'pool.organization_id',
        'organizations.name as organization_name',
        'pool.team_id',
        'teams.name as team_name',
        'pool.product_id',
        'products.name as product_name',
        'pool.valid_until',
        'pool.total',
        'pool.assigned',
      ])
      .where('pool.valid_until', '>', toDbTime(after))
      .where('pool.valid_until', '<=', toDbTime(until))
      .where('pool.total', '>', 0)
      .execute();
    return rows.map((row) => ({
      organizationId: row.organization_id,
      organizationName: row.organization_name,
      teamId: row.team_id,
      teamName: row.team_name,
      productId: row.product_id,
      productName: row.product_name,
      validUntil: fromDbTime(row.valid_until),
      total: row.total,
      assigned: row.assigned,
    }));
  },

  /** Held licenses whose valid-until falls in (after, until]. */
  async holdsEndingBetween(executor: Executor, { after, until }: { after: Date; until: Date }): Promise<EndingHold[]> {
    const rows = await executor
      .selectFrom('licenses')
      .innerJoin('organizations', 'organizations.id', 'licenses.organization_id')
      .innerJoin('products', 'products.id', 'licenses.product_id')
      .leftJoin('users', 'users.id', 'licenses.assignee_user_id')
      .select([
        'licenses.id',
        'licenses.assignee_email',
        'users.name',
        'products.name as product_name',
        'organizations.name as organization_name',
        'licenses.valid_until',
      ])
      .where('licenses.assignee_email', 'is not', null)
      .where('licenses.valid_until', '>', toDbTime(after))
      .where('licenses.valid_until', '<=', toDbTime(until))
      .execute();
    return rows.map((row) => ({
      licenseId: row.id,
      email: row.assignee_email!,
      name: row.name,
      productName: row.product_name,
      organizationName: row.organization_name,
      validUntil: fromDbTime(row.valid_until),
    }));
  },

  /** The organization's administrators and the team's, less those who turned this kind of notice off. */
  async recipients(executor: Executor, { organizationId, teamId, kind }: { organizationId: string; teamId: string; kind: NoticeKind }): Promise<Recipient[]> {
    return executor
      .selectFrom('users')
      .select(['users.id as userId', 'users.email', 'users.name'])
      .where((eb) =>
        eb.or([
          eb(
            'users.id',
            'in',
            eb.selectFrom('organization_roles').select('user_id').where('organization_id', '=', organizationId).where('role', '=', 'org_admin'),
          ),
          eb('users.id', 'in', eb.selectFrom('team_roles').select('user_id').where('team_id', '=', teamId).where('role', '=', 'team_admin')),
        ]),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('notice_opt_outs')
              .select('notice_opt_outs.user_id')
              .whereRef('notice_opt_outs.user_id', '=', 'users.id')
              .where('notice_opt_outs.organization_id', '=', organizationId)
              .where('notice_opt_outs.kind', '=', kind),
          ),
        ),
      )
      .orderBy('users.email')
      .execute();
  },

  async optedOut(executor: Executor, { userId, organizationId }: { userId: string; organizationId: string }): Promise<NoticeKind[]> {
    const rows = await executor
      .selectFrom('notice_opt_outs')
      .select('kind')
      .where('user_id', '=', userId)
      .where('organization_id', '=', organizationId)
      .execute();
    return rows.map((row) => row.kind);
  },

  async setOptOut(executor: Executor, input: { userId: string; organizationId: string; kind: NoticeKind; optedOut: boolean }): Promise<void> {
    if (input.optedOut) {
      await executor
        .insertInto('notice_opt_outs')
        .values({ user_id: input.userId, organization_id: input.organizationId, kind: input.kind })
        .onConflict((oc) => oc.doNothing())
        .execute();
    } else {
      await executor
        .deleteFrom('notice_opt_outs')
        .where('user_id', '=', input.userId)
        .where('organization_id', '=', input.organizationId)
        .where('kind', '=', input.kind)
        .execute();
    }
  },

  /**
   * A pool's free seats and its organization's low-seat threshold, in one statement: take-license
   * asks while it holds the pool's counter row, so every round trip here is time other takers wait.
   */
  async poolLevel(
    executor: Executor,
    pool: { organizationId: string; teamId: string; productId: string },
    now: Date,
  ): Promise<{ free: number; threshold: number }> {
    const row = await executor
      .selectFrom('organizations')
      .select([
        'organizations.low_seat_threshold',
        freeInPool(executor, { teamId: pool.teamId, productId: pool.productId, validAfter: toDbTime(now) }).as('free'),
      ])
      .where('organizations.id', '=', pool.organizationId)
      .executeTakeFirst();
    return { free: Number(row?.free ?? 0), threshold: row?.low_seat_threshold ?? 0 };
  },

  async organizationsReclaiming(executor: Executor): Promise<Array<{ organizationId: string; idleDays: number }>> {
    const rows = await executor.selectFrom('organizations').select(['id', 'reclaim_idle_days']).where('reclaim_idle_days', 'is not', null).execute();
    return rows.map((row) => ({ organizationId: row.id, idleDays: row.reclaim_idle_days! }));
  },

  /** Holds of the organization's unexpired licenses with no use, keep or start since `idleBefore`. */
  async idleHolds(executor: Executor, { organizationId, idleBefore, now }: { organizationId: string; idleBefore: Date; now: Date }): Promise<IdleHold[]> {
    const before = toDbTime(idleBefore);
    const rows = await executor
      .selectFrom('license_assignments as hold')
      .innerJoin('licenses', 'licenses.id', 'hold.license_id')
      .innerJoin('organizations', 'organizations.id', 'licenses.organization_id')
      .innerJoin('products', 'products.id', 'licenses.product_id')
      .leftJoin('users', 'users.id', 'hold.user_id')
      .select([
        'hold.id',
        'hold.license_id',
        'licenses.organization_id',
        'licenses.team_id',
        'hold.email',
        'users.name',
        'products.name as product_name',
        'organizations.name as organization_name',
        'hold.assigned_at',
        'hold.kept_at',
        'licenses.last_seen_at',
        'hold.idle_warned_at',
      ])
      .where('licenses.organization_id', '=', organizationId)
      .where('hold.ended_at', 'is', null)
      .where('licenses.valid_until', '>', toDbTime(now))
      .where('hold.assigned_at', '<', before)
      .where((eb) => eb.or([eb('hold.kept_at', 'is', null), eb('hold.kept_at', '<', before)]))
      .where((eb) => eb.or([eb('licenses.last_seen_at', 'is', null), eb('licenses.last_seen_at', '<', before)]))
      .orderBy('hold.id')
      .execute();
    return rows.map((row) => ({
      holdId: Number(row.id),
      licenseId: row.license_id,
      organizationId: row.organization_id,
      teamId: row.team_id,
      email: row.email,
      name: row.name,
      productName: row.product_name,
      organizationName: row.organization_name,
      idleSince: latest(fromDbTime(row.assigned_at), fromDbTimeOrNull(row.kept_at), fromDbTimeOrNull(row.last_seen_at)),
      warnedAt: fromDbTimeOrNull(row.idle_warned_at),
    }));
  },

  async markWarned(executor: Executor, holdId: number, now: Date): Promise<void> {
    await executor
      .updateTable('license_assignments')
      .set({ idle_warned_at: toDbTime(now) })
      .where('id', '=', holdId)
      .execute();
  },

  /** "I still use it": the holder's current hold of this license counts as used now. Returns whether they hold it. */
  async keep(executor: Executor, { licenseId, userId, now }: { licenseId: string; userId: string; now: Date }): Promise<boolean> {
    const result = await executor
      .updateTable('license_assignments')
      .set({ kept_at: toDbTime(now), idle_warned_at: null })
      .where('license_id', '=', licenseId)
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** The claim an invitation made for this hold, if it came from one (give-back notices follow claim-email rules). */
  async claimOf(executor: Executor, { licenseId, userId }: { licenseId: string; userId: string }) {
    const row = await executor
      .selectFrom('invitation_claims')
      .innerJoin('invitations', 'invitations.id', 'invitation_claims.invitation_id')
      .select(['invitation_claims.id', 'invitations.created_by_user_id'])
      .where('invitation_claims.license_id', '=', licenseId)
      .where('invitation_claims.user_id', '=', userId)
      .orderBy('invitation_claims.id', 'desc')
      .executeTakeFirst();
    return row && { claimId: Number(row.id), invitationCreatedBy: row.created_by_user_id };
  },

  /** What a low-seat alert names: the pool's organization, team and product, and its seats now. */
  async poolNames(executor: Executor, pool: { organizationId: string; teamId: string; productId: string }, now: Date) {
    const row = await executor
      .selectFrom('license_pools as pool')
      .innerJoin('organizations', 'organizations.id', 'pool.organization_id')
      .innerJoin('teams', 'teams.id', 'pool.team_id')
      .innerJoin('products', 'products.id', 'pool.product_id')
      .select((eb) => [
        'organizations.name as organization_name',
        'teams.name as team_name',
        'products.name as product_name',
        eb.fn.sum<number>('pool.total').as('total'),
      ])
      .where('pool.team_id', '=', pool.teamId)
      .where('pool.product_id', '=', pool.productId)
      .where('pool.valid_until', '>', toDbTime(now))
      .groupBy(['organizations.name', 'teams.name', 'products.name'])
      .executeTakeFirst();
    return row && { organizationName: row.organization_name, teamName: row.team_name, productName: row.product_name, total: Number(row.total) };
  },

  /** The license this person holds now, with what its notices name. */
  async heldBy(executor: Executor, { licenseId, userId }: { licenseId: string; userId: string }) {
    const row = await executor
      .selectFrom('licenses')
      .innerJoin('organizations', 'organizations.id', 'licenses.organization_id')
      .innerJoin('teams', 'teams.id', 'licenses.team_id')
      .innerJoin('products', 'products.id', 'licenses.product_id')
      .select([
        'licenses.id',
        'licenses.organization_id',
        'licenses.team_id',
        'licenses.assignee_email',
        'organizations.name as organization_name',
        'teams.name as team_name',
        'products.name as product_name',
        'products.code as product_code',
      ])
      .where('licenses.id', '=', licenseId)
      .where('licenses.assignee_user_id', '=', userId)
      .executeTakeFirst();
    return (
      row && {
        licenseId: row.id,
        organizationId: row.organization_id,
        teamId: row.team_id,
        email: row.assignee_email!,
        organizationName: row.organization_name,
        teamName: row.team_name,
        productName: row.product_name,
        productCode: row.product_code,
      }
    );
  },
};

export type SeatsRepository = typeof seatsRepository;
