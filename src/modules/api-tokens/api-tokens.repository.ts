import { fromDbBool, fromDbTime, fromDbTimeOrNull, toDbBool, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import type { ApiTokenScope } from '../../db/tables.js';

/** What a request with a live token acts as. */
export type LiveApiToken = {
  id: string;
  name: string;
  scope: ApiTokenScope;
  organizationId: string | null;
  /** 'all', or the teams (with their organization) it may act in. */
  teams: 'all' | Array<{ id: string; organizationId: string }>;
};

export type ApiTokenRecord = {
  id: string;
  name: string;
  scope: ApiTokenScope;
  organizationId: string | null;
  teams: 'all' | Array<{ id: string; name: string }>;
  createdBy: { name: string; email: string } | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
};

/** Whose tokens: one organization's, or the operators' (organization null). */
type Owner = { organizationId: string | null };

/** API tokens: operator tokens and organization tokens; only the SHA-256 of a token is stored. */
export const apiTokensRepository = {
  async insert(
    executor: Executor,
    token: {
      id: string;
      name: string;
      tokenHash: string;
      scope: ApiTokenScope;
      organizationId: string | null;
      teamIds: 'all' | string[];
      expiresAt: Date | null;
      createdByUserId: string | null;
      now: Date;
    },
  ): Promise<void> {
    await executor
      .insertInto('api_tokens')
      .values({
        id: token.id,
        name: token.name,
        token_hash: token.tokenHash,
        scope: token.scope,
        organization_id: token.organizationId,
        all_teams: toDbBool(token.teamIds === 'all'),
        expires_at: token.expiresAt ? toDbTime(token.expiresAt) : null,
        created_by_user_id: token.createdByUserId,
        created_at: toDbTime(token.now),
      })
      .execute();
    if (token.teamIds !== 'all' && token.teamIds.length > 0) {
      await executor
        .insertInto('api_token_teams')
        .values(token.teamIds.map((teamId) => ({ token_id: token.id, team_id: teamId })))
        .execute();
    }
  },

  /** The live token with this digest: not revoked, not expired. */
  async findLive(executor: Executor, tokenHash: string, now: Date): Promise<LiveApiToken | undefined> {
    const row = await executor
      .selectFrom('api_tokens')
      .select(['id', 'name', 'scope', 'organization_id', 'all_teams'])
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', toDbTime(now))]))
      .executeTakeFirst();
    if (!row) return undefined;
    const allTeams = row.scope === 'operator' || fromDbBool(row.all_teams);
    const teams = allTeams
      ? ('all' as const)
      : (
          await executor
            .selectFrom('api_token_teams')
            .innerJoin('teams', 'teams.id', 'api_token_teams.team_id')
            .select(['teams.id', 'teams.organization_id'])
            .where('api_token_teams.token_id', '=', row.id)
            .execute()
        ).map((team) => ({ id: team.id, organizationId: team.organization_id }));
    return { id: row.id, name: row.name, scope: row.scope, organizationId: row.organization_id, teams };
  },

  /** Notes the use, at most once a minute per token: a write per request would cost every call. */
  async touch(executor: Executor, { id, now, ip }: { id: string; now: Date; ip: string | null }): Promise<void> {
    await executor
      .updateTable('api_tokens')
      .set({ last_used_at: toDbTime(now), last_used_ip: ip })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', toDbTime(new Date(now.getTime() - 60_000)))]))
      .execute();
  },

  /** An owner's tokens, newest first, revoked ones included. */
  async list(executor: Executor, { organizationId }: Owner): Promise<ApiTokenRecord[]> {
    const rows = await executor
      .selectFrom('api_tokens')
      .leftJoin('users', 'users.id', 'api_tokens.created_by_user_id')
      .select([
        'api_tokens.id',
        'api_tokens.name',
        'api_tokens.scope',
        'api_tokens.organization_id',
        'api_tokens.all_teams',
        'api_tokens.created_at',
        'api_tokens.expires_at',
        'api_tokens.last_used_at',
        'api_tokens.last_used_ip',
        'api_tokens.revoked_at',
        'users.name as creator_name',
        'users.email as creator_email',
      ])
      .where((eb) => (organizationId === null ? eb('api_tokens.organization_id', 'is', null) : eb('api_tokens.organization_id', '=', organizationId)))
      .orderBy('api_tokens.created_at', 'desc')
      .orderBy('api_tokens.id')
      .execute();
    const ids = rows.filter((row) => row.scope !== 'operator' && !fromDbBool(row.all_teams)).map((row) => row.id);
    const teamRows =
      ids.length === 0
        ? []
        : await executor
            .selectFrom('api_token_teams')
            .innerJoin('teams', 'teams.id', 'api_token_teams.team_id')
            .select(['api_token_teams.token_id', 'teams.id', 'teams.name'])
            .where('api_token_teams.token_id', 'in', ids)
            .orderBy('teams.name')
            .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      scope: row.scope,
      organizationId: row.organization_id,
      teams:
        row.scope === 'operator' || fromDbBool(row.all_teams)
          ? 'all'
          : teamRows.filter((team) => team.token_id === row.id).map((team) => ({ id: team.id, name: team.name })),
      createdBy: row.creator_name !== null && row.creator_email !== null ? { name: row.creator_name, email: row.creator_email } : null,
      createdAt: fromDbTime(row.created_at),
      expiresAt: fromDbTimeOrNull(row.expires_at),
      lastUsedAt: fromDbTimeOrNull(row.last_used_at),
      lastUsedIp: row.last_used_ip,
      revokedAt: fromDbTimeOrNull(row.revoked_at),
    }));
  },

  /** Revokes a live token of this owner; undefined when there is none with this id. */
  async revoke(executor: Executor, { id, organizationId, now }: Owner & { id: string; now: Date }): Promise<{ id: string; name: string } | undefined> {
    return executor
      .updateTable('api_tokens')
      .set({ revoked_at: toDbTime(now) })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .where((eb) => (organizationId === null ? eb('organization_id', 'is', null) : eb('organization_id', '=', organizationId)))
      .returning(['id', 'name'])
      .executeTakeFirst();
  },
};
