import { Anchor, Card, Stack, Table, Text, Title } from '@mantine/core';
import { IconRecycle } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { OrganizationDetail, OrganizationSummary, UsageReport } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { TableCaption } from '../../components/TableCaption';
import { formatDate, formatDateTime, pluralize } from '../../lib/format';

type ReclaimedSeatsCardProps = {
  organization: OrganizationSummary;
  reclaimed: UsageReport['reclaimed'];
  /** The organization's policies, to say whether the idle-seat policy is on (null while loading or unreadable). */
  policies: Pick<OrganizationDetail, 'reclaimIdleDays'> | null;
};

/** "Idle seats released": what the idle-seat policy took back in the period, and from whom. */
export function ReclaimedSeatsCard({ organization, reclaimed, policies }: ReclaimedSeatsCardProps) {
  const policy =
    policies === null
      ? 'The idle-seat policy releases seats nobody used for a set number of days, after warning their holders a week before.'
      : policies.reclaimIdleDays === null
        ? 'The idle-seat policy is off: seats stay assigned however long they go unused.'
        : `Seats nobody used for ${pluralize(policies.reclaimIdleDays, 'day')} are released, after their holders were warned a week before.`;
  const where =
    organization.access === 'admin' ? (
      <>
        {' '}
        It is set under{' '}
        <Anchor component={Link} to="/settings" inherit>
          Settings → General
        </Anchor>
        .
      </>
    ) : (
      ' Organization admins set it under Settings.'
    );

  return (
    <Card padding={0} component="section" aria-labelledby="reclaimed-heading">
      <Stack gap={4} p="md">
        <Title order={2} fz="lg" id="reclaimed-heading">
          Idle seats released
        </Title>
        <Text size="sm" c="dimmed">
          {policy}
          {where}
        </Text>
      </Stack>
      {reclaimed.length === 0 ? (
        <EmptyPanel
          icon={<IconRecycle size={28} stroke={1.6} />}
          color="gray"
          title="No idle seats released in this period"
          description="When the policy releases a seat, it is listed here with its holder and when a product last used it."
        />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" highlightOnHover>
            <TableCaption>Idle seats released</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Held by</Table.Th>
                <Table.Th>Product</Table.Th>
                <Table.Th>Team</Table.Th>
                <Table.Th>Released</Table.Th>
                <Table.Th>Last used</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reclaimed.map((seat) => (
                <Table.Tr key={`${seat.licenseId}:${seat.releasedAt}`}>
                  <Table.Td>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {seat.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{seat.productName}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{seat.teamName}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" title={formatDateTime(seat.releasedAt)} style={{ whiteSpace: 'nowrap' }}>
                      {formatDate(seat.releasedAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {seat.lastUsedAt ? (
                      <Text size="sm" title={formatDateTime(seat.lastUsedAt)} style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(seat.lastUsedAt)}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        Never
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
