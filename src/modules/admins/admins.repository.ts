import { randomUUID } from 'node:crypto';
import { fromDbBool, fromDbCount, fromDbTime, toDbTime } from '../../db/column-types.js';
import type { Dialect, Executor } from '../../db/database.js';
import type { OrganizationRole, Role, TeamRole } from '../../db/tables.js';

export type RoleHolder = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  teamName: string | null;
  since: Date;
  twoFactorEnabled: boolean;
};
export type RoleInvitation = {
  id: string;
  organizationId: string;
  organizationName: string;
  email: string;
  role: Role;
  teamId: string | null;
  teamName: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  invitedByName: string | null;
};

function selectInvitations(executor: Executor) {
  return executor
    .selectFrom('role_invitations')
    .innerJoin('organizations', 'organizations.id', 'role_invitations.organization_id')
    .leftJoin('teams', 'teams.id', 'role_invitations.team_id')
    .leftJoin('users as inviter', 'inviter.id', 'role_invitations.invited_by_user_id')
    .select([
      'role_invitations.id',
      'role_invitations.organization_id',
      'organizations.name as organization_name',
      'role_invitations.email',
      'role_invitations.role',
      'role_invitations.team_id',
      'teams.name as team_name',
      'role_invitations.created_at',
      'role_invitations.expires_at',
      'role_invitations.accepted_at',
      'inviter.name as invited_by_name',
    ]);
}

type InvitationRow = Awaited<ReturnType<ReturnType<typeof selectInvitations>['executeTakeFirstOrThrow']>>;
const toInvitation = (row: InvitationRow): RoleInvitation => ({
  id: row.id,
  organizationId: row.organization_id,
  organizationName: row.organization_name,
  email: row.email,
  role: row.role,
  teamId: row.team_id,
  teamName: row.team_name,
  createdAt: fromDbTime(row.created_at),
  expiresAt: fromDbTime(row.expires_at),
  acceptedAt: row.accepted_at === null ? null : fromDbTime(row.accepted_at),
  invitedByName: row.invited_by_name,
});

export type AdminsRepository = ReturnType<typeof adminsRepository>;

