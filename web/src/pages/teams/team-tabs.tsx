import type { ReactNode } from 'react';
import type { OrganizationDetail, Team } from '@allot/contract';
import { TeamInvitationsTab } from '../invitations/TeamInvitationsTab';
import { LicenseList } from '../licenses/LicenseList';
import { TeamAdminsTab } from './TeamAdminsTab';
import type { TeamSection } from './team-sections';

export type TeamTabContext = {
  team: Team;
  /** Every team of the organization the person can see (transfer targets); null while loading. */
  organizationTeams: Team[] | null;
  organization: OrganizationDetail | null;
  /** Re-reads the team after its licenses changed (the header counts). */
  refreshTeam: () => void;
};

/** What each section of a team's page shows. */
export const TEAM_SECTION_CONTENT: Record<TeamSection, (context: TeamTabContext) => ReactNode> = {
  invitations: ({ team }) => <TeamInvitationsTab team={team} />,
  licenses: ({ team, organizationTeams, refreshTeam }) => (
    <LicenseList organizationId={team.organizationId} teams={organizationTeams} team={team} onChanged={refreshTeam} />
  ),
  admins: ({ team, organizationTeams }) => <TeamAdminsTab team={team} organizationTeams={organizationTeams} />,
};
