import { Badge, Group, Table, Text } from '@mantine/core';
import { IconUserCheck } from '@tabler/icons-react';
import type { AcceptedInvitation } from '@allot/contract';
import { CopyValueButton } from '../../components/CopyField';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ListCard, ListCardBody } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { LoadMore } from '../../components/LoadMore';
import type { CursorList } from '../../hooks/use-cursor-list';
import { formatDateTime } from '../../lib/format';

/** Who claimed a license through the link, newest first (a page at a time), and whether they still hold it. */
export function AcceptedInvitationsCard({ list, total }: { list: CursorList<AcceptedInvitation>; total: number }) {
  const { state, reload } = list;
  const title = 'Accepted invitations';

  if (state.status === 'loading') {
    return (
      <ListCard title={title}>
        <ListCardBody>
          <TableSkeleton label="Loading accepted invitations" rows={3} />
        </ListCardBody>
      </ListCard>
    );
  }
  if (state.status === 'error') {
    return (
      <ListCard title={title}>
        <ListCardBody>
          <LoadError title="Could not load who accepted" message={state.message} onRetry={reload} />
        </ListCardBody>
      </ListCard>
    );
  }

  const items = state.items;
  return (
    <ListCard title={title} description="Everyone who claimed a license through this link, newest first." count={Math.max(total, items.length)}>
      {items.length === 0 ? (
        <EmptyPanel
          icon={<IconUserCheck size={28} stroke={1.6} />}
          color="gray"
          title="Nobody has claimed a license through this link yet."
          description="Share the link: each person who claims appears here with the license they got."
        />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" highlightOnHover>
            <TableCaption>Accepted invitations</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th>License ID</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((claim) => (
                <Table.Tr key={`${claim.userId}-${claim.licenseId}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {claim.userName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ wordBreak: 'break-all' }}>
                      {claim.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text component="time" dateTime={claim.claimedAt} size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(claim.claimedAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="xs" ff="monospace" c={claim.stillHeld ? undefined : 'dimmed'}>
                        {claim.licenseId}
                      </Text>
                      <CopyValueButton value={claim.licenseId} label="Copy license ID" />
                      {claim.stillHeld ? null : (
                        <Badge size="sm" variant="light" color="red" title="The license was taken back or moved on since; the person no longer holds it.">
                          Revoked
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {items.length > 0 ? (
        <ListCardBody>
          <LoadMore
            shown={items.length}
            noun={items.length === 1 ? 'person' : 'people'}
            hasMore={state.nextCursor !== null}
            loading={state.loadingMore}
            onLoadMore={() => void list.loadMore()}
          />
        </ListCardBody>
      ) : null}
    </ListCard>
  );
}
