import { fromDbBool, fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import { teamNamedAfterOrder } from '../teams/teams.repository.js';
import type { AssignmentEndReason, AssignmentSource } from '../../db/tables.js';

export type AssignmentHistoryEntry = {
  email: string;
  name: string | null;
  source: AssignmentSource;
  assignedAt: Date;
  endedAt: Date | null;
  endReason: AssignmentEndReason | null;
  assignedByName: string | null;
};

export type MyLicense = {
  id: string;
  productCode: string;
  productName: string;
  organizationName: string;
  /** Null while the team carries its order's reference as its name: holders are not shown internal references. */
  teamName: string | null;
  validUntil: Date;
  assignedAt: Date;
};

/** A license someone held and no longer does: the account page says what happened to it. */
export type EndedLicense = { licenseId: string; productName: string; organizationName: string; endedAt: Date; reason: AssignmentEndReason };

/** Who holds a license and who held it: the account page's licenses and a license's history. */
export const licenseHoldersRepository = {
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
      .select(teamNamedAfterOrder.as('team_named_after_order'))
      .where('licenses.assignee_user_id', '=', userId)
      .where('licenses.valid_until', '>', toDbTime(now))
      .orderBy('products.name')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      productCode: row.code,
      productName: row.product_name,
      organizationName: row.organization_name,
      teamName: fromDbBool(row.team_named_after_order) ? null : row.team_name,
      validUntil: fromDbTime(row.valid_until),
      assignedAt: fromDbTime(row.assigned_at!),
    }));
  },

  /**
   * Licenses this person held that ended since `since`, newest first, leaving out products they hold
   * again in the same organization (nothing is missing there).
   */
  async endedForUser(executor: Executor, { userId, since, limit }: { userId: string; since: Date; limit: number }): Promise<EndedLicense[]> {
    const rows = await executor
      .selectFrom('license_assignments as ended')
      .innerJoin('licenses', 'licenses.id', 'ended.license_id')
      .innerJoin('products', 'products.id', 'licenses.product_id')
      .innerJoin('organizations', 'organizations.id', 'licenses.organization_id')
      .select(['ended.license_id', 'ended.ended_at', 'ended.end_reason', 'products.name as product_name', 'organizations.name as organization_name'])
      .where('ended.user_id', '=', userId)
      .where('ended.ended_at', '>', toDbTime(since))
      .where('ended.end_reason', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('licenses as held')
              .select('held.id')
              .where('held.assignee_user_id', '=', userId)
              .whereRef('held.product_id', '=', 'licenses.product_id')
              .whereRef('held.organization_id', '=', 'licenses.organization_id'),
          ),
        ),
      )
      .orderBy('ended.ended_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      licenseId: row.license_id,
      productName: row.product_name,
      organizationName: row.organization_name,
      endedAt: fromDbTime(row.ended_at!),
      reason: row.end_reason!,
    }));
  },

  /** Licenses this person still holds whose valid-until passed since `since`: they show as expired, not as gone. */
  async expiredForUser(executor: Executor, { userId, since, now }: { userId: string; since: Date; now: Date }): Promise<EndedLicense[]> {
    const rows = await executor
      .selectFrom('licenses')
      .innerJoin('products', 'products.id', 'licenses.product_id')
      .innerJoin('organizations', 'organizations.id', 'licenses.organization_id')
      .select(['licenses.id', 'licenses.valid_until', 'products.name as product_name', 'organizations.name as organization_name'])
      .where('licenses.assignee_user_id', '=', userId)
      .where('licenses.valid_until', '<=', toDbTime(now))
      .where('licenses.valid_until', '>', toDbTime(since))
      .orderBy('licenses.valid_until', 'desc')
      .execute();
    return rows.map((row) => ({
      licenseId: row.id,
      productName: row.product_name,
      organizationName: row.organization_name,
      endedAt: fromDbTime(row.valid_until),
      reason: 'expired' as const,
    }));
  },

  /** When and why this person's hold on a license ended; undefined while they hold it or never did. */
  async lastEnded(
    executor: Executor,
    { licenseId, userId }: { licenseId: string; userId: string },
  ): Promise<{ endedAt: Date; reason: AssignmentEndReason } | undefined> {
    const row = await executor
      .selectFrom('license_assignments')
      .select(['ended_at', 'end_reason'])
      .where('license_id', '=', licenseId)
      .where('user_id', '=', userId)
      .where('ended_at', 'is not', null)
      .orderBy('ended_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.ended_at && row.end_reason ? { endedAt: fromDbTime(row.ended_at), reason: row.end_reason } : undefined;
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
