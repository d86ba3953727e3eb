import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api';
import type { ApiToken, ApiTokensResponse, CreatedApiToken } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyPanel } from '../../components/EmptyPanel';
import { FormError } from '../../components/FormError';
import { ListCard } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { OperatorGate } from '../../components/OperatorGate';
import { PageHeader } from '../../components/PageHeader';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { useRetained } from '../../hooks/use-retained';
import { applyServerError } from '../../lib/form-errors';
import { NewApiToken, TokensTable } from '../settings/api-token-parts';

export default function OperatorTokensPage() {
  return (
    <OperatorGate>
      <OperatorTokens />
    </OperatorGate>
  );
}

/** Operator API tokens: what billing and provisioning systems use to place orders and add products. */
function OperatorTokens() {
  const tokens = useApiResource<ApiTokensResponse>('/operator/api-tokens');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const shownRevoking = useRetained(revoking);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: (value: string) => (value.trim() ? null : 'Name it after the system that will use it.') },
  });

  async function create({ name }: { name: string }) {
    setError(null);
    try {
      setCreated(await api<CreatedApiToken>('/operator/api-tokens', { method: 'POST', body: { name: name.trim() } }));
      form.reset();
      await tokens.reload();
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  async function revoke(token: ApiToken) {
    await api<void>(`/operator/api-tokens/${token.id}`, { method: 'DELETE' });
    if (created?.id === token.id) setCreated(null);
    notifications.show({ color: 'teal', title: 'Operator token revoked', message: `Requests with “${token.name}” are refused from now on.` });
    await tokens.reload();
  }

  return (
    <>
      <PageHeader
        title="Operator API tokens"
        description="Tokens with the operators' powers, for the systems that place orders and add products (also `allot tokens create --operator`)."
      />
      <Stack gap="lg">
        {created ? <NewApiToken token={created} onDone={() => setCreated(null)} /> : null}
        <ListCard title="Operator tokens" count={tokens.state.status === 'ready' ? tokens.state.data.items.length : undefined}>
          {tokens.state.status === 'loading' ? (
            <Stack px="md" pb="md">
              <TableSkeleton label="Loading operator tokens" rows={2} />
            </Stack>
          ) : tokens.state.status === 'error' ? (
            <Stack px="md" pb="md">
              <LoadError title="Could not load the operator tokens" message={tokens.state.message} onRetry={tokens.reload} />
            </Stack>
          ) : tokens.state.data.items.length === 0 ? (
            <EmptyPanel
              icon={<IconKey size={28} stroke={1.6} />}
              color="gray"
              title="No operator tokens"
              description="Create one for each system that places orders."
            />
          ) : (
            <TokensTable items={tokens.state.data.items} onRevoke={setRevoking} />
          )}
          <form onSubmit={form.onSubmit(create)} noValidate>
            <Group align="flex-start" p="md" gap="sm">
              <TextInput label="New token's name" placeholder="e.g. Billing sync" maxLength={100} {...form.getInputProps('name')} />
              <Button type="submit" mt={25} leftSection={<IconPlus size={16} />} loading={form.submitting}>
                Create operator token
              </Button>
            </Group>
            <FormError>{error}</FormError>
          </form>
        </ListCard>
      </Stack>
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke operator token ${shownRevoking?.name ?? ''}?`}
        confirmLabel="Revoke"
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      >
        <Text size="sm">Every request made with it is refused from the next one on.</Text>
      </ConfirmModal>
    </>
  );
}
