import type { Clock } from '../../lib/clock.js';
import { createToken, hashToken } from '../../lib/tokens.js';
import type { Db } from '../../db/database.js';
import type { OrganizationRole, Role, TeamRole } from '../../db/tables.js';
import { AppError } from '../../errors.js';
import type { SessionUser } from '../../auth/sessions.repository.js';
import type { Mailer } from '../../mail/mailer.js';
import { licenseTemplates } from '../../mail/templates.js';
import { canManageTeam, canSeeTeam, requireOrgAccess, type Actor, requirePerson } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { organizationsRepository } from '../organizations/organizations.repository.js';
import type { teamsRepository } from '../teams/teams.repository.js';
import type { AdminsRepository, RoleInvitation } from './admins.repository.js';

const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const isTeamRole = (role: Role): role is TeamRole => role === 'team_admin' || role === 'team_viewer';
export const roleLabels: Record<Role, string> = {
  org_admin: 'organization admin',
  org_viewer: 'organization viewer',
  team_admin: 'team admin',
  team_viewer: 'team viewer',
};

type Deps = {
  db: Db;
  repo: AdminsRepository;
  organizations: Pick<typeof organizationsRepository, 'addRole' | 'findById'>;
  teams: Pick<typeof teamsRepository, 'findById'>;
  audit: Pick<typeof auditRepository, 'record'>;
  mailer: Pick<Mailer, 'enqueue'>;
  clock: Clock;
  baseUrl: string;
};

