import { Badge, Group, Stack, Text } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
import type { License } from '@allot/contract';
import { RelativeTime } from '../../components/RelativeTime';
import { daysUntil, formatDate, formatDateTime } from '../../lib/format';

// Cells of tables with many rows: hover hints are native titles, not Tooltips, to keep rendering light.

/** The assignee's name and address; "Invitation sent" while the address has no account yet. */
export function AssigneeCell({ license }: { license: License }) {
  const { assignee } = license;
  if (!assignee) {
    return (
      <Text size="sm" c="dimmed">
        Unassigned
      </Text>
    );
  }
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Group gap={6} wrap="nowrap">
        <Text size="sm" fw={500} truncate="end" maw={220}>
          {assignee.name ?? assignee.email}
        </Text>
        {assignee.userId === null ? (
          <Badge size="xs" variant="light" color="yellow" title="This address has no Allot account yet. The license is theirs once they sign up.">
            Invitation sent
          </Badge>
        ) : null}
      </Group>
      {assignee.name ? (
        <Text size="xs" c="dimmed" truncate="end" maw={260}>
          {assignee.email}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The end date, in red once it has passed and in orange within 30 days of it. */
export function ValidUntil({ value }: { value: string }) {
  const days = daysUntil(value);
  const expired = days !== null && days < 0;
  const endingSoon = days !== null && !expired && days <= 30;
  const hint = expired ? 'Expired' : endingSoon ? `Ends in ${days} ${days === 1 ? 'day' : 'days'}` : undefined;
  return (
    <Group gap={4} wrap="nowrap" title={hint}>
      <Text size="sm" c={expired ? 'red.7' : endingSoon ? 'orange.8' : undefined} fw={expired || endingSoon ? 600 : undefined} style={{ whiteSpace: 'nowrap' }}>
        {formatDate(value)}
      </Text>
      {expired || endingSoon ? (
        <IconClockExclamation size={15} color={`var(--mantine-color-${expired ? 'red' : 'orange'}-7)`} role="img" aria-label={hint} style={{ flexShrink: 0 }} />
      ) : null}
    </Group>
  );
}

export function LastSeen({ value }: { value: string | null }) {
  if (!value) {
    return (
      <Text size="sm" c="dimmed">
        Never
      </Text>
    );
  }
  return <RelativeTime value={value} />;
}

export function AssignedSince({ value }: { value: string | null }) {
  if (!value) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Text size="sm" span title={formatDateTime(value)} style={{ whiteSpace: 'nowrap' }}>
      {formatDate(value)}
    </Text>
  );
}
