import type { OrganizationAccess, OrganizationRole, Role, TeamRole } from '@allot/contract';

export const ROLE_LABELS: Record<Role, string> = {
  org_admin: 'Organization admin',
  org_viewer: 'Organization viewer',
  team_admin: 'Team admin',
  team_viewer: 'Team viewer',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  org_admin: 'Manages every team, license and administrator, and the organization settings.',
  org_viewer: 'Sees every team, license and the audit log, and changes nothing.',
  team_admin: 'Assigns, revokes and transfers the licenses of one team, and invites its admins.',
  team_viewer: 'Sees the licenses of one team, and changes nothing.',
};

export const ORGANIZATION_ROLES: OrganizationRole[] = ['org_admin', 'org_viewer'];
export const TEAM_ROLES: TeamRole[] = ['team_admin', 'team_viewer'];

export function isTeamRole(role: Role): role is TeamRole {
  return role === 'team_admin' || role === 'team_viewer';
}

/** "Organization admin", or "Team admin of Backend". */
export function describeRole(role: Role, teamName: string | null): string {
  return isTeamRole(role) && teamName ? `${ROLE_LABELS[role]} of ${teamName}` : ROLE_LABELS[role];
}

export const ACCESS_LABELS: Record<OrganizationAccess, string> = {
  admin: 'Admin',
  viewer: 'Viewer',
  team: 'Team access',
  operator: 'Operator',
};

export const ACCESS_COLORS: Record<OrganizationAccess, string> = {
  admin: 'indigo',
  viewer: 'gray',
  team: 'teal',
  operator: 'grape',
};
