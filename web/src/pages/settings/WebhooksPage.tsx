import { Alert, Anchor, Badge, Button, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLock, IconPlus, IconWebhook } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import type { OrganizationSummary, WebhookEndpoint, WebhooksResponse } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ListCard } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { OrganizationGate } from '../../components/OrganizationGate';
import { PageHeader } from '../../components/PageHeader';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { formatDate } from '../../lib/format';
import { SettingsTabs } from './SettingsTabs';
import { WebhookEndpointModal } from './WebhookEndpointModal';

export default function WebhooksPage() {
  return <OrganizationGate>{(organization) => <Webhooks organization={organization} />}</OrganizationGate>;
}

export function EndpointStatus({ endpoint }: { endpoint: Pick<WebhookEndpoint, 'enabled' | 'failingSince'> }) {
  if (!endpoint.enabled)
    return (
      <Badge color="gray" variant="light">
        Disabled
      </Badge>
    );
  if (endpoint.failingSince)
    return (
      <Badge color="orange" variant="light">
        Failing
      </Badge>
    );
  return (
    <Badge color="teal" variant="light">
      Enabled
    </Badge>
  );
}

function Webhooks({ organization }: { organization: OrganizationSummary }) {
  const navigate = useNavigate();
  const isAdmin = organization.access === 'admin';
  const endpoints = useApiResource<WebhooksResponse>(isAdmin ? `/organizations/${organization.id}/webhooks` : null);
  const [addOpened, adding] = useDisclosure(false);

  return (
    <>
      <PageHeader title="Settings" description={`How ${organization.name} is named, how its licenses may be handled, and what other systems may do with it.`} />
      <SettingsTabs active="webhooks" />
      {!isAdmin ? (
        <Alert color="gray" variant="light" icon={<IconLock size={18} />}>
          Only organization administrators manage webhooks.
        </Alert>
      ) : (
        <ListCard
          title="Webhook endpoints"
          description="Allot POSTs a signed event to each endpoint when licenses are assigned, claimed, revoked or moved, orders arrive, invitations change, products activate, or a pool runs dry. Failed deliveries are retried for about a day."
          count={endpoints.state.status === 'ready' ? endpoints.state.data.items.length : undefined}
          actions={
            <Button leftSection={<IconPlus size={16} />} onClick={adding.open}>
              Add endpoint
            </Button>
          }
        >
          {endpoints.state.status === 'loading' ? (
            <Stack px="md" pb="md">
              <TableSkeleton label="Loading webhook endpoints" rows={2} />
            </Stack>
          ) : endpoints.state.status === 'error' ? (
            <Stack px="md" pb="md">
              <LoadError title="Could not load the webhook endpoints" message={endpoints.state.message} onRetry={endpoints.reload} />
            </Stack>
          ) : endpoints.state.data.items.length === 0 ? (
            <EmptyPanel
              icon={<IconWebhook size={28} stroke={1.6} />}
              color="gray"
              title="No webhook endpoints yet"
              description="Add the URL of a system that should hear about licenses: a chat bot, an HR system, your own service."
            />
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="sm" highlightOnHover>
                <TableCaption>Webhook endpoints</TableCaption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Endpoint</Table.Th>
                    <Table.Th>Events</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Added</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {endpoints.state.data.items.map((endpoint) => (
                    <Table.Tr key={endpoint.id}>
                      <Table.Td maw={420}>
                        <Anchor component={Link} to={`/settings/webhooks/${endpoint.id}`} size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                          {endpoint.url}
                        </Anchor>
                        {endpoint.description ? (
                          <Text size="xs" c="dimmed">
                            {endpoint.description}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{endpoint.events.length === 11 ? 'All events' : endpoint.events.join(', ')}</Text>
                      </Table.Td>
                      <Table.Td>
                        <EndpointStatus endpoint={endpoint} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(endpoint.createdAt)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </ListCard>
      )}
      {isAdmin ? (
        <WebhookEndpointModal
          opened={addOpened}
          onClose={adding.close}
          organizationId={organization.id}
          // The endpoint's page shows the signing secret, this once.
          onSaved={(saved) => void navigate(`/settings/webhooks/${saved.id}`, { state: 'secret' in saved ? { secret: saved.secret } : null })}
        />
      ) : null}
    </>
  );
}
