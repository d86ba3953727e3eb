import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatNumber } from '../lib/format';

type ListCardProps = {
  title: string;
  description?: ReactNode;
  /** Shown as a small badge beside the title. */
  count?: number;
  /** Buttons on the right of the header. */
  actions?: ReactNode;
  /** A table (edge to edge), an empty state or a skeleton. */
  children: ReactNode;
};

/**
 * A titled card holding one table; tables inside run edge to edge and scroll sideways on phones.
 * The heading is not tied to the card with aria-labelledby: "the field labelled Team" should find
 * a dialog's input, not a "Team administrators" card (tables carry their own caption).
 */
export function ListCard({ title, description, count, actions, children }: ListCardProps) {
  return (
    <Card padding={0} component="section">
      <Group justify="space-between" align="flex-start" gap="sm" p="md">
        <Stack gap={4} style={{ flex: '1 1 260px' }}>
          <Group gap={8}>
            <Title order={2} fz="lg">
              {title}
            </Title>
            {count !== undefined ? (
              <Badge variant="light" color="gray" size="sm" aria-label={`${count} in total`}>
                {formatNumber(count)}
              </Badge>
            ) : null}
          </Group>
          {description ? (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          ) : null}
        </Stack>
        {actions ? <Group gap="sm">{actions}</Group> : null}
      </Group>
      {children}
    </Card>
  );
}

/** Padding for what a ListCard holds when it is not a table (skeletons, errors). */
export function ListCardBody({ children }: { children: ReactNode }) {
  return (
    <Stack px="md" pb="md">
      {children}
    </Stack>
  );
}
