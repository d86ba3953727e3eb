import { Anchor, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import type { RoleGrant, RoleInvitation } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { useRetained } from '../../hooks/use-retained';
import { RelativeTime } from '../../components/RelativeTime';
import { TableCaption } from '../../components/TableCaption';
import { formatDate, formatDateTime } from '../../lib/format';
import { describeRole, isTeamRole, ROLE_LABELS } from '../../lib/roles';
import { teamSectionPath } from '../teams/team-sections';

const ROLE_COLORS = { org_admin: 'indigo', org_viewer: 'gray', team_admin: 'teal', team_viewer: 'cyan' } as const;

export function RoleBadge({ role }: { role: RoleGrant['role'] }) {
  return (
    <Badge variant="light" color={ROLE_COLORS[role]} size="sm" style={{ whiteSpace: 'nowrap' }}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}

/** Whether the person signs in with a second factor: what a 2FA policy asks of them. */
function TwoFactorBadge({ enabled }: { enabled: boolean }) {
  return (
    <Badge variant="light" color={enabled ? 'teal' : 'gray'} size="sm" leftSection={enabled ? <IconShieldCheck size={12} aria-hidden /> : undefined}>
      {enabled ? 'On' : 'Off'}
    </Badge>
  );
}

function TeamCell({ teamId, teamName }: { teamId: string | null; teamName: string | null }) {
  if (!teamId) {
    return (
      <Text size="sm" c="dimmed">
        Whole organization
      </Text>
    );
  }
  return (
    <Anchor component={Link} to={teamSectionPath(teamId, 'admins')} size="sm">
      {teamName ?? 'Team'}
    </Anchor>
  );
}

type RolesTableProps = {
  organizationId: string;
  organizationName: string;
  roles: RoleGrant[];
  showTeam: boolean;
  canManage: boolean;
  currentUserId: string;
  onChanged: () => void;
  label: string;
};

/** People holding a role, with "Remove" for those who may manage them. */
export function RolesTable({ organizationId, organizationName, roles, showTeam, canManage, currentUserId, onChanged, label }: RolesTableProps) {
  const [removing, setRemoving] = useState<RoleGrant | null>(null);
  const shownRemoving = useRetained(removing);

  async function remove(grant: RoleGrant) {
    await api<void>(`/organizations/${organizationId}/roles/remove`, {
      method: 'POST',
      body: { userId: grant.userId, role: grant.role, ...(grant.teamId ? { teamId: grant.teamId } : {}) },
    });
    notifications.show({
      color: 'teal',
      title: 'Role removed',
      message: `${grant.name || grant.email} is no longer ${describeRole(grant.role, grant.teamName)}.`,
    });
    onChanged();
  }

  return (
    <>
      <Table.ScrollContainer minWidth={showTeam ? 820 : 700}>
        <Table verticalSpacing="sm" highlightOnHover>
          <TableCaption>{label}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              {showTeam ? <Table.Th>Team</Table.Th> : null}
              <Table.Th>
                <abbr title="Two-factor authentication" style={{ textDecoration: 'none' }}>
                  2FA
                </abbr>
              </Table.Th>
              <Table.Th>Since</Table.Th>
              {canManage ? <Table.Th w={110} /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {roles.map((grant) => (
              <Table.Tr key={`${grant.userId}:${grant.role}:${grant.teamId ?? ''}`}>
                <Table.Td>
                  <Stack gap={0}>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={500}>
                        {grant.name || grant.email}
                      </Text>
                      {grant.userId === currentUserId ? (
                        <Badge size="xs" variant="outline" color="gray">
                          You
                        </Badge>
                      ) : null}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {grant.email}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <RoleBadge role={grant.role} />
                </Table.Td>
                {showTeam ? (
                  <Table.Td>
                    <TeamCell teamId={grant.teamId} teamName={grant.teamName} />
                  </Table.Td>
                ) : null}
                <Table.Td>
                  <TwoFactorBadge enabled={grant.twoFactorEnabled} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" title={formatDateTime(grant.since)} style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(grant.since)}
                  </Text>
                </Table.Td>
                {canManage ? (
                  <Table.Td ta="right">
                    <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(grant)}>
                      Remove
                    </Button>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove this role?"
        confirmLabel="Remove"
        onConfirm={() => (removing ? remove(removing) : Promise.resolve())}
      >
        {shownRemoving ? (
          <Text size="sm">
            <strong>{shownRemoving.name || shownRemoving.email}</strong>
            {shownRemoving.name ? ` (${shownRemoving.email})` : ''} will no longer be {describeRole(shownRemoving.role, shownRemoving.teamName)}
            {isTeamRole(shownRemoving.role) ? '' : ` of ${organizationName}`}. Licenses they hold are not affected.
            {shownRemoving.userId === currentUserId ? ' You are removing your own access.' : ''}
          </Text>
        ) : null}
      </ConfirmModal>
    </>
  );
}

type InvitationsTableProps = {
  organizationId: string;
  invitations: RoleInvitation[];
  showTeam: boolean;
  canManage: boolean;
  onChanged: () => void;
};

/** Invitations not yet accepted, with "Revoke" to cancel a link. */
export function InvitationsTable({ organizationId, invitations, showTeam, canManage, onChanged }: InvitationsTableProps) {
  const [revoking, setRevoking] = useState<RoleInvitation | null>(null);
  const shownRevoking = useRetained(revoking);

  async function revoke(invitation: RoleInvitation) {
    await api<void>(`/organizations/${organizationId}/admin-invitations/${invitation.id}`, { method: 'DELETE' });
    notifications.show({ color: 'teal', title: 'Invitation revoked', message: `The link sent to ${invitation.email} no longer works.` });
    onChanged();
  }

  return (
    <>
      <Table.ScrollContainer minWidth={showTeam ? 820 : 700}>
        <Table verticalSpacing="sm" highlightOnHover>
          <TableCaption>Pending invitations</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              {showTeam ? <Table.Th>Team</Table.Th> : null}
              <Table.Th>Invited by</Table.Th>
              <Table.Th>Sent</Table.Th>
              <Table.Th>Expires</Table.Th>
              {canManage ? <Table.Th w={110} /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invitations.map((invitation) => (
              <Table.Tr key={invitation.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {invitation.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <RoleBadge role={invitation.role} />
                </Table.Td>
                {showTeam ? (
                  <Table.Td>
                    <TeamCell teamId={invitation.teamId} teamName={invitation.teamName} />
                  </Table.Td>
                ) : null}
                <Table.Td>
                  <Text size="sm" c={invitation.invitedByName ? undefined : 'dimmed'}>
                    {invitation.invitedByName ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <RelativeTime value={invitation.createdAt} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" title={formatDateTime(invitation.expiresAt)} style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(invitation.expiresAt)}
                  </Text>
                </Table.Td>
                {canManage ? (
                  <Table.Td ta="right">
                    <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(invitation)}>
                      Revoke
                    </Button>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke this invitation?"
        confirmLabel="Revoke"
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      >
        {shownRevoking ? (
          <Text size="sm">
            The link sent to <strong>{shownRevoking.email}</strong> stops working. You can invite them again later.
          </Text>
        ) : null}
      </ConfirmModal>
    </>
  );
}
