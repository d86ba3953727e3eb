import { randomUUID } from 'node:crypto';
import { fromDbCount, fromDbTime, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import { nothing } from '../../db/sql-helpers.js';
import { sql } from 'kysely';
import { ORDER_TEAM_NAME_PREFIX } from './order-teams.js';

/**
 * For selects that join `teams`: the team still carries the name its order gave it, which is an
 * internal reference that claimers are not shown. The reference is unique, so this is one index probe.
 */
export const teamNamedAfterOrder = sql<boolean | number>`exists (select 1 from orders where orders.reference = substr(teams.name, ${sql.lit(
  ORDER_TEAM_NAME_PREFIX.length + 1,
)}) and orders.team_id = teams.id and teams.name = ${sql.lit(ORDER_TEAM_NAME_PREFIX)} || orders.reference)`;

export type Team = { id: string; organizationId: string; organizationName: string; name: string; createdAt: Date };
export type ProductCount = { productId: string; productCode: string; productName: string; total: number; assigned: number; free: number };

const teamColumns = ['teams.id', 'teams.organization_id', 'organizations.name as organization_name', 'teams.name', 'teams.created_at'] as const;
type TeamRow = { id: string; organization_id: string; organization_name: string; name: string; created_at: Date | string };
const toTeam = (row: TeamRow): Team => ({
  id: row.id,
  organizationId: row.organization_id,
  organizationName: row.organization_name,
  name: row.name,
  createdAt: fromDbTime(row.created_at),
});

export const teamsRepository = {
  async findById(executor: Executor, id: string): Promise<Team | undefined> {
    const row = await executor
      .selectFrom('teams')
      .innerJoin('organizations', 'organizations.id', 'teams.organization_id')
      .select(teamColumns)
      .where('teams.id', '=', id)
      .executeTakeFirst();
    return row && toTeam(row);
  },

  async listForOrganization(executor: Executor, organizationId: string, visibleTeamIds: 'all' | ReadonlySet<string>): Promise<Team[]> {
    let query = executor
      .selectFrom('teams')
      .innerJoin('organizations', 'organizations.id', 'teams.organization_id')
      .select(teamColumns)
      .where('teams.organization_id', '=', organizationId);
    if (visibleTeamIds !== 'all') query = query.where((eb) => (visibleTeamIds.size ? eb('teams.id', 'in', [...visibleTeamIds]) : nothing));
    return (await query.orderBy('teams.name').execute()).map(toTeam);
  },

  /** Licenses that have not expired, per team and product: total, assigned and free, from the pool counters. */
  async countLicenses(executor: Executor, { organizationId, teamIds, now }: { organizationId: string; teamIds?: string[]; now: Date }) {
    let counts = executor
      .selectFrom('license_pools')
      .select((eb) => ['team_id', 'product_id', eb.fn.sum<number>('total').as('total'), eb.fn.sum<number>('assigned').as('assigned')])
      .where('organization_id', '=', organizationId)
      .where('valid_until', '>', toDbTime(now))
      .where('total', '>', 0)
      .groupBy(['team_id', 'product_id']);
    if (teamIds) counts = counts.where((eb) => (teamIds.length ? eb('team_id', 'in', teamIds) : nothing));
    const rows = await executor
      .selectFrom(counts.as('counts'))
      .innerJoin('products', 'products.id', 'counts.product_id')
      .select(['counts.team_id', 'counts.product_id', 'products.code', 'products.name', 'counts.total', 'counts.assigned'])
      .orderBy('products.code')
      .execute();
    const byTeam = new Map<string, ProductCount[]>();
    for (const row of rows) {
      const total = fromDbCount(row.total as string | number);
      const assigned = fromDbCount(row.assigned as string | number);
      const perProduct = byTeam.get(row.team_id) ?? [];
      perProduct.push({ productId: row.product_id, productCode: row.code, productName: row.name, total, assigned, free: total - assigned });
      byTeam.set(row.team_id, perProduct);
    }
    return byTeam;
  },

  /** Undefined when the organization already has a team of that name. */
  async create(executor: Executor, { organizationId, name }: { organizationId: string; name: string }): Promise<string | undefined> {
    const id = randomUUID();
    const inserted = await executor
      .insertInto('teams')
      .values({ id, organization_id: organizationId, name })
      .onConflict((conflict) => conflict.columns(['organization_id', 'name']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? id : undefined;
  },

  async findByName(executor: Executor, organizationId: string, name: string): Promise<string | undefined> {
    const row = await executor.selectFrom('teams').select('id').where('organization_id', '=', organizationId).where('name', '=', name).executeTakeFirst();
    return row?.id;
  },

  async nameTaken(
    executor: Executor,
    { organizationId, name, exceptTeamId }: { organizationId: string; name: string; exceptTeamId: string },
  ): Promise<boolean> {
    const row = await executor
      .selectFrom('teams')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where('name', '=', name)
      .where('id', '!=', exceptTeamId)
      .executeTakeFirst();
    return row !== undefined;
  },

  async rename(executor: Executor, id: string, name: string): Promise<void> {
    await executor.updateTable('teams').set({ name }).where('id', '=', id).execute();
  },

  async countAllLicenses(executor: Executor, teamId: string): Promise<number> {
    const row = await executor
      .selectFrom('licenses')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('team_id', '=', teamId)
      .executeTakeFirstOrThrow();
    return fromDbCount(row.count as string | number);
  },

  async delete(executor: Executor, id: string): Promise<void> {
    await executor.deleteFrom('teams').where('id', '=', id).execute();
  },
};
