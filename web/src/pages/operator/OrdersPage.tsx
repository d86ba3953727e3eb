import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus, IconReceipt, IconSearch } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import type { Order, OrderSource, ProductsResponse } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ListCard, ListCardBody } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { LoadMore } from '../../components/LoadMore';
import { OperatorGate } from '../../components/OperatorGate';
import { PageHeader } from '../../components/PageHeader';
import { RelativeTime } from '../../components/RelativeTime';
import { SearchableSelect } from '../../components/SearchableSelect';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { useCursorList } from '../../hooks/use-cursor-list';
import { useOrganizations } from '../../layout/current-organization';
import { formatNumber } from '../../lib/format';
import { ValidUntil } from '../licenses/LicenseCells';
import { AddOrderModal } from './AddOrderModal';
import { teamSectionPath } from '../teams/team-sections';

const SOURCE_LABELS: Record<OrderSource, string> = { api: 'API', console: 'Console', csv: 'CSV import' };
const SOURCE_COLORS: Record<OrderSource, string> = { api: 'grape', console: 'indigo', csv: 'teal' };

export default function OrdersPage() {
  return (
    <OperatorGate>
      <Orders />
    </OperatorGate>
  );
}

function Orders() {
  const [params, setParams] = useSearchParams();
  const organizationId = params.get('organization') || null;
  const { organizations, select } = useOrganizations();
  const orders = useCursorList<Order>('/orders', { organizationId: organizationId ?? undefined });
  const products = useApiResource<ProductsResponse>('/products');
  const [addOpened, add] = useDisclosure(false);

  function filterBy(organization: string | null) {
    setParams(organization ? { organization } : {}, { replace: true });
  }

  return (
    <>
      <PageHeader
        title="Orders"
        description="Every purchase of licenses, for every organization. Each order adds licenses to a team."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={add.open}>
            Add order
          </Button>
        }
      />
      <ListCard title="All orders">
        <Group gap="sm" px="md" pb="md" role="search" aria-label="Order filters">
          <SearchableSelect
            title="Filter by organization"
            aria-label="Filter by organization"
            placeholder="All organizations"
            data={organizations.map((organization) => ({ value: organization.id, label: organization.name }))}
            value={organizationId}
            onChange={filterBy}
            clearable
            nothingFoundMessage="No such organization"
            w={{ base: '100%', xs: 280 }}
          />
        </Group>
        {orders.state.status === 'loading' ? (
          <ListCardBody>
            <TableSkeleton label="Loading orders" rows={5} />
          </ListCardBody>
        ) : orders.state.status === 'error' ? (
          <ListCardBody>
            <LoadError title="Could not load the orders" message={orders.state.message} onRetry={orders.reload} />
          </ListCardBody>
        ) : orders.state.items.length === 0 ? (
          organizationId ? (
            <EmptyPanel
              icon={<IconSearch size={28} stroke={1.6} />}
              color="gray"
              title="No orders for this organization"
              description="Add one with Add order, or clear the filter to see every organization's orders."
            />
          ) : (
            <EmptyPanel
              icon={<IconReceipt size={28} stroke={1.6} />}
              title="No orders yet"
              description="Orders bring licenses into an organization. Add one here, or send them from your shop through the API."
            />
          )
        ) : (
          <>
            <Table.ScrollContainer minWidth={920}>
              <Table verticalSpacing="sm" horizontalSpacing="sm" highlightOnHover tabularNums>
                <TableCaption>Orders</TableCaption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Reference</Table.Th>
                    <Table.Th>Organization</Table.Th>
                    <Table.Th>Product</Table.Th>
                    <Table.Th ta="right">Quantity</Table.Th>
                    <Table.Th>Valid until</Table.Th>
                    <Table.Th>Team</Table.Th>
                    <Table.Th>Renews</Table.Th>
                    <Table.Th>Source</Table.Th>
                    <Table.Th>Added</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {orders.state.items.map((order) => (
                    <Table.Tr key={order.id}>
                      <Table.Td>
                        <Text size="sm" ff="monospace" fw={600} style={{ whiteSpace: 'nowrap' }}>
                          {order.reference}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {order.organizationName}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {order.productName}
                        </Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {order.productCode}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">{formatNumber(order.quantity)}</Table.Td>
                      <Table.Td>
                        <ValidUntil value={order.validUntil} />
                      </Table.Td>
                      <Table.Td>
                        {order.teamId ? (
                          <Anchor
                            component={Link}
                            to={teamSectionPath(order.teamId, 'licenses')}
                            size="sm"
                            onClick={() => select(order.organizationId)}
                            style={{ whiteSpace: 'nowrap' }}
                          >
                            {order.teamName ?? 'Team'}
                          </Anchor>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace" c={order.renewsReference ? undefined : 'dimmed'}>
                          {order.renewsReference ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge size="sm" variant="light" color={SOURCE_COLORS[order.source]}>
                          {SOURCE_LABELS[order.source]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <RelativeTime value={order.createdAt} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <ListCardBody>
              <LoadMore
                shown={orders.state.items.length}
                noun={orders.state.items.length === 1 ? 'order' : 'orders'}
                hasMore={orders.state.nextCursor !== null}
                loading={orders.state.loadingMore}
                onLoadMore={() => void orders.loadMore()}
              />
            </ListCardBody>
          </>
        )}
      </ListCard>
      <AddOrderModal
        opened={addOpened}
        onClose={add.close}
        organizations={organizations}
        products={products.state.status === 'ready' ? products.state.data.items : null}
        initialOrganizationId={organizationId}
        onAdded={() => void orders.reload()}
      />
    </>
  );
}
