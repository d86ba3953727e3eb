import { Button, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useId, useState } from 'react';
import { api } from '../../api';
import type { MyMachine } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { MachineSummary, machineLabel } from '../../components/MachineSummary';
import { useRetained } from '../../hooks/use-retained';
import { formatDate, formatDateTime } from '../../lib/format';

export type LicenseMachinesProps = {
  productName: string;
  /** This license's machines, or why they are missing (a failure is explained once, above the cards). */
  machines: MyMachine[] | 'loading' | 'error';
  onChanged: () => Promise<void>;
};

/** The "Machines" part of a license card: where the license is active, and "Deactivate" to free a seat. */
export function LicenseMachines({ productName, machines, onChanged }: LicenseMachinesProps) {
  const headingId = useId();
  const [deactivating, setDeactivating] = useState<MyMachine | null>(null);
  const shown = useRetained(deactivating);

  async function deactivate(machine: MyMachine) {
    await api<void>(`/me/machines/${encodeURIComponent(machine.id)}`, { method: 'DELETE' });
    notifications.show({
      color: 'teal',
      title: 'Machine deactivated',
      message: `${machineLabel(machine)} no longer uses a ${productName} seat.`,
    });
    await onChanged();
  }

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Text id={headingId} size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.05em' }}>
        Machines
      </Text>
      {machines === 'loading' ? (
        <Skeleton height={52} radius="md" aria-hidden />
      ) : machines === 'error' ? (
        <Text size="sm" c="dimmed">
          Machines could not be loaded.
        </Text>
      ) : machines.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not active on any machine yet.
        </Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {machines.map((machine) => (
            <MachineItem key={machine.id} machine={machine} onDeactivate={() => setDeactivating(machine)} />
          ))}
        </Stack>
      )}
      <ConfirmModal
        opened={deactivating !== null}
        onClose={() => setDeactivating(null)}
        title={`Deactivate ${shown ? machineLabel(shown) : 'machine'}?`}
        confirmLabel="Deactivate"
        onConfirm={() => (deactivating ? deactivate(deactivating) : Promise.resolve())}
      >
        {shown ? <DeactivateExplanation machine={shown} productName={productName} /> : null}
      </ConfirmModal>
    </Stack>
  );
}

function DeactivateExplanation({ machine, productName }: { machine: MyMachine; productName: string }) {
  if (machine.kind === 'offline') {
    // The signed code sits on a machine we cannot reach, so deactivating only frees the seat here.
    return (
      <Stack gap="xs">
        <Text size="sm">This frees its seat for another machine.</Text>
        <Text size="sm" fw={600}>
          The offline code keeps working on {machineLabel(machine)} until it expires on {formatDate(machine.ticketExpiresAt)}. An offline code cannot be
          recalled.
        </Text>
      </Stack>
    );
  }
  return (
    <Text size="sm">
      {productName} on {machineLabel(machine)} can no longer renew its activation, so it stops working by {formatDateTime(machine.ticketExpiresAt)} at the
      latest. Its seat becomes free for another machine.
    </Text>
  );
}

function MachineItem({ machine, onDeactivate }: { machine: MyMachine; onDeactivate: () => void }) {
  return (
    <Paper component="li" withBorder p="sm" radius="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <MachineSummary machine={machine} />
        <Button
          size="compact-xs"
          variant="subtle"
          color="red"
          onClick={onDeactivate}
          aria-label={`Deactivate ${machineLabel(machine)}`}
          style={{ flexShrink: 0 }}
        >
          Deactivate
        </Button>
      </Group>
    </Paper>
  );
}
