import { Badge, Group, Stack, Text } from '@mantine/core';
import { IconDeviceDesktop } from '@tabler/icons-react';
import type { LicenseMachine } from '@allot/contract';
import { formatDate, formatDateTime } from '../lib/format';
import { RelativeTime } from './RelativeTime';

/** What a machine is called wherever one is named: the name the product sent, else its id. */
export function machineLabel(machine: Pick<LicenseMachine, 'machineName' | 'machineId'>): string {
  return machine.machineName ?? machine.machineId;
}

/** One machine a license runs on: its name and id, version, first and last seen, and offline-code validity. */
export function MachineSummary({ machine }: { machine: LicenseMachine }) {
  return (
    <Group gap="sm" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
      <IconDeviceDesktop size={18} stroke={1.6} aria-hidden style={{ opacity: 0.7, flexShrink: 0, marginTop: 2 }} />
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Group gap={6} wrap="wrap">
          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
            {machineLabel(machine)}
          </Text>
          {machine.kind === 'offline' ? (
            <Badge size="xs" variant="light" color="yellow">
              Offline code
            </Badge>
          ) : null}
        </Group>
        {machine.machineName ? (
          <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {machine.machineId}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          {machine.productVersion ? `Version ${machine.productVersion} · ` : ''}First seen{' '}
          <Text component="time" dateTime={machine.firstSeenAt} title={formatDateTime(machine.firstSeenAt)} size="xs" span>
            {formatDate(machine.firstSeenAt)}
          </Text>{' '}
          · Last seen <RelativeTime value={machine.lastSeenAt} size="xs" />
        </Text>
        {machine.kind === 'offline' ? (
          <Text size="xs" c="dimmed">
            Code valid until {formatDate(machine.ticketExpiresAt)}
          </Text>
        ) : null}
      </Stack>
    </Group>
  );
}
