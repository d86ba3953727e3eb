import { ActionIcon, Button, Card, Group, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconBuilding, IconCheck, IconPencil, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, isApiError } from '../../api';
import type { OrganizationDetail, Team, TeamsResponse } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyPanel } from '../../components/EmptyPanel';
import { LoadError } from '../../components/LoadError';
import { ReasonTooltip } from '../../components/ReasonTooltip';
import { PageSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { usePageTitle } from '../../hooks/use-page-title';
import { useOrganizations } from '../../layout/current-organization';
import { formatNumber, pluralize } from '../../lib/format';
import { useAnnounceOpenTeam } from '../../layout/open-team';
import { isTeamSection, TEAM_SECTIONS, teamSectionPath, type TeamSection } from './team-sections';
import { TEAM_SECTION_CONTENT, type TeamTabContext } from './team-tabs';
import { TeamNameModal } from './TeamNameModal';
import { TeamProducts } from './TeamProducts';

export default function TeamPage() {
  const { teamId = '', section } = useParams();
  const [params] = useSearchParams();
  const team = useApiResource<Team>(`/teams/${encodeURIComponent(teamId)}`);

  // Links from before the sections had addresses of their own: /teams/:id?tab=licenses.
  const legacyTab = params.get('tab');
  if (!section && isTeamSection(legacyTab)) return <Navigate to={teamSectionPath(teamId, legacyTab)} replace />;
  if (section !== undefined && !isTeamSection(section)) return <Navigate to={teamSectionPath(teamId)} replace />;

  if (team.state.status === 'loading') return <PageSkeleton />;
  if (team.state.status === 'error') {
    if (isApiError(team.state.error) && (team.state.error.status === 404 || team.state.error.status === 403)) return <TeamNotFound />;
    return <LoadError title="Could not load this team" message={team.state.message} onRetry={team.reload} />;
  }
  return <TeamView key={team.state.data.id} team={team.state.data} section={section} reloadTeam={team.reload} />;
}

function TeamNotFound() {
  usePageTitle('Team not found');
  return (
    <Card padding="xl" mt="xl">
      <EmptyPanel
        icon={<IconUsersGroup size={28} stroke={1.6} />}
        color="gray"
        title="Team not found"
        description="It may have been deleted, or you do not have access to it."
      >
        <Button component={Link} to="/teams" variant="default">
          Back to the team list
        </Button>
      </EmptyPanel>
    </Card>
  );
}

type TeamViewProps = { team: Team; section: string | undefined; reloadTeam: () => Promise<void> };

function TeamView({ team, section, reloadTeam }: TeamViewProps) {
  usePageTitle(team.name);
  const navigate = useNavigate();
  const { organizations, current, select } = useOrganizations();
  const organizationTeams = useApiResource<TeamsResponse>(`/organizations/${team.organizationId}/teams`);
  const organization = useApiResource<OrganizationDetail>(`/organizations/${team.organizationId}`);
  const [renameOpened, rename] = useDisclosure(false);
  const [deleteOpened, deletion] = useDisclosure(false);

  // Opening a team of another organization (a shared link) makes that organization current.
  useEffect(() => {
    if (current?.id !== team.organizationId && organizations.some((candidate) => candidate.id === team.organizationId)) {
      select(team.organizationId);
    }
  }, [current?.id, team.organizationId, organizations, select]);

  useAnnounceOpenTeam({ id: team.id, name: team.name, organizationId: team.organizationId });
  const tab: TeamSection = isTeamSection(section) ? section : 'invitations';

  function changeTab(value: string | null) {
    // Each section has its own filters: start the new one clean.
    if (isTeamSection(value) && value !== tab) void navigate(teamSectionPath(team.id, value));
  }

  function refreshTeam() {
    void reloadTeam();
    void organizationTeams.reload();
  }

  async function renameTeam(name: string) {
    await api<Team>(`/teams/${team.id}`, { method: 'PATCH', body: { name } });
    notifications.show({ color: 'teal', icon: <IconCheck size={18} />, title: 'Team renamed', message: `It is now called ${name}.` });
    await reloadTeam();
  }

  async function deleteTeam() {
    await api<void>(`/teams/${team.id}`, { method: 'DELETE' });
    notifications.show({ color: 'teal', title: 'Team deleted', message: `${team.name} is gone.` });
    void navigate('/teams', { replace: true });
  }

  const organizationDetail = organization.state.status === 'ready' ? organization.state.data : null;
  const canDelete = organizationDetail?.canManage ?? false;
  const empty = team.totals.total === 0;
  const context: TeamTabContext = {
    team,
    organizationTeams: organizationTeams.state.status === 'ready' ? organizationTeams.state.data.items : null,
    organization: organizationDetail,
    refreshTeam,
  };

  return (
    <>
      <Stack gap="md" mb="xl">
        <Group justify="space-between" align="flex-start" gap="md">
          <Group gap="sm" align="flex-start" wrap="nowrap" style={{ flex: '1 1 320px', minWidth: 0 }}>
            <Tooltip label="All teams" withArrow>
              <ActionIcon component={Link} to="/teams" variant="subtle" color="gray" size="lg" mt={2} aria-label="Back to list">
                <IconArrowLeft size={18} />
              </ActionIcon>
            </Tooltip>
            <Stack gap={4} style={{ minWidth: 0 }}>
              <Title order={1} fz={{ base: 24, sm: 28 }} style={{ overflowWrap: 'anywhere' }}>
                {team.name}
              </Title>
              <Group gap={6} wrap="nowrap">
                <IconBuilding size={15} aria-hidden style={{ opacity: 0.6, flexShrink: 0 }} />
                <Text size="sm" c="dimmed" truncate="end">
                  Team of {team.organizationName}
                </Text>
              </Group>
            </Stack>
          </Group>
          <Group gap="sm">
            {team.canManage ? (
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={rename.open}>
                Rename
              </Button>
            ) : null}
            {canDelete ? (
              <ReasonTooltip reason={empty ? null : "Move or delete this team's licenses first"}>
                <Button
                  variant="default"
                  leftSection={<IconTrash size={16} />}
                  onClick={deletion.open}
                  disabled={!empty}
                  c={empty ? 'red.8' : undefined}
                  style={empty ? undefined : { pointerEvents: 'none' }}
                >
                  Delete team
                </Button>
              </ReasonTooltip>
            ) : null}
          </Group>
        </Group>
        <Group gap="lg" wrap="wrap">
          <Text size="sm">
            <Text span fw={650}>
              {pluralize(team.totals.total, 'license')}
            </Text>
            <Text span c="dimmed">
              {' '}
              · {formatNumber(team.totals.assigned)} assigned · {formatNumber(team.totals.free)} free
            </Text>
          </Text>
          <TeamProducts team={team} />
        </Group>
      </Stack>

      {/* The left menu has the same sections; on phones, where it folds away, these tabs stay in view. */}
      <Tabs value={tab} onChange={changeTab} keepMounted={false}>
        <Tabs.List mb="lg">
          {TEAM_SECTIONS.map((candidate) => (
            <Tabs.Tab key={candidate.value} value={candidate.value} leftSection={<candidate.icon size={16} />}>
              {candidate.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value={tab}>{TEAM_SECTION_CONTENT[tab](context)}</Tabs.Panel>
      </Tabs>

      <TeamNameModal
        opened={renameOpened}
        onClose={rename.close}
        // Not "Rename team": the dialog is named by its title, and it should not answer to "Name".
        title="Edit team"
        submitLabel="Save"
        initialName={team.name}
        onSubmit={renameTeam}
      />
      <ConfirmModal opened={deleteOpened} onClose={deletion.close} title="Delete this team?" confirmLabel="Delete team" onConfirm={deleteTeam}>
        <Text size="sm">
          <strong>{team.name}</strong> and the roles of its team administrators are removed. This cannot be undone.
        </Text>
      </ConfirmModal>
    </>
  );
}
