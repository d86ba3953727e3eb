import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { createApiTokenBody } from '@allot/contract/api-tokens';
import type { RateLimiter, RateLimitVerdict } from '../../auth/rate-limiter.js';
import type { Db } from '../../db/database.js';
import type { OrganizationRole, TeamRole } from '../../db/tables.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { createToken, hashToken } from '../../lib/tokens.js';
import { requireOperator, requireOrgAdmin, requirePerson, type Actor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { teamsRepository } from '../teams/teams.repository.js';
import type { ApiTokenRecord, apiTokensRepository, LiveApiToken } from './api-tokens.repository.js';

/**
 * Every API token starts with this, so secret scanners (and people) recognise a leaked one:
 * `allot_` followed by 256 random bits in base64url.
 */
export const API_TOKEN_PREFIX = 'allot_';

type CreateApiTokenInput = z.output<typeof createApiTokenBody>;

export type ApiTokenView = ApiTokenRecord & { status: 'active' | 'expired' | 'revoked' };

/**
 * API tokens. An organization's tokens belong to the organization, not to the admin who made
 * them: any organization admin lists and revokes them, and they keep working when their maker
 * leaves (the audit log names who made each). Their power is their scope — read, or read and
 * write, in all teams or some — never more than an organization admin's, and never the things
 * only people do (administrators, tokens, webhooks, settings). Operator tokens act for the
 * instance; they are made with the CLI and listed and revoked by operators.
 */
export function apiTokensService(deps: {
  db: Db;
  repo: typeof apiTokensRepository;
  teams: Pick<typeof teamsRepository, 'findById'>;
  audit: Pick<typeof auditRepository, 'record'>;
  rateLimiter: Pick<RateLimiter, 'hit'>;
  /** Requests a token may make per minute (API_TOKEN_RATE_LIMIT). */
  requestsPerMinute: number;
  clock: Clock;
}) {
  const view = (record: ApiTokenRecord): ApiTokenView => {
    const now = deps.clock.now();
    const status = record.revokedAt ? 'revoked' : record.expiresAt && record.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
    return { ...record, status };
  };

  async function create(
    actor: Actor,
    token: { name: string; scope: 'operator' | 'read' | 'write'; organizationId: string | null; teamIds: 'all' | string[]; expiresAt: Date | null },
  ) {
    const secret = `${API_TOKEN_PREFIX}${createToken()}`;
    const id = randomUUID();
    const now = deps.clock.now();
    await deps.db.transaction().execute(async (trx) => {
      await deps.repo.insert(trx, { id, tokenHash: hashToken(secret), createdByUserId: actor.userId, now, ...token });
      await deps.audit.record(
        trx,
        actor,
        {
          action: 'api_token.created',
          targetType: 'api_token',
          targetId: id,
          organizationId: token.organizationId,
          details: { name: token.name, scope: token.scope, teams: token.teamIds, expiresAt: token.expiresAt?.toISOString() ?? null },
        },
        now,
      );
    });
    const created = (await deps.repo.list(deps.db, { organizationId: token.organizationId })).find((record) => record.id === id)!;
    return { ...view(created), token: secret };
  }

  async function revoke(actor: Actor, { id, organizationId }: { id: string; organizationId: string | null }) {
    await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      const revoked = await deps.repo.revoke(trx, { id, organizationId, now });
      if (!revoked) throw new AppError('NOT_FOUND', { message: 'No live API token has this id.' });
      await deps.audit.record(
        trx,
        actor,
        { action: 'api_token.revoked', targetType: 'api_token', targetId: id, organizationId, details: { name: revoked.name } },
        now,
      );
    });
  }

  return {
    /** The actor behind `Authorization: Bearer allot_…`: undefined for an unknown, revoked or expired token. */
    async actorFor(token: string, ip: string | null): Promise<{ actor: Actor; tokenId: string } | undefined> {
      if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
      const now = deps.clock.now();
      const live = await deps.repo.findLive(deps.db, hashToken(token), now);
      if (!live) return undefined;
      await deps.repo.touch(deps.db, { id: live.id, now, ip });
      return { actor: actorOf(live, ip), tokenId: live.id };
    },

    /** Counts a request of this token against its limit per minute; the answer carries the RateLimit-* figures. */
    async rateLimit(tokenId: string): Promise<RateLimitVerdict & { limit: number }> {
      const verdict = await deps.rateLimiter.hit(`api-token:${tokenId}`, { limit: deps.requestsPerMinute, windowMs: 60_000 });
      return { ...verdict, limit: deps.requestsPerMinute };
    },

    async createForOrganization(actor: Actor, organizationId: string, input: CreateApiTokenInput) {
      requireOrgAdmin(actor, organizationId);
      requirePerson(actor);
      if (input.teams !== 'all') {
        for (const teamId of new Set(input.teams)) {
          const team = await deps.teams.findById(deps.db, teamId);
          if (team?.organizationId !== organizationId) {
            throw new AppError('VALIDATION_FAILED', { message: `No team of this organization has the id ${teamId}.`, details: { field: 'teams', teamId } });
          }
        }
      }
      return create(actor, {
        name: input.name,
        scope: input.scope,
        organizationId,
        teamIds: input.teams === 'all' ? 'all' : [...new Set(input.teams)],
        expiresAt: input.expiresAt ?? null,
      });
    },

    async listForOrganization(actor: Actor, organizationId: string): Promise<ApiTokenView[]> {
      requireOrgAdmin(actor, organizationId);
      requirePerson(actor);
      return (await deps.repo.list(deps.db, { organizationId })).map(view);
    },

    async revokeForOrganization(actor: Actor, organizationId: string, id: string): Promise<void> {
      requireOrgAdmin(actor, organizationId);
      requirePerson(actor);
      await revoke(actor, { id, organizationId });
    },

    /** Operator tokens: made by the CLI (`allot tokens create --operator`) or an operator. */
    async createOperatorToken(actor: Actor, name: string) {
      requireOperator(actor);
      requirePerson(actor);
      return create(actor, { name, scope: 'operator', organizationId: null, teamIds: 'all', expiresAt: null });
    },

    async listOperatorTokens(actor: Actor): Promise<ApiTokenView[]> {
      requireOperator(actor);
      requirePerson(actor);
      return (await deps.repo.list(deps.db, { organizationId: null })).map(view);
    },

    async revokeOperatorToken(actor: Actor, id: string): Promise<void> {
      requireOperator(actor);
      requirePerson(actor);
      await revoke(actor, { id, organizationId: null });
    },
  };
}

/** A token acts with the roles its scope stands for, in its organization only. */
function actorOf(token: LiveApiToken, ip: string | null): Actor {
  const base = { userId: null, label: `API token ${token.name}`, ip, apiTokenId: token.id };
  if (token.scope === 'operator') return { ...base, isOperator: true, orgRoles: new Map(), teamRoles: new Map() };
  const organizationId = token.organizationId!;
  if (token.teams === 'all') {
    const role: OrganizationRole = token.scope === 'write' ? 'org_admin' : 'org_viewer';
    return { ...base, isOperator: false, orgRoles: new Map([[organizationId, new Set([role])]]), teamRoles: new Map() };
  }
  const role: TeamRole = token.scope === 'write' ? 'team_admin' : 'team_viewer';
  const teamRoles = new Map(
    token.teams.filter((team) => team.organizationId === organizationId).map((team) => [team.id, { organizationId, roles: new Set([role]) }] as const),
  );
  return { ...base, isOperator: false, orgRoles: new Map(), teamRoles };
}

export type ApiTokensService = ReturnType<typeof apiTokensService>;
