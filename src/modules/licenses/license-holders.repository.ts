import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import type { AssignmentSource } from '../../db/tables.js';

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
