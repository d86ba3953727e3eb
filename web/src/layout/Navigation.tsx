import { NavLink, Skeleton, Stack, Text } from '@mantine/core';
import { IconUsersGroup } from '@tabler/icons-react';
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { Me, TeamsResponse } from '@allot/contract';
import { useApiResource } from '../hooks/use-api-resource';
import { useInstance } from '../hooks/use-instance';
import { activeTeamSection, TEAM_SECTIONS, teamSectionPath, type TeamSection } from '../pages/teams/team-sections';
import { useOrganizations } from './current-organization';
import { isNavItemActive, visibleNavSections, type ShownNavSection } from './nav-items';
import { useOpenTeam, type OpenTeam } from './open-team';

const navLinkStyle = { borderRadius: 'var(--mantine-radius-md)' };

/**
 * The left menu: the person's own pages; the organization (its name leads to its license list);
 * the teams: the open one, and always those a team administrator runs, each with its sections;
 * the operator's pages.
 */
export function Navigation({ me, pathname }: { me: Me; pathname: string }) {
  const { instance } = useInstance();
  const { state, current } = useOrganizations();
  const openTeam = useOpenTeam();
  const sections = visibleNavSections({ me, instance, organization: current });
  // Team administrators reach the organization through their teams only: list them.
  const ownTeams = useApiResource<TeamsResponse>(current?.access === 'team' ? `/organizations/${current.id}/teams` : null);

  const teams: OpenTeam[] = current?.access === 'team' && ownTeams.state.status === 'ready' ? ownTeams.state.data.items : [];
  const shownTeams = openTeam && openTeam.organizationId === current?.id && !teams.some((team) => team.id === openTeam.id) ? [...teams, openTeam] : teams;

  return (
    <Stack gap="md" component="nav">
      {sections.map((section, index) => (
        <Fragment key={section.label ?? index}>
          <NavSection section={section} pathname={pathname} />
          {index === 0 && state.status === 'loading' ? <NavigationSkeleton /> : null}
          {section.label === 'Organization' && shownTeams.length > 0 ? (
            <NavGroup label={shownTeams.length === 1 ? 'Team' : 'Teams'}>
              {shownTeams.map((team) => (
                <TeamNavLink key={team.id} team={team} pathname={pathname} opened={shownTeams.length === 1 || team.id === openTeam?.id} />
              ))}
            </NavGroup>
          ) : null}
        </Fragment>
      ))}
    </Stack>
  );
}

function NavGroup({ label, children }: { label?: string | undefined; children: ReactNode }) {
  return (
    <Stack gap={2}>
      {label ? (
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pb={4} style={{ letterSpacing: '0.04em' }}>
          {label}
        </Text>
      ) : null}
      {children}
    </Stack>
  );
}

function NavSection({ section, pathname }: { section: ShownNavSection; pathname: string }) {
  return (
    <NavGroup label={section.label}>
      {section.items.map((item) => {
        const active = isNavItemActive(item, pathname);
        return (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            description={item.description}
            leftSection={<item.icon size={18} stroke={1.7} />}
            active={active}
            aria-current={active ? 'page' : undefined}
            variant="light"
            style={navLinkStyle}
            fw={500}
          />
        );
      })}
    </NavGroup>
  );
}

/** A team: its name leads to its home (Invitations); under it, while open, its sections. */
function TeamNavLink({ team, pathname, opened }: { team: OpenTeam; pathname: string; opened: boolean }) {
  // An invitation's page belongs to its team's Invitations.
  const active: TeamSection | null = activeTeamSection(pathname, team.id) ?? (opened && pathname.startsWith('/invitations/') ? 'invitations' : null);
  return (
    <>
      {/* Not Mantine's nested NavLink: a parent with children only folds, and this name must lead to the team. */}
      <NavLink
        component={Link}
        to={teamSectionPath(team.id)}
        label={team.name}
        leftSection={<IconUsersGroup size={18} stroke={1.7} />}
        variant="light"
        style={navLinkStyle}
        fw={500}
      />
      {opened ? (
        <Stack gap={2} pl={28}>
          {TEAM_SECTIONS.map((section) => (
            <NavLink
              key={section.value}
              component={Link}
              to={teamSectionPath(team.id, section.value)}
              label={section.label}
              // "Administrators" is also the organization's: say whose.
              aria-label={`${section.label} of ${team.name}`}
              leftSection={<section.icon size={16} stroke={1.7} />}
              active={active === section.value}
              aria-current={active === section.value ? 'page' : undefined}
              variant="light"
              style={navLinkStyle}
            />
          ))}
        </Stack>
      ) : null}
    </>
  );
}

/** Stands in for the organization section while the organizations load. */
function NavigationSkeleton() {
  return (
    <Stack gap={10} px="sm" py={4} aria-hidden>
      <Skeleton height={10} width={90} />
      <Skeleton height={14} width="70%" />
      <Skeleton height={14} width="55%" />
      <Skeleton height={14} width="65%" />
    </Stack>
  );
}
