import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { IconPackageOff } from '@tabler/icons-react';
import type { SubscriptionsResponse } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { LoadError } from '../../components/LoadError';
import { TableSkeleton } from '../../components/TableSkeleton';
import { UsageBar } from '../../components/UsageBar';
import type { ApiResource } from '../../hooks/use-api-resource';
import { formatNumber } from '../../lib/format';
import { ValidUntil } from './LicenseCells';
import { LICENSE_LIST_ID } from './LicenseList';

/** "Active subscriptions": per product, how many licenses the organization holds and how many are free. */
export function SubscriptionsCard({ resource }: { resource: ApiResource<SubscriptionsResponse> }) {
  const { state, reload } = resource;
  return (
    <Card padding={0} component="section" aria-labelledby="subscriptions-heading">
      <Stack gap={4} p="md">
        <Title order={2} fz="lg" id="subscriptions-heading">
          Active subscriptions
        </Title>
        <Text size="sm" c="dimmed">
          Licenses this organization holds, by product. Open a product to see its licenses and the team each belongs to.
        </Text>
      </Stack>
      {state.status === 'loading' ? (
        <Stack px="md" pb="md">
          <TableSkeleton label="Loading subscriptions" rows={2} />
        </Stack>
      ) : state.status === 'error' ? (
        <Stack px="md" pb="md">
          <LoadError title="Could not load the subscriptions" message={state.message} onRetry={reload} />
        </Stack>
      ) : state.data.items.length === 0 ? (
        <EmptyPanel
          icon={<IconPackageOff size={28} stroke={1.6} />}
          color="gray"
          title="No active subscriptions"
          description="When an operator adds an order for this organization, its licenses are counted here."
        />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" aria-labelledby="subscriptions-heading" tabularNums>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Product</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
                <Table.Th ta="right">Assigned</Table.Th>
                <Table.Th ta="right">Free</Table.Th>
                <Table.Th>Usage</Table.Th>
                <Table.Th>Valid until (earliest)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {state.data.items.map((subscription) => (
                <Table.Tr key={subscription.productId}>
                  <Table.Td>
                    <Group gap={8} wrap="nowrap">
                      {/* Opens the product's licenses: the list below, filtered to it, with the team of each. */}
                      <Anchor
                        component={Link}
                        to={`?${new URLSearchParams({ product: subscription.productId }).toString()}#${LICENSE_LIST_ID}`}
                        onClick={() => window.requestAnimationFrame(() => document.getElementById(LICENSE_LIST_ID)?.scrollIntoView({ block: 'start' }))}
                        size="sm"
                        fw={600}
                      >
                        {subscription.productName}
                      </Anchor>
                      <Badge size="xs" variant="light" color="gray" ff="monospace">
                        {subscription.productCode}
                      </Badge>
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{formatNumber(subscription.total)}</Table.Td>
                  <Table.Td ta="right">{formatNumber(subscription.assigned)}</Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" fw={600} c={subscription.free === 0 ? 'red.7' : undefined} span>
                      {formatNumber(subscription.free)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <UsageBar assigned={subscription.assigned} total={subscription.total} withLabel />
                  </Table.Td>
                  <Table.Td>{subscription.earliestValidUntil ? <ValidUntil value={subscription.earliestValidUntil} /> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
