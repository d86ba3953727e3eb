import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { Link } from 'react-router';
import { api } from '../../api';
import type { OrganizationDetail, OrganizationSummary, Team, TeamsResponse } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ListCard, ListCardBody } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { OrganizationGate } from '../../components/OrganizationGate';
import { PageHeader } from '../../components/PageHeader';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { UsageBar } from '../../components/UsageBar';
import { useApiResource } from '../../hooks/use-api-resource';
import { formatDate, formatNumber } from '../../lib/format';
import { TeamNameModal } from './TeamNameModal';
import { TeamProducts } from './TeamProducts';

export default function TeamsPage() {
  return <OrganizationGate>{(organization) => <Teams organization={organization} />}</OrganizationGate>;
}

function Teams({ organization }: { organization: OrganizationSummary }) {
  const detail = useApiResource<OrganizationDetail>(`/organizations/${organization.id}`);
  const teams = useApiResource<TeamsResponse>(`/organizations/${organization.id}/teams`);
  const [createOpened, create] = useDisclosure(false);
  const canCreate = detail.state.status === 'ready' && detail.state.data.canManage;

  async function createTeam(name: string) {
    const team = await api<Team>(`/organizations/${organization.id}/teams`, { method: 'POST', body: { name } });
    notifications.show({ color: 'teal', icon: <IconCheck size={18} />, title: 'Team created', message: `${team.name} is ready for licenses.` });
    await teams.reload();
  }

  const createButton = canCreate ? (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
      Create team
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Teams"
        description={`Teams group the licenses of ${organization.name}: each order lands in a team, and team admins hand out its licenses.`}
        actions={createButton}
      />
      {teams.state.status === 'loading' ? (
        <ListCard title="All teams">
          <ListCardBody>
            <TableSkeleton label="Loading teams" rows={4} />
          </ListCardBody>
        </ListCard>
      ) : teams.state.status === 'error' ? (
        <LoadError title="Could not load the teams" message={teams.state.message} onRetry={teams.reload} />
      ) : (
        <ListCard title="All teams" count={teams.state.data.items.length}>
          {teams.state.data.items.length === 0 ? (
            <EmptyPanel
              icon={<IconUsersGroup size={28} stroke={1.6} />}
              title="No teams yet"
              description={
                canCreate
                  ? 'Each new order creates a team. You can also create one yourself and move licenses into it.'
                  : 'Each new order creates a team. Teams you can see appear here.'
              }
            />
          ) : (
            <TeamsTable teams={teams.state.data.items} />
          )}
        </ListCard>
      )}
      <TeamNameModal
        opened={createOpened}
        onClose={create.close}
        title="Create team"
        submitLabel="Create"
        description="Shown to administrators only. You can rename it later."
        onSubmit={createTeam}
      />
    </>
  );
}

function TeamsTable({ teams }: { teams: Team[] }) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="sm" highlightOnHover tabularNums>
        <TableCaption>Teams</TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Team</Table.Th>
            <Table.Th>Products (assigned / total)</Table.Th>
            <Table.Th ta="right">Total</Table.Th>
            <Table.Th ta="right">Assigned</Table.Th>
            <Table.Th ta="right">Free</Table.Th>
            <Table.Th>Usage</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {teams.map((team) => (
            <Table.Tr key={team.id}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Anchor component={Link} to={`/teams/${team.id}`} fw={600} size="sm">
                    {team.name}
                  </Anchor>
                  {team.canManage ? null : (
                    <Badge size="xs" variant="outline" color="gray">
                      View only
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <TeamProducts team={team} />
              </Table.Td>
              <Table.Td ta="right">{formatNumber(team.totals.total)}</Table.Td>
              <Table.Td ta="right">{formatNumber(team.totals.assigned)}</Table.Td>
              <Table.Td ta="right">
                <Text size="sm" fw={600} span c={team.totals.total > 0 && team.totals.free === 0 ? 'red.7' : undefined}>
                  {formatNumber(team.totals.free)}
                </Text>
              </Table.Td>
              <Table.Td>
                <UsageBar assigned={team.totals.assigned} total={team.totals.total} width={90} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(team.createdAt)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
