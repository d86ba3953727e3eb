import { randomUUID } from 'node:crypto';
import { fromDbBool, fromDbCount, toDbBool } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import { fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { OrganizationRole, TwoFactorPolicy } from '../../db/tables.js';

export type Organization = { id: string; name: string };
export type OrganizationPolicies = {
  minDaysBeforeRevoke: number;
  lowSeatThreshold: number;
  reclaimIdleDays: number | null;
  requireTwoFactor: TwoFactorPolicy;
  twoFactorGraceUntil: Date | null;
};
export type OrganizationDetails = Organization & OrganizationPolicies;
export type OrganizationChanges = Partial<Omit<OrganizationPolicies, 'twoFactorGraceUntil'>> & { name?: string | undefined; twoFactorGraceUntil?: Date | null };
export type UserSummary = { id: string; name: string; email: string; emailVerified: boolean };
export type OrganizationMembership = Organization & { role: OrganizationRole };
export type PendingGrant = { id: number; organizationId: string | null; role: OrganizationRole | null; operator: boolean };

export const organizationsRepository = {
  async create(executor: Executor, { name }: { name: string }): Promise<Organization> {
    const id = randomUUID();
    await executor.insertInto('organizations').values({ id, name }).execute();
    return { id, name };
  },

  async findById(executor: Executor, id: string): Promise<OrganizationDetails | undefined> {
    const row = await executor
      .selectFrom('organizations')
      .select(['id', 'name', 'min_days_before_revoke', 'low_seat_threshold', 'reclaim_idle_days', 'require_two_factor', 'two_factor_grace_until'])
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        name: row.name,
        minDaysBeforeRevoke: row.min_days_before_revoke,
        lowSeatThreshold: row.low_seat_threshold,
        reclaimIdleDays: row.reclaim_idle_days,
        requireTwoFactor: row.require_two_factor,
        twoFactorGraceUntil: fromDbTimeOrNull(row.two_factor_grace_until),
      }
    );
  },

  /** The organization's administrators, for the emails every one of them should get. */
  async listAdmins(executor: Executor, organizationId: string): Promise<Array<{ userId: string; name: string; email: string }>> {
    return executor
      .selectFrom('organization_roles')
      .innerJoin('users', 'users.id', 'organization_roles.user_id')
      .select(['users.id as userId', 'users.name', 'users.email'])
      .where('organization_roles.organization_id', '=', organizationId)
      .where('organization_roles.role', '=', 'org_admin')
      .orderBy('users.email')
      .execute();
  },

  async listAll(executor: Executor): Promise<Organization[]> {
    return executor.selectFrom('organizations').select(['id', 'name']).orderBy('name').execute();
  },

  async listByIds(executor: Executor, ids: string[]): Promise<Organization[]> {
    if (ids.length === 0) return [];
    return executor.selectFrom('organizations').select(['id', 'name']).where('id', 'in', ids).orderBy('name').execute();
  },

  async update(executor: Executor, id: string, changes: OrganizationChanges): Promise<void> {
    const set = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.minDaysBeforeRevoke !== undefined ? { min_days_before_revoke: changes.minDaysBeforeRevoke } : {}),
      ...(changes.lowSeatThreshold !== undefined ? { low_seat_threshold: changes.lowSeatThreshold } : {}),
      ...(changes.reclaimIdleDays !== undefined ? { reclaim_idle_days: changes.reclaimIdleDays } : {}),
      ...(changes.requireTwoFactor !== undefined ? { require_two_factor: changes.requireTwoFactor } : {}),
      ...(changes.twoFactorGraceUntil !== undefined ? { two_factor_grace_until: changes.twoFactorGraceUntil && toDbTime(changes.twoFactorGraceUntil) } : {}),
    };
    if (Object.keys(set).length > 0) await executor.updateTable('organizations').set(set).where('id', '=', id).execute();
  },

  async findUserByEmail(executor: Executor, email: string): Promise<UserSummary | undefined> {
    const row = await executor
      .selectFrom('users')
      .select(['id', 'name', 'email', 'email_verified'])
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return row && { id: row.id, name: row.name, email: row.email, emailVerified: fromDbBool(row.email_verified) };
  },

  async count(executor: Executor): Promise<number> {
    const row = await executor
      .selectFrom('organizations')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return fromDbCount(row.count as string | number);
  },

  async addRole(executor: Executor, grant: { organizationId: string; userId: string; role: OrganizationRole }): Promise<void> {
    await executor
      .insertInto('organization_roles')
      .values({ organization_id: grant.organizationId, user_id: grant.userId, role: grant.role })
      .onConflict((conflict) => conflict.columns(['organization_id', 'user_id', 'role']).doNothing())
      .execute();
  },

  async listMemberships(executor: Executor, userId: string): Promise<OrganizationMembership[]> {
    return executor
      .selectFrom('organization_roles')
      .innerJoin('organizations', 'organizations.id', 'organization_roles.organization_id')
      .select(['organizations.id', 'organizations.name', 'organization_roles.role'])
      .where('organization_roles.user_id', '=', userId)
      .orderBy('organizations.name')
      .execute();
  },

  async addOperator(executor: Executor, userId: string): Promise<void> {
    await executor
      .insertInto('operators')
      .values({ user_id: userId })
      .onConflict((conflict) => conflict.column('user_id').doNothing())
      .execute();
  },

  async findVerifiedUserIdByEmail(executor: Executor, email: string): Promise<string | undefined> {
    const row = await executor.selectFrom('users').select(['id', 'email_verified']).where('email', '=', email).executeTakeFirst();
    return row && fromDbBool(row.email_verified) ? row.id : undefined;
  },

  async addPendingGrant(executor: Executor, grant: { email: string; organizationId: string | null; role: OrganizationRole | null; operator: boolean }) {
    await executor
      .insertInto('pending_grants')
      .values({ email: grant.email, organization_id: grant.organizationId, role: grant.role, operator: toDbBool(grant.operator) })
      .execute();
  },

  /** Removes and returns the grants waiting for this address, so each is applied exactly once. */
  async takePendingGrants(executor: Executor, email: string): Promise<PendingGrant[]> {
    const rows = await executor.deleteFrom('pending_grants').where('email', '=', email).returningAll().execute();
    return rows.map((row) => ({ id: row.id, organizationId: row.organization_id, role: row.role, operator: fromDbBool(row.operator) }));
  },
};
