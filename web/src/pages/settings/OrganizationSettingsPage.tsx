import { Alert, Anchor, Button, Group, NumberInput, Radio, Skeleton, Stack, Switch, Text, TextInput, type NumberInputProps } from '@mantine/core';
import { hasLength, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
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
import { useMe } from '../../hooks/use-me';
import { useOrganizations } from '../../layout/current-organization';
import { applyServerError } from '../../lib/form-errors';
import { daysUntil, formatDate } from '../../lib/format';
import { NoticePreferencesCard } from './NoticePreferencesCard';

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
        <SettingsForm key={detail.state.data.id} organization={detail.state.data} />
      )}
    </>
  );
}

type TwoFactorPolicy = OrganizationDetail['requireTwoFactor'];

type SettingsValues = {
  name: string;
  minDaysBeforeRevoke: number | string;
  lowSeatThreshold: number | string;
  reclaimEnabled: boolean;
  reclaimIdleDays: number | string;
  requireTwoFactor: TwoFactorPolicy;
  /** Days from now until the 2FA policy binds; sent when the policy or this number changes. */
  twoFactorGraceDays: number | string;
};

type SettingsPatch = {
  name?: string;
  minDaysBeforeRevoke?: number;
  lowSeatThreshold?: number;
  reclaimIdleDays?: number | null;
  requireTwoFactor?: TwoFactorPolicy;
  twoFactorGraceDays?: number;
};

/** Offered when the idle-seat policy is first turned on: two months is long enough for holidays. */
const DEFAULT_RECLAIM_DAYS = 60;
const DEFAULT_GRACE_DAYS = 14;

const TWO_FACTOR_OPTIONS: Array<{ value: TwoFactorPolicy; label: string; description: string }> = [
  { value: 'off', label: 'Off', description: 'Everyone decides for themselves.' },
  {
    value: 'admins',
    label: 'Administrators',
    description: 'Everyone with a role here: administrators and viewers of the organization and of its teams.',
  },
  {
    value: 'everyone',
    label: 'Everyone holding a license',
    description: 'Administrators, and everyone who holds or claims one of its licenses.',
  },
];

function valuesOf(organization: OrganizationDetail): SettingsValues {
  const graceLeft = organization.twoFactorGraceUntil ? (daysUntil(organization.twoFactorGraceUntil) ?? 0) : DEFAULT_GRACE_DAYS;
  return {
    name: organization.name,
    minDaysBeforeRevoke: organization.minDaysBeforeRevoke,
    lowSeatThreshold: organization.lowSeatThreshold,
    reclaimEnabled: organization.reclaimIdleDays !== null,
    reclaimIdleDays: organization.reclaimIdleDays ?? DEFAULT_RECLAIM_DAYS,
    requireTwoFactor: organization.requireTwoFactor,
    twoFactorGraceDays: Math.min(90, Math.max(0, graceLeft)),
  };
}

const wholeNumber = (min: number, max: number) => (value: number | string) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? null : `Enter a whole number from ${min} to ${max}.`;

/** A whole-number input with its unit inside, as the settings show them. */
function CountInput({ unit, ...props }: NumberInputProps & { unit: string }) {
  return (
    <NumberInput
      step={1}
      allowDecimal={false}
      allowNegative={false}
      clampBehavior="strict"
      hideControls
      rightSection={
        <Text size="sm" c="dimmed" pr={10}>
          {unit}
        </Text>
      }
      rightSectionWidth={56}
      rightSectionPointerEvents="none"
      styles={{ wrapper: { maxWidth: 200 } }}
      {...props}
    />
  );
}

