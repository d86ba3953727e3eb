import { IconLicense, IconLink, IconUserShield, type Icon } from '@tabler/icons-react';

/** The sections of a team, in the left menu and as the team page's tabs; the first is the team's home. */
export const TEAM_SECTIONS = [
  { value: 'invitations', label: 'Invitations', icon: IconLink },
  { value: 'licenses', label: 'Licenses', icon: IconLicense },
  { value: 'admins', label: 'Administrators', icon: IconUserShield },
] as const satisfies ReadonlyArray<{ value: string; label: string; icon: Icon }>;

export type TeamSection = (typeof TEAM_SECTIONS)[number]['value'];

export const isTeamSection = (value: string | null | undefined): value is TeamSection => TEAM_SECTIONS.some((section) => section.value === value);

export function teamSectionPath(teamId: string, section: TeamSection = 'invitations'): string {
  return `/teams/${encodeURIComponent(teamId)}/${section}`;
}

/** The section a path shows for a team, or null when the path is not that team's. Invitation pages belong to Invitations. */
export function activeTeamSection(pathname: string, teamId: string): TeamSection | null {
  const root = `/teams/${encodeURIComponent(teamId)}`;
  if (pathname === root || pathname === `${root}/`) return 'invitations';
  if (!pathname.startsWith(`${root}/`)) return null;
  const section = pathname.slice(root.length + 1).split('/')[0];
  return isTeamSection(section) ? section : null;
}
