import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { canManageTeam, requireOrgAccess, requireOrgAdmin, requireTeamManage, requireTeamRead, type Actor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { ProductCount, Team, teamsRepository } from './teams.repository.js';

export type TeamWithCounts = Team & { canManage: boolean; products: ProductCount[]; totals: { total: number; assigned: number; free: number } };

const sum = (counts: ProductCount[]) =>
  counts.reduce((totals, count) => ({ total: totals.total + count.total, assigned: totals.assigned + count.assigned, free: totals.free + count.free }), {
    total: 0,
    assigned: 0,
    free: 0,
  });

export function teamsService(deps: { db: Db; repo: typeof teamsRepository; audit: Pick<typeof auditRepository, 'record'>; clock: Clock }) {
  async function withCounts(actor: Actor, teams: Team[], organizationId: string): Promise<TeamWithCounts[]> {
    const access = requireOrgAccess(actor, organizationId);
    const counts = await deps.repo.countLicenses(deps.db, { organizationId, teamIds: teams.map((t) => t.id), now: deps.clock.now() });
    return teams.map((team) => {
      const products = counts.get(team.id) ?? [];
      return { ...team, canManage: canManageTeam(access, team.id), products, totals: sum(products) };
    });
  }

  async function getTeam(actor: Actor, teamId: string): Promise<Team> {
    const team = await deps.repo.findById(deps.db, teamId);
    if (!team) throw new AppError('NOT_FOUND');
    requireTeamRead(actor, team);
    return team;
  }

  return {
    /** Organization admins and viewers see every team; team admins and viewers only theirs. */
    async list(actor: Actor, organizationId: string): Promise<TeamWithCounts[]> {
      const access = requireOrgAccess(actor, organizationId);
      const teams = await deps.repo.listForOrganization(deps.db, organizationId, access.visibleTeams);
      return withCounts(actor, teams, organizationId);
    },

    async get(actor: Actor, teamId: string): Promise<TeamWithCounts> {
      const team = await getTeam(actor, teamId);
      return (await withCounts(actor, [team], team.organizationId))[0]!;
    },

    async create(actor: Actor, organizationId: string, name: string): Promise<TeamWithCounts> {
      requireOrgAdmin(actor, organizationId);
      const teamId = await deps.db.transaction().execute(async (trx) => {
        const id = await deps.repo.create(trx, { organizationId, name });
        if (!id) throw new AppError('TEAM_NAME_TAKEN');
        await deps.audit.record(
          trx,
          actor,
          { action: 'team.created', targetType: 'team', targetId: id, organizationId, teamId: id, details: { name } },
          deps.clock.now(),
        );
        return id;
      });
      return this.get(actor, teamId);
    },

    async rename(actor: Actor, teamId: string, name: string): Promise<TeamWithCounts> {
      const team = await getTeam(actor, teamId);
      requireTeamManage(actor, team);
      await deps.db.transaction().execute(async (trx) => {
        if (await deps.repo.nameTaken(trx, { organizationId: team.organizationId, name, exceptTeamId: team.id })) throw new AppError('TEAM_NAME_TAKEN');
        await deps.repo.rename(trx, team.id, name);
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'team.renamed',
            targetType: 'team',
            targetId: team.id,
            organizationId: team.organizationId,
            teamId: team.id,
            details: { from: team.name, to: name },
          },
          deps.clock.now(),
        );
      });
      return this.get(actor, teamId);
    },

    /** Only empty teams go: licenses never disappear with a team. */
    async delete(actor: Actor, teamId: string): Promise<void> {
      const team = await getTeam(actor, teamId);
      requireOrgAdmin(actor, team.organizationId);
      await deps.db.transaction().execute(async (trx) => {
        if ((await deps.repo.countAllLicenses(trx, team.id)) > 0) throw new AppError('TEAM_NOT_EMPTY');
        await deps.repo.delete(trx, team.id);
        await deps.audit.record(
          trx,
          actor,
          { action: 'team.deleted', targetType: 'team', targetId: team.id, organizationId: team.organizationId, details: { name: team.name } },
          deps.clock.now(),
        );
      });
    },
  };
}

export type TeamsService = ReturnType<typeof teamsService>;
