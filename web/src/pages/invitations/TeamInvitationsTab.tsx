import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLink, IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Invitation, InvitationsResponse, Team } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ListCard, ListCardBody } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { invitationTitle } from '../../lib/invitations';
import { CreateInvitationModal } from './CreateInvitationModal';
import { InvitationStatusBadge, NoAssetsLeftBadge } from './InvitationStatusBadge';

/** A team's bulk invitation links, and Create Invitation for those who manage the team. */
export function TeamInvitationsTab({ team }: { team: Team }) {
  const invitations = useApiResource<InvitationsResponse>(`/teams/${team.id}/invitations`);
  const [createOpened, create] = useDisclosure(false);

  const createButton = team.canManage ? (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
      Create Invitation
    </Button>
  ) : null;

  const card = (content: ReactNode, count?: number) => (
    <ListCard
      title="Invitations"
      description="Share one link instead of collecting addresses: whoever opens it and signs in with a verified email claims a license of one product."
      count={count}
      actions={createButton}
    >
      {content}
    </ListCard>
  );

  let body;
  if (invitations.state.status === 'loading') {
    body = card(
      <ListCardBody>
        <TableSkeleton label="Loading invitations" rows={2} />
      </ListCardBody>,
    );
  } else if (invitations.state.status === 'error') {
    body = card(
      <ListCardBody>
        <LoadError title="Could not load the invitations" message={invitations.state.message} onRetry={invitations.reload} />
      </ListCardBody>,
    );
  } else {
    const items = invitations.state.data.items;
    body = card(
      items.length === 0 ? (
        <EmptyPanel
          icon={<IconLink size={28} stroke={1.6} />}
          title="No invitations yet"
          description={
            team.canManage
              ? 'Create an invitation for one of this team’s products, then share its link in chat or email. Each person who opens it claims one license while licenses are free.'
              : 'Invitation links of this team appear here once a team administrator creates one.'
          }
        />
      ) : (
        <InvitationsTable invitations={items} />
      ),
      items.length,
    );
  }

  return (
    <>
      {body}
      <CreateInvitationModal opened={createOpened} onClose={create.close} team={team} />
    </>
  );
}

function InvitationsTable({ invitations }: { invitations: Invitation[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" highlightOnHover tabularNums>
        <TableCaption>Invitations</TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Product</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Claims</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invitations.map((invitation) => (
            <Table.Tr key={invitation.id}>
              <Table.Td>
                <Anchor component={Link} to={`/invitations/${invitation.id}`} fw={600} size="sm">
                  {invitationTitle(invitation)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Group gap={8} wrap="nowrap">
                  <Text size="sm">{invitation.productName}</Text>
                  <Badge size="xs" variant="light" color="gray" ff="monospace" tt="none">
                    {invitation.productCode}
                  </Badge>
                </Group>
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <InvitationStatusBadge status={invitation.status} size="sm" />
                  {invitation.status === 'active' && invitation.remaining === 0 ? <NoAssetsLeftBadge size="sm" /> : null}
                </Group>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" span style={{ whiteSpace: 'nowrap' }}>
                  {formatNumber(invitation.claims)}
                  {invitation.maxClaims !== null ? (
                    <Text span c="dimmed" size="sm">
                      {' '}
                      / {formatNumber(invitation.maxClaims)}
                    </Text>
                  ) : null}
                </Text>
              </Table.Td>
              <Table.Td>
                {invitation.expiresAt ? (
                  <Text size="sm" title={formatDateTime(invitation.expiresAt)} style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(invitation.expiresAt)}
                  </Text>
                ) : (
                  <Text size="sm" c="dimmed">
                    No expiry
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" title={formatDateTime(invitation.createdAt)} style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(invitation.createdAt)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
