import { Alert, Badge, Button, Card, EmptyState, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowBackUp,
  IconBuilding,
  IconCalendar,
  IconCheck,
  IconCircleCheck,
  IconHandStop,
  IconKey,
  IconLicense,
  IconLicenseOff,
  IconWifiOff,
} from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useUpdateSearchParams } from '../../hooks/use-update-search-params';
import { api, errorMessage } from '../../api';
import type { MyLicense, MyLicensesResponse, MyMachine, MyMachinesResponse } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { CopyValueButton } from '../../components/CopyField';
import { FormError } from '../../components/FormError';
import { LoadError } from '../../components/LoadError';
import { useApiResource } from '../../hooks/use-api-resource';
import { useRetained } from '../../hooks/use-retained';
import { MY_END_REASON_LABELS } from '../../lib/end-reasons';
import { formatDate, formatDateTime } from '../../lib/format';
import { LicenseMachines, type LicenseMachinesProps } from './LicenseMachines';
import { OfflineCodeModal } from './OfflineCodeModal';

type EndedLicense = MyLicensesResponse['ended'][number];

export function LicensesList() {
  // Reloaded quietly after a give-back: the cards stay on screen, a failure is a toast.
  const licenses = useApiResource<MyLicensesResponse>('/me/licenses');
  // `?claimed=` brings people here from a claim: that license is highlighted.
  // `?keep=` comes from the idle-seat warning: the page asks whether they still use that license.
  const [params] = useSearchParams();
  const updateParams = useUpdateSearchParams();
  const claimedId = params.get('claimed');
  const keepId = params.get('keep');
  const [givingBack, setGivingBack] = useState<MyLicense | null>(null);
  const shownGivingBack = useRetained(givingBack);
  // Loaded next to the licenses, not inside them: a failure here must not hide the licenses.
  const machines = useApiResource<MyMachinesResponse>('/me/machines');
  const machinesByLicense = useMemo(() => {
    if (machines.state.status !== 'ready') return machines.state.status;
    const grouped = new Map<string, MyMachine[]>();
    for (const machine of machines.state.data.items) {
      const list = grouped.get(machine.licenseId);
      if (list) list.push(machine);
      else grouped.set(machine.licenseId, [machine]);
    }
    return grouped;
  }, [machines.state]);

  const removeParam = (name: string) => updateParams((next) => next.delete(name));

  async function giveBack(license: MyLicense) {
    await api<void>(`/me/licenses/${encodeURIComponent(license.id)}/give-back`, { method: 'POST' });
    notifications.show({
      color: 'teal',
      icon: <IconCheck size={18} />,
      title: 'License given back',
      message: `Your ${license.productName} seat is free again for ${license.organizationName}.`,
    });
    if (license.id === keepId) removeParam('keep');
    await Promise.all([licenses.reload(), machines.reload()]);
  }

  const { state } = licenses;
  if (state.status === 'loading') {
    return (
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" aria-busy aria-label="Loading licenses">
        <Skeleton height={132} radius="md" />
        <Skeleton height={132} radius="md" />
      </SimpleGrid>
    );
  }

  if (state.status === 'error') {
    return (
      <Stack gap="sm" align="flex-start">
        <FormError title="Could not load your licenses">{state.message}</FormError>
        <Button variant="default" onClick={() => void licenses.reload()}>
          Try again
        </Button>
      </Stack>
    );
  }

  const keepQuestion = keepId ? (
    <KeepQuestion
      license={state.data.items.find((license) => license.id === keepId) ?? null}
      onKept={() => removeParam('keep')}
      onGiveBack={setGivingBack}
      onDismiss={() => removeParam('keep')}
    />
  ) : null;
  const giveBackModal = (
    <ConfirmModal
      opened={givingBack !== null}
      onClose={() => setGivingBack(null)}
      title={`Give back ${shownGivingBack?.productName ?? 'this license'}?`}
      confirmLabel="Give back"
      onConfirm={() => (givingBack ? giveBack(givingBack) : Promise.resolve())}
    >
      {shownGivingBack ? (
        <Stack gap="xs">
          <Text size="sm">
            The seat goes back to {shownGivingBack.organizationName} at once, and its administrators are told. Machines using it lose the license when they next
            check in.
          </Text>
          <Text size="sm">
            To use {shownGivingBack.productName} again, you need to claim it again through an invitation link, or ask an administrator to assign it to you.
          </Text>
        </Stack>
      ) : null}
    </ConfirmModal>
  );

  const ended = <EndedLicenses ended={state.data.ended} />;
  if (state.data.items.length === 0) {
    return (
      <Stack gap="md">
        {keepQuestion}
        {ended}
        <Card padding="xl">
          <EmptyState
            icon={<IconLicense size={28} stroke={1.6} />}
            variant="light"
            title={state.data.ended.length > 0 ? 'No licenses now' : 'No licenses yet'}
            description={
              state.data.ended.length > 0
                ? 'When your organization gives you a license again, it shows here.'
                : 'You have no licenses yet. When an administrator shares an invitation link with you, open it to claim a license.'
            }
            py="lg"
          />
        </Card>
        {giveBackModal}
      </Stack>
    );
  }

  const claimed = claimedId ? state.data.items.find((license) => license.id === claimedId) : undefined;
  function dismissClaimed() {
    removeParam('claimed');
  }

  return (
    <Stack gap="md">
      {claimed ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck size={18} />}
          title="Your license is ready"
          role="status"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={dismissClaimed}
        >
          {claimed.productName} from {claimed.organizationName} is yours, valid until {formatDate(claimed.validUntil)}. Sign in to the product with this account
          to activate it.
        </Alert>
      ) : null}
      {keepQuestion}
      {ended}
      {machines.state.status === 'error' ? <LoadError title="Could not load your machines" message={machines.state.message} onRetry={machines.reload} /> : null}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        {state.data.items.map((license) => (
          <LicenseCard
            key={license.id}
            license={license}
            highlighted={license.id === claimed?.id}
            machines={typeof machinesByLicense === 'string' ? machinesByLicense : (machinesByLicense.get(license.id) ?? [])}
            onMachinesChanged={machines.reload}
            onGiveBack={() => setGivingBack(license)}
          />
        ))}
      </SimpleGrid>
      {giveBackModal}
    </Stack>
  );
}

