import { Alert, Button, Group, NumberInput, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { hasLength, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api';
import type { OrganizationDetail, OrganizationSummary } from '@allot/contract';
import { FormError } from '../../components/FormError';
import { LoadError } from '../../components/LoadError';
import { OrganizationGate } from '../../components/OrganizationGate';
import { PageHeader } from '../../components/PageHeader';
import { SectionCard } from '../../components/SectionCard';
import { SettingsTabs } from './SettingsTabs';
import { ClaimNotificationsCard } from '../invitations/ClaimNotificationsCard';
import { useApiResource } from '../../hooks/use-api-resource';
import { useOrganizations } from '../../layout/current-organization';
import { applyServerError } from '../../lib/form-errors';

export default function OrganizationSettingsPage() {
  return <OrganizationGate>{(organization) => <Settings organization={organization} />}</OrganizationGate>;
}

function Settings({ organization }: { organization: OrganizationSummary }) {
  const detail = useApiResource<OrganizationDetail>(`/organizations/${organization.id}`);
  return (
    <>
      <PageHeader title="Settings" description={`How ${organization.name} is named, how its licenses may be handled, and what other systems may do with it.`} />
      <SettingsTabs active="general" />
      {detail.state.status === 'loading' ? (
        <Stack gap="md" aria-busy aria-label="Loading settings" maw={720}>
          <Skeleton height={260} radius="md" />
        </Stack>
      ) : detail.state.status === 'error' ? (
        <LoadError title="Could not load the settings" message={detail.state.message} onRetry={detail.reload} />
      ) : (
        <SettingsForm key={detail.state.data.id} organization={detail.state.data} onSaved={detail.reload} />
      )}
    </>
  );
}

type SettingsValues = { name: string; minDaysBeforeRevoke: number | string };

function SettingsForm({ organization, onSaved }: { organization: OrganizationDetail; onSaved: () => Promise<void> }) {
  const { reload: reloadOrganizations } = useOrganizations();
  const [error, setError] = useState<string | null>(null);
  const readOnly = !organization.canManage;

  const form = useForm<SettingsValues>({
    initialValues: { name: organization.name, minDaysBeforeRevoke: organization.minDaysBeforeRevoke },
    validate: {
      name: hasLength({ min: 1, max: 100 }, 'Enter a name of up to 100 characters.'),
      minDaysBeforeRevoke: (value) =>
        typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 365 ? null : 'Enter a whole number from 0 to 365.',
    },
  });

  async function save(values: SettingsValues) {
    setError(null);
    const patch: { name?: string; minDaysBeforeRevoke?: number } = {};
    const name = values.name.trim();
    if (name !== organization.name) patch.name = name;
    if (values.minDaysBeforeRevoke !== organization.minDaysBeforeRevoke) patch.minDaysBeforeRevoke = Number(values.minDaysBeforeRevoke);
    try {
      const updated = await api<OrganizationDetail>(`/organizations/${organization.id}`, { method: 'PATCH', body: patch });
      form.setInitialValues({ name: updated.name, minDaysBeforeRevoke: updated.minDaysBeforeRevoke });
      form.setValues({ name: updated.name, minDaysBeforeRevoke: updated.minDaysBeforeRevoke });
      notifications.show({ color: 'teal', icon: <IconCheck size={18} />, title: 'Settings saved', message: `${updated.name} is up to date.` });
      if (patch.name) void reloadOrganizations();
      void onSaved();
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  return (
    <Stack gap="lg" maw={720}>
      <form onSubmit={form.onSubmit(save)} noValidate>
        <Stack gap="lg">
          {readOnly ? (
            <Alert color="gray" variant="light" icon={<IconLock size={18} />}>
              Only organization admins can change these settings.
            </Alert>
          ) : null}
          <SectionCard title="Organization" description="The name administrators and license holders see.">
            <TextInput label="Organization name" maxLength={100} disabled={readOnly} {...form.getInputProps('name')} />
          </SectionCard>
          <SectionCard title="Revoking licenses" description="Protects people from losing a license right after they were given one.">
            <NumberInput
              label="Minimum days before a license can be revoked"
              description="JetBrains lets you take a license back only 30 days after it was assigned; enter 30 to follow the same rule, or 0 to allow revoking at any time."
              min={0}
              max={365}
              step={1}
              allowDecimal={false}
              allowNegative={false}
              clampBehavior="strict"
              hideControls
              rightSection={
                <Text size="sm" c="dimmed" pr={10}>
                  days
                </Text>
              }
              rightSectionWidth={52}
              rightSectionPointerEvents="none"
              styles={{ wrapper: { maxWidth: 200 } }}
              disabled={readOnly}
              {...form.getInputProps('minDaysBeforeRevoke')}
            />
          </SectionCard>
          <FormError>{error}</FormError>
          {readOnly ? null : (
            <Group gap="sm">
              <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>
                Save changes
              </Button>
              {form.isDirty() ? (
                <Button variant="default" onClick={() => form.reset()} disabled={form.submitting}>
                  Discard changes
                </Button>
              ) : null}
            </Group>
          )}
        </Stack>
      </form>
      {/* Saved on its own as soon as it changes, like on an invitation's page. */}
      {readOnly ? null : <ClaimNotificationsCard organizationId={organization.id} organizationName={organization.name} />}
    </Stack>
  );
}