/** Administrators and viewers: who holds which role, one-time invitation links, removal. */
export function adminsService(deps: Deps) {
  /** Org-level roles need an org admin; team roles need someone who manages that team. */
  async function requireCanGrant(actor: Actor, organizationId: string, role: Role, teamId: string | null | undefined) {
    const access = requireOrgAccess(actor, organizationId);
    if (isTeamRole(role)) {
      if (!teamId) throw new AppError('VALIDATION_FAILED', { message: 'Choose the team for a team role.', details: { field: 'teamId' } });
      const team = await deps.teams.findById(deps.db, teamId);
      if (!team || team.organizationId !== organizationId || !canSeeTeam(access, team.id)) throw new AppError('NOT_FOUND');
      if (!canManageTeam(access, team.id)) throw new AppError('FORBIDDEN');
      return team;
    }
    if (teamId) throw new AppError('VALIDATION_FAILED', { message: 'Organization roles do not belong to a team.', details: { field: 'teamId' } });
    if (access.level !== 'admin') throw new AppError('FORBIDDEN');
    return undefined;
  }

  return {
    async list(actor: Actor, organizationId: string) {
      const access = requireOrgAccess(actor, organizationId);
      const now = deps.clock.now();
      const [roles, invitations] = await Promise.all([
        deps.repo.listRoles(deps.db, organizationId),
        deps.repo.listPendingInvitations(deps.db, organizationId, now),
      ]);
      const visible = (teamId: string | null) => teamId === null || canSeeTeam(access, teamId);
      return {
        roles: roles.filter((r) => visible(r.teamId)),
        invitations: access.level === 'team' ? invitations.filter((i) => i.teamId && canSeeTeam(access, i.teamId)) : invitations,
      };
    },

    /** Creates a one-time link (valid 7 days), emails it, and returns it for copying. */
    async invite(
      actor: Actor,
      organizationId: string,
      input: { email: string; role: Role; teamId?: string | undefined },
    ): Promise<{ invitation: RoleInvitation; link: string }> {
      const team = await requireCanGrant(actor, organizationId, input.role, input.teamId);
      requirePerson(actor);
      const token = createToken();
      const now = deps.clock.now();
      const email = input.email.toLowerCase();
      const link = `${deps.baseUrl}/admin-invitations/accept?token=${token}`;
      const invitation = await deps.db.transaction().execute(async (trx) => {
        const organization = (await deps.organizations.findById(trx, organizationId))!;
        const id = await deps.repo.insertInvitation(trx, {
          organizationId,
          teamId: team?.id ?? null,
          email,
          role: input.role,
          tokenHash: hashToken(token),
          invitedByUserId: actor.userId,
          expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
          now,
        });
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'role.invited',
            targetType: 'role_invitation',
            targetId: id,
            organizationId,
            teamId: team?.id ?? null,
            details: { email, role: input.role },
          },
          now,
        );
        await deps.mailer.enqueue({
          executor: trx,
          to: email,
          dedupKey: `role-invitation:${id}`,
          content: licenseTemplates.roleInvitation({
            organizationName: organization.name,
            roleLabel: roleLabels[input.role],
            teamName: team?.name ?? null,
            url: link,
            expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
          }),
        });
        return (await deps.repo.findInvitation(trx, id))!;
      });
      return { invitation, link };
    },

    async revokeInvitation(actor: Actor, organizationId: string, invitationId: string): Promise<void> {
      const invitation = await deps.repo.findInvitation(deps.db, invitationId);
      if (!invitation || invitation.organizationId !== organizationId) throw new AppError('NOT_FOUND');
      await requireCanGrant(actor, organizationId, invitation.role, invitation.teamId);
      requirePerson(actor);
      await deps.db.transaction().execute(async (trx) => {
        await deps.repo.deleteInvitation(trx, invitationId);
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'role.invitation_revoked',
            targetType: 'role_invitation',
            targetId: invitationId,
            organizationId,
            teamId: invitation.teamId,
            details: { email: invitation.email, role: invitation.role },
          },
          deps.clock.now(),
        );
      });
    },

    /** What the accept page shows before the person signs in. */
    async preview(token: string): Promise<RoleInvitation> {
      const invitation = await deps.repo.findInvitationByTokenHash(deps.db, hashToken(token));
      if (!invitation || invitation.acceptedAt || invitation.expiresAt <= deps.clock.now()) throw new AppError('ROLE_INVITATION_INVALID');
      return invitation;
    },

    /** Only the invited address may accept, once: the link alone is not enough. */
    async accept(user: SessionUser, token: string, ip: string | null): Promise<RoleInvitation> {
      const invitation = await this.preview(token);
      if (invitation.email !== user.email.toLowerCase()) throw new AppError('ROLE_INVITATION_EMAIL_MISMATCH');
      const actor: Actor = { userId: user.id, label: user.email, isOperator: false, ip, orgRoles: new Map(), teamRoles: new Map() };
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        if (!(await deps.repo.markAccepted(trx, { id: invitation.id, userId: user.id, now }))) throw new AppError('ROLE_INVITATION_INVALID');
        if (isTeamRole(invitation.role)) await deps.repo.addTeamRole(trx, { teamId: invitation.teamId!, userId: user.id, role: invitation.role });
        else await deps.organizations.addRole(trx, { organizationId: invitation.organizationId, userId: user.id, role: invitation.role as OrganizationRole });
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'role.granted',
            targetType: 'user',
            targetId: user.id,
            organizationId: invitation.organizationId,
            teamId: invitation.teamId,
            details: { email: user.email, role: invitation.role, invitationId: invitation.id },
          },
          now,
        );
      });
      return invitation;
    },

    async removeRole(actor: Actor, organizationId: string, input: { userId: string; role: Role; teamId?: string | undefined }): Promise<void> {
      await requireCanGrant(actor, organizationId, input.role, input.teamId);
      requirePerson(actor);
      await deps.db.transaction().execute(async (trx) => {
        if (input.role === 'org_admin' && (await deps.repo.countOrgAdminsLocked(trx, organizationId)) <= 1) {
          const roles = await deps.repo.listRoles(trx, organizationId);
          if (roles.some((r) => r.role === 'org_admin' && r.userId === input.userId)) throw new AppError('LAST_ORG_ADMIN');
        }
        const removed = isTeamRole(input.role)
          ? await deps.repo.removeTeamRole(trx, { teamId: input.teamId!, userId: input.userId, role: input.role })
          : await deps.repo.removeOrgRole(trx, { organizationId, userId: input.userId, role: input.role as OrganizationRole });
        if (!removed) throw new AppError('NOT_FOUND');
        await deps.audit.record(
          trx,
          actor,
          { action: 'role.removed', targetType: 'user', targetId: input.userId, organizationId, teamId: input.teamId ?? null, details: { role: input.role } },
          deps.clock.now(),
        );
      });
    },
  };
}

export type AdminsService = ReturnType<typeof adminsService>;
