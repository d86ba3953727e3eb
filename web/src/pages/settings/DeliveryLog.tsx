import { ActionIcon, Badge, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconChevronRight, IconSend } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { api, errorMessage } from '../../api';
import type { WebhookAttemptsResponse, WebhookDelivery } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ListCard } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { LoadMore } from '../../components/LoadMore';
import { RelativeTime } from '../../components/RelativeTime';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import type { CursorList } from '../../hooks/use-cursor-list';
import { formatDateTime } from '../../lib/format';

const STATUS_COLORS = { pending: 'blue', delivered: 'teal', failed: 'red' } as const;

/** Every delivery of an endpoint, newest first: its answer, each attempt, the body sent, and Redeliver. */
export function DeliveryLog({ endpointId, list }: { endpointId: string; list: CursorList<WebhookDelivery> }) {
  const { state } = list;
  const [open, setOpen] = useState<string | null>(null);
  const [redelivering, setRedelivering] = useState<string | null>(null);

  async function redeliver(delivery: WebhookDelivery) {
    setRedelivering(delivery.id);
    try {
      await api<WebhookDelivery>(`/webhooks/${endpointId}/deliveries/${delivery.id}/redeliver`, { method: 'POST' });
      notifications.show({ color: 'teal', title: 'Redelivery queued', message: `${delivery.eventType} goes out again under the same webhook-id.` });
      await list.reload();
    } catch (caught) {
      notifications.show({ color: 'red', title: 'Could not redeliver', message: errorMessage(caught) });
    } finally {
      setRedelivering(null);
    }
  }

  return (
    <ListCard title="Delivery log" description="Each event sent to this endpoint, with the answer it gave. Deliveries that fail are retried for about a day.">
      {state.status === 'loading' ? (
        <Stack px="md" pb="md">
          <TableSkeleton label="Loading deliveries" rows={3} />
        </Stack>
      ) : state.status === 'error' ? (
        <Stack px="md" pb="md">
          <LoadError title="Could not load the deliveries" message={state.message} onRetry={list.reload} />
        </Stack>
      ) : state.items.length === 0 ? (
        <EmptyPanel
          icon={<IconSend size={28} stroke={1.6} />}
          color="gray"
          title="Nothing sent yet"
          description="Send a test event to try your receiver; events appear here as they happen."
        />
      ) : (
        <Stack gap={0} pb="md">
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="sm">
              <TableCaption>Deliveries</TableCaption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40} />
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last answer</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th w={120} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {state.items.map((delivery) => (
                  <Fragment key={delivery.id}>
                    <Table.Tr>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          onClick={() => setOpen(open === delivery.id ? null : delivery.id)}
                          aria-label={`${open === delivery.id ? 'Hide' : 'Show'} the attempts of ${delivery.eventType} ${delivery.id}`}
                          aria-expanded={open === delivery.id}
                        >
                          {open === delivery.id ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace" fw={600}>
                          {delivery.eventType}
                        </Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {delivery.id}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={STATUS_COLORS[delivery.status]}>
                          {delivery.status}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {delivery.lastAttempt ? (
                          <Text size="sm">
                            {delivery.lastAttempt.statusCode ?? 'No answer'}
                            <Text span size="xs" c="dimmed">
                              {' '}
                              · {delivery.lastAttempt.durationMs} ms
                            </Text>
                          </Text>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {delivery.nextAttemptAt ? 'On its way' : '—'}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <RelativeTime value={delivery.createdAt} />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => void redeliver(delivery)}
                          loading={redelivering === delivery.id}
                          disabled={delivery.status === 'pending'}
                          aria-label={`Redeliver ${delivery.eventType} ${delivery.id}`}
                        >
                          Redeliver
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                    {open === delivery.id ? (
                      <Table.Tr>
                        <Table.Td colSpan={6} p={0}>
                          <DeliveryDetail endpointId={endpointId} delivery={delivery} />
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                  </Fragment>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group px="md">
            <LoadMore
              shown={state.items.length}
              noun="deliveries"
              hasMore={state.nextCursor !== null}
              loading={state.loadingMore}
              onLoadMore={() => void list.loadMore()}
            />
          </Group>
        </Stack>
      )}
    </ListCard>
  );
}

function DeliveryDetail({ endpointId, delivery }: { endpointId: string; delivery: WebhookDelivery }) {
  const attempts = useApiResource<WebhookAttemptsResponse>(`/webhooks/${endpointId}/deliveries/${delivery.id}/attempts`);
  return (
    <Stack gap="sm" p="md" bg="var(--mantine-color-gray-light)">
      <Text size="sm" fw={600}>
        Attempts
      </Text>
      {attempts.state.status === 'loading' ? (
        <TableSkeleton label="Loading attempts" rows={1} />
      ) : attempts.state.status === 'error' ? (
        <LoadError title="Could not load the attempts" message={attempts.state.message} onRetry={attempts.reload} />
      ) : attempts.state.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not attempted yet.
        </Text>
      ) : (
        <Stack gap={6} component="ol" m={0} pl="md">
          {attempts.state.data.items.map((attempt) => (
            <Text key={attempt.attemptedAt} component="li" size="sm">
              {formatDateTime(attempt.attemptedAt)} — {attempt.statusCode ?? 'no answer'} in {attempt.durationMs} ms
              {attempt.error ? ` — ${attempt.error}` : ''}
              {attempt.responseExcerpt ? (
                <Code block mt={4}>
                  {attempt.responseExcerpt}
                </Code>
              ) : null}
            </Text>
          ))}
        </Stack>
      )}
      <Text size="sm" fw={600}>
        Body
      </Text>
      <Code block>{JSON.stringify(JSON.parse(delivery.payload), null, 2)}</Code>
    </Stack>
  );
}
