import { Alert, Button, Group, PasswordInput, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import type { AppPassword, AppPasswordsResponse, CreatedAppPassword } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { CopyField } from '../../components/CopyField';
import { FormError } from '../../components/FormError';
import { LoadError } from '../../components/LoadError';
import { RelativeTime } from '../../components/RelativeTime';
import { SectionCard } from '../../components/SectionCard';
import { TableCaption } from '../../components/TableCaption';
import { useApiResource } from '../../hooks/use-api-resource';
import { useRetained } from '../../hooks/use-retained';
import { applyServerError } from '../../lib/form-errors';
import { formatDate, formatDateTime } from '../../lib/format';

const NAME_MAX_LENGTH = 100;

export function AppPasswordsCard() {
  const { state, reload } = useApiResource<AppPasswordsResponse>('/me/app-passwords');
  // Held only in memory until "Done": the server keeps just a hash, so this is the one chance to copy it.
  const [created, setCreated] = useState<CreatedAppPassword | null>(null);
  const [revoking, setRevoking] = useState<AppPassword | null>(null);
  const shownRevoking = useRetained(revoking);

  async function revoke(appPassword: AppPassword) {
    await api<void>(`/me/app-passwords/${encodeURIComponent(appPassword.id)}`, { method: 'DELETE' });
    if (created?.id === appPassword.id) setCreated(null);
    notifications.show({ color: 'teal', title: 'App password revoked', message: `Products using “${appPassword.name}” stop activating and refreshing.` });
    await reload();
  }

  return (
    <SectionCard
      title="App passwords"
      description="Products sign in with an app password when your account uses two-factor authentication, or when you would rather not give them your password. Each one can be revoked on its own."
    >
      {created ? <NewAppPassword appPassword={created} onDone={() => setCreated(null)} /> : null}

      {state.status === 'loading' ? (
        <Stack gap="xs" aria-busy aria-label="Loading app passwords">
          <Skeleton height={40} />
          <Skeleton height={40} />
        </Stack>
      ) : state.status === 'error' ? (
        <LoadError title="Could not load your app passwords" message={state.message} onRetry={reload} />
      ) : state.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No app passwords yet.
        </Text>
      ) : (
        <AppPasswordsTable items={state.data.items} onRevoke={setRevoking} />
      )}

      <CreateAppPasswordForm
        onCreated={async (appPassword) => {
          setCreated(appPassword);
          await reload();
        }}
      />

      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke app password ${shownRevoking?.name ?? ''}?`}
        confirmLabel="Revoke"
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      >
        <Text size="sm">Products that use it stop activating and refreshing.</Text>
      </ConfirmModal>
    </SectionCard>
  );
}

function AppPasswordsTable({ items, onRevoke }: { items: AppPassword[]; onRevoke: (appPassword: AppPassword) => void }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" highlightOnHover>
        <TableCaption>App passwords</TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Password</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th w={100} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((appPassword) => (
            <Table.Tr key={appPassword.id}>
              <Table.Td>
                <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {appPassword.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" title="Only the last four characters are kept for display">
                  …{appPassword.hint}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" title={formatDateTime(appPassword.createdAt)} style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(appPassword.createdAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                {appPassword.lastUsedAt ? (
                  <RelativeTime value={appPassword.lastUsedAt} />
                ) : (
                  <Text size="sm" c="dimmed">
                    Never
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Button size="xs" variant="subtle" color="red" onClick={() => onRevoke(appPassword)} aria-label={`Revoke app password ${appPassword.name}`}>
                  Revoke
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function NewAppPassword({ appPassword, onDone }: { appPassword: CreatedAppPassword; onDone: () => void }) {
  // The heading sits in the body rather than Alert's `title`: a titled Alert is labelled by its
  // title, and "Copy your new app password now" would then also answer to the field's label.
  // It appears away from the form that made it; screen-reader and keyboard users are taken there.
  const region = useRef<HTMLDivElement>(null);
  useEffect(() => region.current?.focus(), []);
  return (
    <Alert ref={region} tabIndex={-1} color="teal" variant="light" icon={<IconKey size={18} />}>
      <Stack gap="sm">
        <Text size="sm" fw={700} role="status">
          Copy your new app password now
        </Text>
        <CopyField label="New app password" value={appPassword.password} copyLabel="Copy app password" />
        <Text size="sm">It will not be shown again.</Text>
        <Text size="sm" c="dimmed">
          Enter it in the product together with your email address, in place of your account password.
        </Text>
        <Group>
          <Button size="xs" onClick={onDone}>
            Done
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function CreateAppPasswordForm({ onCreated }: { onCreated: (appPassword: CreatedAppPassword) => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', currentPassword: '' },
    validate: {
      currentPassword: (value: string) => (value ? null : 'Enter your current password.'),
      name: (value: string) => {
        const trimmed = value.trim();
        if (!trimmed) return 'Name the app password after where you use it.';
        if (trimmed.length > NAME_MAX_LENGTH) return `Use at most ${NAME_MAX_LENGTH} characters.`;
        return null;
      },
    },
  });

  async function create({ name, currentPassword }: { name: string; currentPassword: string }) {
    setError(null);
    try {
      const appPassword = await api<CreatedAppPassword>('/me/app-passwords', { method: 'POST', body: { name: name.trim(), currentPassword } });
      form.reset();
      await onCreated(appPassword);
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  return (
    <form onSubmit={form.onSubmit(create)} noValidate>
      <Stack gap="sm" maw={420}>
        <TextInput
          label="App password name"
          placeholder="e.g. Work laptop IDE"
          maxLength={NAME_MAX_LENGTH}
          autoComplete="off"
          {...form.getInputProps('name')}
        />
        <PasswordInput
          label="Current password"
          description="Asked again so that a borrowed browser session cannot mint a lasting credential. You get an email for every new app password."
          autoComplete="current-password"
          {...form.getInputProps('currentPassword')}
        />
        <FormError>{error}</FormError>
        <Group>
          <Button type="submit" leftSection={<IconPlus size={16} />} loading={form.submitting}>
            Create app password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
