import { AppError } from '../../errors.js';
import type { OrganizationRole, TeamRole } from '../../db/tables.js';

/** Who is acting: a signed-in user, an operator API token, or the `allot` CLI. */
export type Actor = {
  userId: string | null;
  /** How the audit log names the actor: an email, "API token <name>" or "allot CLI". */
  label: string;
  isOperator: boolean;
  ip: string | null;
  orgRoles: ReadonlyMap<string, ReadonlySet<OrganizationRole>>;
  teamRoles: ReadonlyMap<string, { organizationId: string; roles: ReadonlySet<TeamRole> }>;
  /** Set when an API token acts: its id (rate limits, the audit log) and what people alone may do. */
  apiTokenId?: string;
  /** Organizations whose 2FA policy this person does not meet (past its grace period): their pages and API refuse. */
  twoFactorMissingIn?: ReadonlySet<string>;
};

/** What an actor may do in one organization. */
export type OrgAccess = {
  organizationId: string;
  level: 'admin' | 'viewer' | 'team';
  /** Teams whose licenses, roles and audit events the actor may read. */
  visibleTeams: 'all' | ReadonlySet<string>;
  /** Teams whose licenses and roles the actor may change. */
  manageableTeams: 'all' | ReadonlySet<string>;
};

export function orgAccess(actor: Actor, organizationId: string): OrgAccess | undefined {
  const orgRoles = actor.orgRoles.get(organizationId);
  const teamsWith = (wanted: (roles: ReadonlySet<TeamRole>) => boolean) =>
    new Set([...actor.teamRoles].filter(([, team]) => team.organizationId === organizationId && wanted(team.roles)).map(([teamId]) => teamId));
  const administeredTeams = teamsWith((roles) => roles.has('team_admin'));

  if (orgRoles?.has('org_admin')) return { organizationId, level: 'admin', visibleTeams: 'all', manageableTeams: 'all' };
  if (orgRoles?.has('org_viewer')) return { organizationId, level: 'viewer', visibleTeams: 'all', manageableTeams: administeredTeams };
  const visibleTeams = teamsWith(() => true);
  if (visibleTeams.size === 0) return undefined;
  return { organizationId, level: 'team', visibleTeams, manageableTeams: administeredTeams };
}

export const canSeeTeam = (access: OrgAccess, teamId: string): boolean => access.visibleTeams === 'all' || access.visibleTeams.has(teamId);
export const canManageTeam = (access: OrgAccess, teamId: string): boolean => access.manageableTeams === 'all' || access.manageableTeams.has(teamId);

/** Another tenant's data, or data the actor has no role for, answers 404: its existence is not confirmed. */
export function requireOrgAccess(actor: Actor, organizationId: string): OrgAccess {
  const access = orgAccess(actor, organizationId);
  if (!access) throw new AppError('NOT_FOUND');
  requireTwoFactorMet(actor, organizationId);
  return access;
}

/** Checked after access (a stranger still gets 404): a member past the 2FA grace period is sent to enrolment. */
function requireTwoFactorMet(actor: Actor, organizationId: string): void {
  if (actor.twoFactorMissingIn?.has(organizationId)) throw new AppError('TWO_FACTOR_ENROLMENT_REQUIRED');
}

/** Readers who may not change a thing get 403; everyone else 404. */
export function requireOrgAdmin(actor: Actor, organizationId: string): OrgAccess {
  const access = requireOrgAccess(actor, organizationId);
  if (access.level !== 'admin') throw new AppError('FORBIDDEN');
  return access;
}

/** Organization administrators and administrators of at least one of its teams (their own notices). */
export function requireOrgAdminOrTeamAdmin(actor: Actor, organizationId: string): OrgAccess {
  const access = requireOrgAccess(actor, organizationId);
  if (access.level !== 'admin' && (access.manageableTeams === 'all' || access.manageableTeams.size === 0)) throw new AppError('FORBIDDEN');
  return access;
}

export function requireTeamRead(actor: Actor, team: { id: string; organizationId: string }): OrgAccess {
  const access = orgAccess(actor, team.organizationId);
  if (!access || !canSeeTeam(access, team.id)) throw new AppError('NOT_FOUND');
  requireTwoFactorMet(actor, team.organizationId);
  return access;
}

export function requireTeamManage(actor: Actor, team: { id: string; organizationId: string }): OrgAccess {
  const access = requireTeamRead(actor, team);
  if (!canManageTeam(access, team.id)) throw new AppError('FORBIDDEN');
  return access;
}

/** Administrators, API tokens, webhooks and organization settings are managed by signed-in people (or the CLI), never by a token. */
export function requirePerson(actor: Actor): void {
  if (actor.apiTokenId) throw new AppError('TOKEN_NOT_ALLOWED');
}

export function requireOperator(actor: Actor): void {
  if (!actor.isOperator) throw new AppError('FORBIDDEN');
}

/** The scheduled jobs (the idle-seat policy) act as Allot itself: the audit log names the policy, not a person. */
export const systemActor: Actor = { userId: null, label: 'Allot (idle-seat policy)', isOperator: false, ip: null, orgRoles: new Map(), teamRoles: new Map() };

/** The `allot` CLI acts with the operator's powers: a shell on the server is the highest trust there is. */
export const cliActor: Actor = { userId: null, label: 'allot CLI', isOperator: true, ip: null, orgRoles: new Map(), teamRoles: new Map() };

/** A person acting on their own things (their app passwords, their machines): no roles needed, and the audit log names them. */
export function selfActor(user: { id: string; email: string }, ip: string | null): Actor {
  return { userId: user.id, label: user.email, isOperator: false, ip, orgRoles: new Map(), teamRoles: new Map() };
}
