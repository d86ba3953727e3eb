import { IconLicense, IconLink, IconUserShield, type Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { OrganizationDetail, Team } from '@allot/contract';
import { TeamInvitationsTab } from '../invitations/TeamInvitationsTab';
import { LicenseList } from '../licenses/LicenseList';
import { TeamAdminsTab } from './TeamAdminsTab';

export type TeamTabContext = {
  team: Team;
  /** Every team of the organization the person can see (transfer targets); null while loading. */
  organizationTeams: Team[] | null;
  organization: OrganizationDetail | null;
  /** Re-reads the team after its licenses changed (the header counts). */
  refreshTeam: () => void;
};

export type TeamTab = {
  /** In the address as `?tab=`. */
  value: string;
  label: string;
  icon: Icon;
  render: (context: TeamTabContext) => ReactNode;
};

/** The tabs of a team's page, in order; the first one opens by default. */
export const TEAM_TABS: TeamTab[] = [
  {
    value: 'invitations',
    label: 'Invitations',
    icon: IconLink,
    render: ({ team }) => <TeamInvitationsTab team={team} />,
  },
  {
    value: 'licenses',
    label: 'Licenses',
    icon: IconLicense,
    render: ({ team, organizationTeams, refreshTeam }) => (
      <LicenseList organizationId={team.organizationId} teams={organizationTeams} team={team} onChanged={refreshTeam} />
    ),
  },
  {
    value: 'admins',
    label: 'Admins',
    icon: IconUserShield,
    render: ({ team, organizationTeams }) => <TeamAdminsTab team={team} organizationTeams={organizationTeams} />,
  },
];
