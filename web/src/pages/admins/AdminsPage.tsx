import { Button, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconMailForward, IconUserShield, IconUsersGroup, IconUserPlus } from '@tabler/icons-react';
import type { AdminsResponse, OrganizationDetail, OrganizationSummary, TeamsResponse } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ListCard, ListCardBody } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { OrganizationGate } from '../../components/OrganizationGate';
import { PageHeader } from '../../components/PageHeader';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { useMe } from '../../hooks/use-me';
import { ORGANIZATION_ROLES, TEAM_ROLES } from '../../lib/roles';
import { InvitationsTable, RolesTable } from './AdminTables';
import { InviteAdminModal } from './InviteAdminModal';

export default function AdminsPage() {
  return <OrganizationGate>{(organization) => <Administrators organization={organization} />}</OrganizationGate>;
}

function Administrators({ organization }: { organization: OrganizationSummary }) {
  const { me } = useMe();
  const detail = useApiResource<OrganizationDetail>(`/organizations/${organization.id}`);
  const admins = useApiResource<AdminsResponse>(`/organizations/${organization.id}/admins`);
  const teams = useApiResource<TeamsResponse>(`/organizations/${organization.id}/teams`);
  const [inviteOpened, invite] = useDisclosure(false);
  const canManage = detail.state.status === 'ready' && detail.state.data.canManage;

  const reload = () => void admins.reload();

  return (
    <>
      <PageHeader
        title="Administrators"
        description={`People who manage or watch over ${organization.name}, for the whole organization or for single teams.`}
        actions={
          canManage ? (
            <Button leftSection={<IconUserPlus size={16} />} onClick={invite.open}>
              Invite administrator
            </Button>
          ) : null
        }
      />
      {admins.state.status === 'loading' ? (
        <Stack gap="xl">
          <ListCard title="Organization administrators">
            <ListCardBody>
              <TableSkeleton label="Loading administrators" rows={3} />
            </ListCardBody>
          </ListCard>
        </Stack>
      ) : admins.state.status === 'error' ? (
        <LoadError title="Could not load the administrators" message={admins.state.message} onRetry={admins.reload} />
      ) : (
        <Stack gap="xl">
          <AdminSections organization={organization} data={admins.state.data} canManage={canManage} currentUserId={me.user.id} onChanged={reload} />
        </Stack>
      )}
      <InviteAdminModal
        opened={inviteOpened}
        onClose={invite.close}
        organizationId={organization.id}
        roles={[...ORGANIZATION_ROLES, ...TEAM_ROLES]}
        teams={teams.state.status === 'ready' ? teams.state.data.items : null}
        onInvited={reload}
      />
    </>
  );
}

type AdminSectionsProps = {
  organization: OrganizationSummary;
  data: AdminsResponse;
  canManage: boolean;
  currentUserId: string;
  onChanged: () => void;
};

function AdminSections({ organization, data, canManage, currentUserId, onChanged }: AdminSectionsProps) {
  const organizationRoles = data.roles.filter((grant) => grant.teamId === null);
  const teamRoles = data.roles.filter((grant) => grant.teamId !== null);
  return (
    <>
      <ListCard
        title="Organization administrators"
        description="Admins manage everything in the organization; viewers can see everything and change nothing."
        count={organizationRoles.length}
      >
        {organizationRoles.length === 0 ? (
          <EmptyPanel
            icon={<IconUserShield size={28} stroke={1.6} />}
            color="gray"
            title="No organization administrators"
            description="Invite someone as Organization admin so the organization is never left without one."
          />
        ) : (
          <RolesTable
            organizationId={organization.id}
            organizationName={organization.name}
            roles={organizationRoles}
            showTeam={false}
            canManage={canManage}
            currentUserId={currentUserId}
            onChanged={onChanged}
            label="Organization administrators"
          />
        )}
      </ListCard>
      <ListCard
        title="Team administrators"
        description="Team admins assign and revoke the licenses of their team; team viewers only look."
        count={teamRoles.length}
      >
        {teamRoles.length === 0 ? (
          <EmptyPanel
            icon={<IconUsersGroup size={28} stroke={1.6} />}
            color="gray"
            title="No team administrators"
            description="Give a team its own admin to let them hand out that team's licenses without access to the rest."
          />
        ) : (
          <RolesTable
            organizationId={organization.id}
            organizationName={organization.name}
            roles={teamRoles}
            showTeam
            canManage={canManage}
            currentUserId={currentUserId}
            onChanged={onChanged}
            label="Team administrators"
          />
        )}
      </ListCard>
      <ListCard title="Pending invitations" description="Sent but not accepted yet. Each link works once, until it expires." count={data.invitations.length}>
        {data.invitations.length === 0 ? (
          <EmptyPanel
            icon={<IconMailForward size={28} stroke={1.6} />}
            color="gray"
            title="No pending invitations"
            description="Invitations you send appear here until they are accepted, revoked or expire."
          />
        ) : (
          <InvitationsTable organizationId={organization.id} invitations={data.invitations} showTeam canManage={canManage} onChanged={onChanged} />
        )}
      </ListCard>
    </>
  );
}
