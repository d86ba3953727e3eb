import { Alert, Badge, Button, Card, EmptyState, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconBuilding, IconCalendar, IconCircleCheck, IconKey, IconLicense, IconLicenseOff, IconWifiOff } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, errorMessage } from '../../api';
import type { MyLicense, MyLicensesResponse, MyMachine, MyMachinesResponse } from '@allot/contract';

type EndedLicense = MyLicensesResponse['ended'][number];
import { CopyValueButton } from '../../components/CopyField';
import { FormError } from '../../components/FormError';
import { LoadError } from '../../components/LoadError';
import { useApiResource } from '../../hooks/use-api-resource';
import { formatDate, formatDateTime } from '../../lib/format';
import { LicenseMachines, type LicenseMachinesProps } from './LicenseMachines';
import { OfflineCodeModal } from './OfflineCodeModal';

type LicensesState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: MyLicense[]; ended: EndedLicense[] };

export function LicensesList() {
  const [state, setState] = useState<LicensesState>({ status: 'loading' });
  // `?claimed=` brings people here from a claim: that license is highlighted.
  const [params, setParams] = useSearchParams();
  const claimedId = params.get('claimed');
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

  const load = useCallback(async (signal?: AbortSignal) => {
    setState({ status: 'loading' });
    try {
      const response = await api<MyLicensesResponse>('/me/licenses', signal ? { signal } : {});
      setState({ status: 'ready', items: response.items, ended: response.ended });
    } catch (error) {
      if (!signal?.aborted) setState({ status: 'error', message: errorMessage(error) });
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

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
        <Button variant="default" onClick={() => void load()}>
          Try again
        </Button>
      </Stack>
    );
  }

  const ended = <EndedLicenses ended={state.ended} />;
  if (state.items.length === 0) {
    return (
      <Stack gap="md">
        {ended}
        <Card padding="xl">
          <EmptyState
            icon={<IconLicense size={28} stroke={1.6} />}
            variant="light"
            title={state.ended.length > 0 ? 'No licenses now' : 'No licenses yet'}
            description={
              state.ended.length > 0
                ? 'When your organization gives you a license again, it shows here.'
                : 'You have no licenses yet. When an administrator shares an invitation link with you, open it to claim a license.'
            }
            py="lg"
          />
        </Card>
      </Stack>
    );
  }

  const claimed = claimedId ? state.items.find((license) => license.id === claimedId) : undefined;
  function dismissClaimed() {
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.delete('claimed');
      return next;
    });
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
      {ended}
      {machines.state.status === 'error' ? <LoadError title="Could not load your machines" message={machines.state.message} onRetry={machines.reload} /> : null}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        {state.items.map((license) => (
          <LicenseCard
            key={license.id}
            license={license}
            highlighted={license.id === claimed?.id}
            machines={typeof machinesByLicense === 'string' ? machinesByLicense : (machinesByLicense.get(license.id) ?? [])}
            onMachinesChanged={machines.reload}
          />
        ))}
      </SimpleGrid>
    </Stack>
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
};

function LicenseCard({ license, highlighted = false, machines, onMachinesChanged }: LicenseCardProps) {
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
        {/* An expired license cannot back a new code; the server would refuse it anyway. */}
        {expired ? null : (
          <Group>
            <Button variant="default" size="xs" leftSection={<IconWifiOff size={14} />} onClick={() => setOfflineCodeOpened(true)}>
              Get offline activation code
            </Button>
          </Group>
        )}
      </Stack>
      <OfflineCodeModal license={license} opened={offlineCodeOpened} onClose={() => setOfflineCodeOpened(false)} onIssued={onMachinesChanged} />
    </Card>
  );
}

/** Licenses taken back or run out lately: said plainly, so nobody hunts for them or tries the old link again. */
function EndedLicenses({ ended }: { ended: EndedLicense[] }) {
  if (ended.length === 0) return null;
  return (
    <Stack gap="xs">
      {ended.map((license) => (
        <Alert key={license.licenseId} color="gray" variant="light" icon={<IconLicenseOff size={18} />} title={`${license.productName} is no longer yours`}>
          {license.reason === 'revoked'
            ? `${license.organizationName} revoked your ${license.productName} license on ${formatDate(license.endedAt)}. Ask its administrators if you still need it.`
            : `Your ${license.productName} license from ${license.organizationName} expired on ${formatDate(license.endedAt)}.`}
        </Alert>
      ))}
    </Stack>
  );
}