function SettingsForm({ organization }: { organization: OrganizationDetail }) {
  const { reload: reloadOrganizations } = useOrganizations();
  const { me } = useMe();
  const [error, setError] = useState<string | null>(null);
  // What the server holds now: the patch is what differs from it.
  const [saved, setSaved] = useState(organization);
  const readOnly = !organization.canManage;

  const form = useForm<SettingsValues>({
    initialValues: valuesOf(organization),
    validate: {
      name: hasLength({ min: 1, max: 100 }, 'Enter a name of up to 100 characters.'),
      minDaysBeforeRevoke: wholeNumber(0, 365),
      lowSeatThreshold: wholeNumber(0, 100_000),
      reclaimIdleDays: (value, values) => (values.reclaimEnabled ? wholeNumber(14, 365)(value) : null),
      twoFactorGraceDays: (value, values) => (values.requireTwoFactor === 'off' ? null : wholeNumber(0, 90)(value)),
    },
  });

  async function save(values: SettingsValues) {
    setError(null);
    const initial = valuesOf(saved);
    const patch: SettingsPatch = {};
    const name = values.name.trim();
    if (name !== saved.name) patch.name = name;
    if (values.minDaysBeforeRevoke !== saved.minDaysBeforeRevoke) patch.minDaysBeforeRevoke = Number(values.minDaysBeforeRevoke);
    if (values.lowSeatThreshold !== saved.lowSeatThreshold) patch.lowSeatThreshold = Number(values.lowSeatThreshold);
    const reclaimIdleDays = values.reclaimEnabled ? Number(values.reclaimIdleDays) : null;
    if (reclaimIdleDays !== saved.reclaimIdleDays) patch.reclaimIdleDays = reclaimIdleDays;
    if (values.requireTwoFactor !== saved.requireTwoFactor) patch.requireTwoFactor = values.requireTwoFactor;
    if (values.requireTwoFactor !== 'off' && (patch.requireTwoFactor !== undefined || values.twoFactorGraceDays !== initial.twoFactorGraceDays)) {
      patch.twoFactorGraceDays = Number(values.twoFactorGraceDays);
    }
    try {
      const updated = await api<OrganizationDetail>(`/organizations/${organization.id}`, { method: 'PATCH', body: patch });
      setSaved(updated);
      form.setInitialValues(valuesOf(updated));
      form.setValues(valuesOf(updated));
      notifications.show({ color: 'teal', icon: <IconCheck size={18} />, title: 'Settings saved', message: `${updated.name} is up to date.` });
      if (patch.name) void reloadOrganizations();
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  const { values } = form;
  const policyChanged = values.requireTwoFactor !== saved.requireTwoFactor;

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
            <CountInput
              label="Minimum days before a license can be revoked"
              description="JetBrains lets you take a license back only 30 days after it was assigned; enter 30 to follow the same rule, or 0 to allow revoking at any time."
              unit="days"
              min={0}
              max={365}
              disabled={readOnly}
              {...form.getInputProps('minDaysBeforeRevoke')}
            />
          </SectionCard>
          <SectionCard title="Seat policies" description="When administrators hear that seats run short, and when seats nobody uses go back to the pool.">
            <CountInput
              label="Low-seat alert threshold"
              description="Admins get one email when a pool's free seats fall to this number; 0 = when it runs out."
              unit="seats"
              min={0}
              max={100_000}
              disabled={readOnly}
              {...form.getInputProps('lowSeatThreshold')}
            />
            <Stack gap="xs">
              <Switch
                label="Release seats nobody uses"
                description="A seat is used when a product checks in with it, or when its holder answers “I still use it”."
                disabled={readOnly}
                {...form.getInputProps('reclaimEnabled', { type: 'checkbox' })}
              />
              {values.reclaimEnabled ? (
                <CountInput
                  label="Release seats not used for"
                  description="At least 14 days. Holders are warned by email 7 days before, with a link to keep their seat; administrators see what was released on the Usage page."
                  unit="days"
                  min={14}
                  max={365}
                  disabled={readOnly}
                  ml={{ base: 0, xs: 54 }}
                  {...form.getInputProps('reclaimIdleDays')}
                />
              ) : null}
            </Stack>
          </SectionCard>
          <SectionCard title="Two-factor authentication" description={`Who must protect their account with a second factor to work with ${saved.name}.`}>
            <Radio.Group label="Require two-factor authentication" {...form.getInputProps('requireTwoFactor')}>
              <Stack gap="sm" mt="xs">
                {TWO_FACTOR_OPTIONS.map((option) => (
                  <Radio key={option.value} value={option.value} label={option.label} description={option.description} disabled={readOnly} />
                ))}
              </Stack>
            </Radio.Group>
            {values.requireTwoFactor === 'off' ? null : (
              <>
                <CountInput
                  label="Grace period"
                  description={
                    policyChanged
                      ? 'Days from now during which people without a second factor may still work; a banner tells them the deadline.'
                      : 'Days from now; change it to move the deadline.'
                  }
                  unit="days"
                  min={0}
                  max={90}
                  disabled={readOnly}
                  {...form.getInputProps('twoFactorGraceDays')}
                />
                {!policyChanged && saved.twoFactorGraceUntil ? (
                  <Text size="sm" c="dimmed">
                    {(daysUntil(saved.twoFactorGraceUntil) ?? 0) > 0
                      ? `People without a second factor may keep working until ${formatDate(saved.twoFactorGraceUntil)}; after that they are asked to turn it on before anything else.`
                      : `The grace period ended on ${formatDate(saved.twoFactorGraceUntil)}: people without a second factor are asked to turn it on before anything else.`}
                  </Text>
                ) : null}
                {me.user.twoFactorEnabled || readOnly ? null : (
                  <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="You do not use two-factor authentication yet">
                    The policy covers you too: turn it on under{' '}
                    <Anchor component={Link} to="/account/security" inherit>
                      Security
                    </Anchor>{' '}
                    before the grace period ends, or you cannot open these settings either.
                  </Alert>
                )}
              </>
            )}
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
      {/* Saved on their own as soon as they change, like on an invitation's page. */}
      <NoticePreferencesCard organizationId={organization.id} organizationName={saved.name} />
      {readOnly ? null : <ClaimNotificationsCard organizationId={organization.id} organizationName={saved.name} />}
    </Stack>
  );
}
