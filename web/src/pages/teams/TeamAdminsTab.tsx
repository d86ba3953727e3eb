import { Button, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconMailForward, IconUserPlus, IconUserShield } from '@tabler/icons-react';
import type { AdminsResponse, Team } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ListCard, ListCardBody } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { useMe } from '../../hooks/use-me';
import { TEAM_ROLES } from '../../lib/roles';
import { InvitationsTable, RolesTable } from '../admins/AdminTables';
import { InviteAdminModal } from '../admins/InviteAdminModal';

type TeamAdminsTabProps = { team: Team; organizationTeams: Team[] | null };

/** The team's admins and viewers, and the invitations sent for this team. */
export function TeamAdminsTab({ team, organizationTeams }: TeamAdminsTabProps) {
  const { me } = useMe();
  const admins = useApiResource<AdminsResponse>(`/organizations/${team.organizationId}/admins`);
  const [inviteOpened, invite] = useDisclosure(false);
  const reload = () => void admins.reload();

  const inviteButton = team.canManage ? (
    <Button leftSection={<IconUserPlus size={16} />} onClick={invite.open}>
      Invite admin
    </Button>
  ) : null;

  let content;
  if (admins.state.status === 'loading') {
    content = (
      <ListCard title="Team administrators" actions={inviteButton}>
        <ListCardBody>
          <TableSkeleton label="Loading team administrators" rows={2} />
        </ListCardBody>
      </ListCard>
    );
  } else if (admins.state.status === 'error') {
    content = <LoadError title="Could not load the administrators" message={admins.state.message} onRetry={admins.reload} />;
  } else {
    const roles = admins.state.data.roles.filter((grant) => grant.teamId === team.id);
    const invitations = admins.state.data.invitations.filter((invitation) => invitation.teamId === team.id);
    content = (
      <>
        <ListCard
          title="Team administrators"
          description={`Team admins assign, revoke and move the licenses of ${team.name}. Organization admins can do this for every team.`}
          count={roles.length}
          actions={inviteButton}
        >
          {roles.length === 0 ? (
            <EmptyPanel
              icon={<IconUserShield size={28} stroke={1.6} />}
              color="gray"
              title="No team administrators"
              description="Only organization admins manage this team for now. Invite a team admin to hand it over."
            />
          ) : (
            <RolesTable
              organizationId={team.organizationId}
              organizationName={team.organizationName}
              roles={roles}
              showTeam={false}
              canManage={team.canManage}
              currentUserId={me.user.id}
              onChanged={reload}
              label="Team administrators"
            />
          )}
        </ListCard>
        <ListCard title="Pending invitations" count={invitations.length}>
          {invitations.length === 0 ? (
            <EmptyPanel
              icon={<IconMailForward size={28} stroke={1.6} />}
              color="gray"
              title="No pending invitations"
              description="Invitations to administer this team appear here until they are accepted, revoked or expire."
            />
          ) : (
            <InvitationsTable organizationId={team.organizationId} invitations={invitations} showTeam={false} canManage={team.canManage} onChanged={reload} />
          )}
        </ListCard>
      </>
    );
  }

  return (
    <Stack gap="xl">
      {content}
      <InviteAdminModal
        opened={inviteOpened}
        onClose={invite.close}
        organizationId={team.organizationId}
        roles={TEAM_ROLES}
        teams={organizationTeams}
        fixedTeam={{ id: team.id, name: team.name }}
        onInvited={reload}
      />
    </Stack>
  );
}
