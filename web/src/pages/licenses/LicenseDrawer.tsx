import { Anchor, Badge, Code, DataList, Divider, Drawer, Group, Skeleton, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconUserCheck, IconUserMinus } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { AssignmentSource, License, LicenseHistoryEntry, LicenseHistoryResponse, LicenseMachinesResponse } from '@allot/contract';
import { CopyValueButton } from '../../components/CopyField';
import { LoadError } from '../../components/LoadError';
import { MachineSummary } from '../../components/MachineSummary';
import { useApiResource } from '../../hooks/use-api-resource';
import { useRetained } from '../../hooks/use-retained';
import { formatDateTime } from '../../lib/format';
import { END_REASON_LABELS } from '../../lib/end-reasons';
import { AssigneeCell, AssignedSince, LastSeen, ValidUntil } from './LicenseCells';
import { teamSectionPath } from '../teams/team-sections';

const SOURCE_LABELS: Record<AssignmentSource, string> = {
  manual: 'assigned in the console',
  invitation: 'claimed through an invitation link',
  api: 'assigned through the API',
};

type LicenseDrawerProps = { license: License | null; onClose: () => void };

/** One license's facts and who has held it, beside the list. */
export function LicenseDrawer({ license, onClose }: LicenseDrawerProps) {
  // Keep showing the last license while the drawer slides away.
  const shown = useRetained(license);
  return (
    <Drawer opened={license !== null} onClose={onClose} position="right" size="md" title={<Text fw={650}>License details</Text>} padding="lg">
      {shown ? <LicenseDetails key={shown.id} license={shown} /> : null}
    </Drawer>
  );
}

function LicenseDetails({ license }: { license: License }) {
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={3} fz="lg">
          {license.productName}
        </Title>
        <Group gap={4} wrap="nowrap">
          <Code style={{ wordBreak: 'break-all' }}>{license.id}</Code>
          <CopyValueButton value={license.id} label="Copy license ID" />
        </Group>
      </Stack>
      <DataList size="sm" labelWidth={120} gap="sm">
        <DataList.Item>
          <DataList.ItemLabel>Product</DataList.ItemLabel>
          <DataList.ItemValue>
            {license.productName}{' '}
            <Badge size="xs" variant="light" color="gray" ff="monospace">
              {license.productCode}
            </Badge>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Team</DataList.ItemLabel>
          <DataList.ItemValue>
            <Anchor component={Link} to={teamSectionPath(license.teamId, 'licenses')} size="sm">
              {license.teamName}
            </Anchor>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Order</DataList.ItemLabel>
          <DataList.ItemValue>
            <Text size="sm" ff="monospace">
              {license.orderReference}
            </Text>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Assignee</DataList.ItemLabel>
          <DataList.ItemValue>
            <AssigneeCell license={license} />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Assigned since</DataList.ItemLabel>
          <DataList.ItemValue>
            <AssignedSince value={license.assignedAt} />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Valid until</DataList.ItemLabel>
          <DataList.ItemValue>
            <ValidUntil value={license.validUntil} />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Last seen</DataList.ItemLabel>
          <DataList.ItemValue>
            <LastSeen value={license.lastSeenAt} />
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      {license.assignee ? (
        <>
          <Divider />
          <LicenseMachinesSection licenseId={license.id} />
        </>
      ) : null}
      <Divider />
      <LicenseHistory licenseId={license.id} />
    </Stack>
  );
}

/** Where the holder runs the product: each machine's version and when it last checked in. */
function LicenseMachinesSection({ licenseId }: { licenseId: string }) {
  const { state, reload } = useApiResource<LicenseMachinesResponse>(`/licenses/${licenseId}/machines`);
  return (
    <Stack gap="sm" component="section" aria-label="Machines">
      <Title order={4} fz="md">
        Machines
      </Title>
      {state.status === 'loading' ? (
        <Skeleton height={44} aria-busy aria-label="Loading machines" />
      ) : state.status === 'error' ? (
        <LoadError title="Could not load the machines" message={state.message} onRetry={reload} />
      ) : state.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not active on any machine.
        </Text>
      ) : (
        <Stack gap="xs">
          {state.data.items.map((machine) => (
            <MachineSummary key={machine.id} machine={machine} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function LicenseHistory({ licenseId }: { licenseId: string }) {
  const { state, reload } = useApiResource<LicenseHistoryResponse>(`/licenses/${licenseId}/history`);
  return (
    <Stack gap="md" component="section" aria-label="Assignment history">
      <Title order={4} fz="md">
        Assignment history
      </Title>
      {state.status === 'loading' ? (
        <Stack gap="sm" aria-busy aria-label="Loading history">
          <Skeleton height={44} />
          <Skeleton height={44} />
        </Stack>
      ) : state.status === 'error' ? (
        <LoadError title="Could not load the history" message={state.message} onRetry={reload} />
      ) : state.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nobody has held this license yet.
        </Text>
      ) : (
        <Timeline bulletSize={24} lineWidth={2} active={state.data.items.findIndex((entry) => entry.endedAt === null)}>
          {state.data.items.map((entry, index) => (
            <Timeline.Item
              key={`${entry.assignedAt}-${index}`}
              bullet={entry.endedAt ? <IconUserMinus size={13} /> : <IconUserCheck size={13} />}
              title={
                <Group gap={6}>
                  <Text size="sm" fw={600}>
                    {entry.name ?? entry.email}
                  </Text>
                  {entry.endedAt === null ? (
                    <Badge size="xs" color="teal" variant="light">
                      Current
                    </Badge>
                  ) : null}
                </Group>
              }
            >
              <HistoryEntryText entry={entry} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}

function HistoryEntryText({ entry }: { entry: LicenseHistoryEntry }) {
  return (
    <Stack gap={2}>
      {entry.name ? (
        <Text size="xs" c="dimmed">
          {entry.email}
        </Text>
      ) : null}
      <Text size="xs" c="dimmed">
        {formatDateTime(entry.assignedAt)}: {SOURCE_LABELS[entry.source]}
        {entry.assignedByName ? ` by ${entry.assignedByName}` : ''}
      </Text>
      {entry.endedAt ? (
        <Text size="xs" c={entry.endReason === 'revoked' ? 'red.7' : 'dimmed'}>
          {formatDateTime(entry.endedAt)}: {END_REASON_LABELS[entry.endReason ?? 'revoked']}
        </Text>
      ) : null}
    </Stack>
  );
}