export function adminsRepository(dialect: Dialect) {
  return {
    async listRoles(executor: Executor, organizationId: string): Promise<RoleHolder[]> {
      const [orgRoles, teamRoles] = await Promise.all([
        executor
          .selectFrom('organization_roles')
          .innerJoin('users', 'users.id', 'organization_roles.user_id')
          .select(['users.id', 'users.name', 'users.email', 'users.two_factor_enabled', 'organization_roles.role', 'organization_roles.created_at'])
          .where('organization_roles.organization_id', '=', organizationId)
          .execute(),
        executor
          .selectFrom('team_roles')
          .innerJoin('teams', 'teams.id', 'team_roles.team_id')
          .innerJoin('users', 'users.id', 'team_roles.user_id')
          .select([
            'users.id',
            'users.name',
            'users.email',
            'users.two_factor_enabled',
            'team_roles.role',
            'team_roles.team_id',
            'teams.name as team_name',
            'team_roles.created_at',
          ])
          .where('teams.organization_id', '=', organizationId)
          .execute(),
      ]);
      return [
        ...orgRoles.map((r) => ({
          userId: r.id,
          name: r.name,
          email: r.email,
          role: r.role as Role,
          teamId: null,
          teamName: null,
          since: fromDbTime(r.created_at),
          twoFactorEnabled: fromDbBool(r.two_factor_enabled),
        })),
        ...teamRoles.map((r) => ({
          userId: r.id,
          name: r.name,
          email: r.email,
          role: r.role as Role,
          teamId: r.team_id,
          teamName: r.team_name,
          since: fromDbTime(r.created_at),
          twoFactorEnabled: fromDbBool(r.two_factor_enabled),
        })),
      ];
    },

    async insertInvitation(
      executor: Executor,
      invitation: {
        organizationId: string;
        teamId: string | null;
        email: string;
        role: Role;
        tokenHash: string;
        invitedByUserId: string | null;
        expiresAt: Date;
        now: Date;
      },
    ): Promise<string> {
      const id = randomUUID();
      await executor
        .insertInto('role_invitations')
        .values({
          id,
          organization_id: invitation.organizationId,
          team_id: invitation.teamId,
          email: invitation.email,
          role: invitation.role,
          token_hash: invitation.tokenHash,
          invited_by_user_id: invitation.invitedByUserId,
          created_at: toDbTime(invitation.now),
          expires_at: toDbTime(invitation.expiresAt),
        })
        .execute();
      return id;
    },

    async findInvitation(executor: Executor, id: string): Promise<RoleInvitation | undefined> {
      const row = await selectInvitations(executor).where('role_invitations.id', '=', id).executeTakeFirst();
      return row && toInvitation(row);
    },

    async findInvitationByTokenHash(executor: Executor, tokenHash: string): Promise<RoleInvitation | undefined> {
      const row = await selectInvitations(executor).where('role_invitations.token_hash', '=', tokenHash).executeTakeFirst();
      return row && toInvitation(row);
    },

    async listPendingInvitations(executor: Executor, organizationId: string, now: Date): Promise<RoleInvitation[]> {
      const rows = await selectInvitations(executor)
        .where('role_invitations.organization_id', '=', organizationId)
        .where('role_invitations.accepted_at', 'is', null)
        .where('role_invitations.expires_at', '>', toDbTime(now))
        .orderBy('role_invitations.created_at', 'desc')
        .execute();
      return rows.map(toInvitation);
    },

    /** Marks the invitation used; false when another request used it first (one-time links). */
    async markAccepted(executor: Executor, { id, userId, now }: { id: string; userId: string; now: Date }): Promise<boolean> {
      const result = await executor
        .updateTable('role_invitations')
        .set({ accepted_at: toDbTime(now), accepted_by_user_id: userId })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('expires_at', '>', toDbTime(now))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async deleteInvitation(executor: Executor, id: string): Promise<void> {
      await executor.deleteFrom('role_invitations').where('id', '=', id).execute();
    },

    async addTeamRole(executor: Executor, grant: { teamId: string; userId: string; role: TeamRole }): Promise<void> {
      await executor
        .insertInto('team_roles')
        .values({ team_id: grant.teamId, user_id: grant.userId, role: grant.role })
        .onConflict((conflict) => conflict.columns(['team_id', 'user_id', 'role']).doNothing())
        .execute();
    },

    async removeOrgRole(executor: Executor, grant: { organizationId: string; userId: string; role: OrganizationRole }): Promise<boolean> {
      const result = await executor
        .deleteFrom('organization_roles')
        .where('organization_id', '=', grant.organizationId)
        .where('user_id', '=', grant.userId)
        .where('role', '=', grant.role)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async removeTeamRole(executor: Executor, grant: { teamId: string; userId: string; role: TeamRole }): Promise<boolean> {
      const result = await executor
        .deleteFrom('team_roles')
        .where('team_id', '=', grant.teamId)
        .where('user_id', '=', grant.userId)
        .where('role', '=', grant.role)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /**
     * Counts the organization's admins after locking its row, so two admins removing each other at
     * once cannot both succeed and leave it with none.
     */
    async countOrgAdminsLocked(executor: Executor, organizationId: string): Promise<number> {
      await executor
        .selectFrom('organizations')
        .select('id')
        .where('id', '=', organizationId)
        .$if(dialect === 'postgres', (query) => query.forUpdate())
        .execute();
      const row = await executor
        .selectFrom('organization_roles')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('organization_id', '=', organizationId)
        .where('role', '=', 'org_admin')
        .executeTakeFirstOrThrow();
      return fromDbCount(row.count as string | number);
    },
  };
}
