import { Alert, Button, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconKey, IconLock, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api';
import type { ApiToken, ApiTokensResponse, CreatedApiToken, OrganizationSummary } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ListCard } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { OrganizationGate } from '../../components/OrganizationGate';
import { PageHeader } from '../../components/PageHeader';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { useRetained } from '../../hooks/use-retained';
import { NewApiToken, TokensTable } from './api-token-parts';
import { CreateApiTokenModal } from './CreateApiTokenModal';
import { SettingsTabs } from './SettingsTabs';

export default function ApiTokensPage() {
  return <OrganizationGate>{(organization) => <ApiTokens organization={organization} />}</OrganizationGate>;
}

function ApiTokens({ organization }: { organization: OrganizationSummary }) {
  const isAdmin = organization.access === 'admin';
  const tokens = useApiResource<ApiTokensResponse>(isAdmin ? `/organizations/${organization.id}/api-tokens` : null);
  const [createOpened, creation] = useDisclosure(false);
  // Held in memory until "Done": the server keeps only a digest, so this is the one chance to copy it.
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const shownRevoking = useRetained(revoking);

  async function revoke(token: ApiToken) {
    await api<void>(`/organizations/${organization.id}/api-tokens/${token.id}`, { method: 'DELETE' });
    if (created?.id === token.id) setCreated(null);
    notifications.show({ color: 'teal', title: 'API token revoked', message: `Requests with “${token.name}” are refused from now on.` });
    await tokens.reload();
  }

  return (
    <>
      <PageHeader title="Settings" description={`How ${organization.name} is named, how its licenses may be handled, and what other systems may do with it.`} />
      <SettingsTabs active="api-tokens" />
      {!isAdmin ? (
        <Alert color="gray" variant="light" icon={<IconLock size={18} />}>
          Only organization administrators manage API tokens.
        </Alert>
      ) : (
        <Stack gap="lg">
          {created ? <NewApiToken token={created} onDone={() => setCreated(null)} /> : null}
          <ListCard
            title="API tokens"
            description="Let other systems (HR onboarding, finance, chat) use the API as this organization: read, or read and write, in all teams or some. Tokens belong to the organization; every administrator sees and revokes them."
            count={tokens.state.status === 'ready' ? tokens.state.data.items.length : undefined}
            actions={
              <Button leftSection={<IconPlus size={16} />} onClick={creation.open}>
                Create API token
              </Button>
            }
          >
            {tokens.state.status === 'loading' ? (
              <Stack px="md" pb="md">
                <TableSkeleton label="Loading API tokens" rows={2} />
              </Stack>
            ) : tokens.state.status === 'error' ? (
              <Stack px="md" pb="md">
                <LoadError title="Could not load the API tokens" message={tokens.state.message} onRetry={tokens.reload} />
              </Stack>
            ) : tokens.state.data.items.length === 0 ? (
              <EmptyPanel
                icon={<IconKey size={28} stroke={1.6} />}
                color="gray"
                title="No API tokens yet"
                description="Create one for each system that calls the API, so each can be revoked on its own."
              />
            ) : (
              <TokensTable items={tokens.state.data.items} onRevoke={setRevoking} />
            )}
          </ListCard>
        </Stack>
      )}

      {isAdmin ? (
        <CreateApiTokenModal
          opened={createOpened}
          onClose={creation.close}
          organizationId={organization.id}
          onCreated={async (token) => {
            setCreated(token);
            await tokens.reload();
          }}
        />
      ) : null}
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke API token ${shownRevoking?.name ?? ''}?`}
        confirmLabel="Revoke"
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      >
        <Text size="sm">Every request made with it is refused from the next one on. This cannot be undone.</Text>
      </ConfirmModal>
    </>
  );
}