type KeepQuestionProps = {
  /** The license the warning asked about; null when it is no longer this person's. */
  license: MyLicense | null;
  onKept: () => void;
  onGiveBack: (license: MyLicense) => void;
  onDismiss: () => void;
};

/** "Do you still use it?": the idle-seat warning's link lands here; nothing happens until they answer. */
function KeepQuestion({ license, onKept, onGiveBack, onDismiss }: KeepQuestionProps) {
  const [keeping, setKeeping] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!license) {
    return (
      <Alert
        color="gray"
        variant="light"
        icon={<IconLicenseOff size={18} />}
        title="This license is no longer yours"
        withCloseButton
        closeButtonLabel="Dismiss"
        onClose={onDismiss}
      >
        The email asked about a license you no longer hold, so there is nothing to keep. If you need the product again, claim it through an invitation link or
        ask your administrators.
      </Alert>
    );
  }

  async function keep(held: MyLicense) {
    setError(null);
    setKeeping(true);
    try {
      await api<void>(`/me/licenses/${encodeURIComponent(held.id)}/keep`, { method: 'POST' });
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={18} />,
        title: `${held.productName} stays yours`,
        message: 'Thanks for telling us. It is not released for being idle.',
      });
      onKept();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setKeeping(false);
    }
  }

  return (
    <Alert color="yellow" variant="light" icon={<IconHandStop size={18} />} title={`Do you still use ${license.productName}?`}>
      <Stack gap="sm">
        <Text size="sm">
          No product has used your {license.productName} license from {license.organizationName} for a while, and {license.organizationName} releases seats
          nobody uses. If you still need it, say so and it stays yours.
        </Text>
        <FormError>{error}</FormError>
        <Group gap="sm">
          <Button size="xs" leftSection={<IconCheck size={14} />} loading={keeping} onClick={() => void keep(license)}>
            I still use it
          </Button>
          <Button size="xs" variant="default" onClick={() => onGiveBack(license)} disabled={keeping}>
            Give it back
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function isExpired(validUntil: string): boolean {
  const time = new Date(validUntil).getTime();
  return Number.isFinite(time) && time < Date.now();
}

type LicenseCardProps = {
  license: MyLicense;
  /** Just claimed: outlined, and scrolled into view. */
  highlighted?: boolean;
  machines: LicenseMachinesProps['machines'];
  onMachinesChanged: () => Promise<void>;
  onGiveBack: () => void;
};

function LicenseCard({ license, highlighted = false, machines, onMachinesChanged, onGiveBack }: LicenseCardProps) {
  const expired = isExpired(license.validUntil);
  const [offlineCodeOpened, setOfflineCodeOpened] = useState(false);
  const card = useRef<HTMLElement>(null);
  useEffect(() => {
    if (highlighted) card.current?.scrollIntoView({ block: 'nearest' });
  }, [highlighted]);
  return (
    <Card
      ref={card}
      padding="lg"
      component="article"
      aria-label={license.productName}
      aria-current={highlighted ? 'true' : undefined}
      data-highlighted={highlighted || undefined}
      style={highlighted ? { outline: '2px solid var(--mantine-color-teal-6)', outlineOffset: 2 } : undefined}
    >
      <Stack gap="md">
        <Stack gap={6}>
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
            <Text fw={650} fz="xl" lh={1.25}>
              {license.productName}
            </Text>
            <Badge variant="light" color="gray" ff="monospace" tt="none" style={{ flexShrink: 0 }}>
              {license.productCode}
            </Badge>
          </Group>
          <Group gap={8} wrap="nowrap">
            <IconBuilding size={16} aria-hidden style={{ opacity: 0.6, flexShrink: 0 }} />
            <Text size="sm">{license.teamName ? `${license.organizationName} · ${license.teamName}` : license.organizationName}</Text>
          </Group>
        </Stack>
        <Stack gap={6}>
          <Group gap={8} wrap="nowrap">
            <IconCalendar size={16} aria-hidden style={{ opacity: 0.6, flexShrink: 0 }} />
            <Text size="sm" fw={500}>
              {expired ? 'Expired' : 'Valid until'} {formatDate(license.validUntil)}
            </Text>
            {expired ? (
              <Badge color="red" variant="light" size="sm">
                Expired
              </Badge>
            ) : null}
          </Group>
          <Group gap={8} wrap="nowrap">
            <IconKey size={16} aria-hidden style={{ opacity: 0.6, flexShrink: 0 }} />
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {license.id}
            </Text>
            <CopyValueButton value={license.id} label="Copy license ID" />
          </Group>
        </Stack>
        <Text size="xs" c="dimmed" title={formatDateTime(license.assignedAt)}>
          Since {formatDate(license.assignedAt)}
        </Text>
        <LicenseMachines productName={license.productName} machines={machines} onChanged={onMachinesChanged} />
        {/* An expired license cannot back a new code (the server would refuse it), and giving it back frees no seat. */}
        {expired ? null : (
          <Group gap="sm">
            <Button variant="default" size="xs" leftSection={<IconWifiOff size={14} />} onClick={() => setOfflineCodeOpened(true)}>
              Get offline activation code
            </Button>
            <Button
              variant="subtle"
              color="red"
              size="xs"
              leftSection={<IconArrowBackUp size={14} />}
              onClick={onGiveBack}
              aria-label={`Give back ${license.productName}`}
            >
              Give back
            </Button>
          </Group>
        )}
      </Stack>
      <OfflineCodeModal license={license} opened={offlineCodeOpened} onClose={() => setOfflineCodeOpened(false)} onIssued={onMachinesChanged} />
    </Card>
  );
}

function endedSentence({ reason, productName, organizationName, endedAt }: EndedLicense): string {
  const on = formatDate(endedAt);
  switch (reason) {
    case 'revoked':
      return `${organizationName} revoked your ${productName} license on ${on}. Ask its administrators if you still need it.`;
    case 'expired':
      return `Your ${productName} license from ${organizationName} expired on ${on}.`;
    case 'reclaimed':
      return `No product used your ${productName} license from ${organizationName} for the time its policy allows, so the seat was released on ${on}. Claim it again or ask its administrators if you need it.`;
    case 'returned':
      return `You gave your ${productName} license back to ${organizationName} on ${on}.`;
    case 'account_deleted':
      return `Your ${productName} license from ${organizationName} was released on ${on}, when the account was deleted.`;
  }
}

/** Licenses taken back, given back or run out lately: said plainly, so nobody hunts for them or tries the old link again. */
function EndedLicenses({ ended }: { ended: EndedLicense[] }) {
  if (ended.length === 0) return null;
  return (
    <Stack gap="xs">
      {ended.map((license) => (
        <Alert key={license.licenseId} color="gray" variant="light" icon={<IconLicenseOff size={18} />} title={`${license.productName} is no longer yours`}>
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {MY_END_REASON_LABELS[license.reason]}
            </Text>
            <Text size="sm">{endedSentence(license)}</Text>
          </Stack>
        </Alert>
      ))}
    </Stack>
  );
}
