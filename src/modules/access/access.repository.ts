import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import type { OrganizationRole, TeamRole } from '../../db/tables.js';

export type ApiToken = { id: string; name: string; scope: 'operator' };
export type ApiTokenSummary = ApiToken & { createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

export const accessRepository = {
  /** Every role of a user, in two indexed queries; loaded per request so a removed role applies at once. */
  async loadRoles(executor: Executor, userId: string) {
    const [orgRoles, teamRoles, operator] = await Promise.all([
      executor.selectFrom('organization_roles').select(['organization_id', 'role']).where('user_id', '=', userId).execute(),
      executor
        .selectFrom('team_roles')
        .innerJoin('teams', 'teams.id', 'team_roles.team_id')
        .select(['team_roles.team_id', 'teams.organization_id', 'team_roles.role'])
        .where('team_roles.user_id', '=', userId)
        .execute(),
      executor.selectFrom('operators').select('user_id').where('user_id', '=', userId).executeTakeFirst(),
    ]);
    const orgs = new Map<string, Set<OrganizationRole>>();
    for (const row of orgRoles) orgs.set(row.organization_id, (orgs.get(row.organization_id) ?? new Set()).add(row.role));
    const teams = new Map<string, { organizationId: string; roles: Set<TeamRole> }>();
    for (const row of teamRoles) {
      const team = teams.get(row.team_id) ?? { organizationId: row.organization_id, roles: new Set<TeamRole>() };
      team.roles.add(row.role);
      teams.set(row.team_id, team);
    }
    return { orgRoles: orgs, teamRoles: teams, isOperator: operator !== undefined };
  },

  async insertApiToken(executor: Executor, token: { id: string; name: string; tokenHash: string; scope: 'operator' }): Promise<void> {
    await executor.insertInto('api_tokens').values({ id: token.id, name: token.name, token_hash: token.tokenHash, scope: token.scope }).execute();
  },

  async findActiveApiToken(executor: Executor, tokenHash: string): Promise<ApiToken | undefined> {
    const row = await executor
      .selectFrom('api_tokens')
      .select(['id', 'name', 'scope'])
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row;
  },

  async listApiTokens(executor: Executor): Promise<ApiTokenSummary[]> {
    const rows = await executor
      .selectFrom('api_tokens')
      .select(['id', 'name', 'scope', 'created_at', 'last_used_at', 'revoked_at'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      scope: row.scope,
      createdAt: fromDbTime(row.created_at),
      lastUsedAt: fromDbTimeOrNull(row.last_used_at),
      revokedAt: fromDbTimeOrNull(row.revoked_at),
    }));
  },

  /** Revokes a live token; returns it, or undefined when no live token has this id. */
  async revokeApiToken(executor: Executor, id: string, now: Date): Promise<ApiToken | undefined> {
    return executor
      .updateTable('api_tokens')
      .set({ revoked_at: toDbTime(now) })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(['id', 'name', 'scope'])
      .executeTakeFirst();
  },

  async touchApiToken(executor: Executor, id: string, now: Date): Promise<void> {
    await executor
      .updateTable('api_tokens')
      .set({ last_used_at: toDbTime(now) })
      .where('id', '=', id)
      .execute();
  },
};
