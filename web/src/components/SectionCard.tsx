import { Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

type SectionCardProps = {
  title: string;
  description?: ReactNode;
  /** Shown to the right of the title, e.g. a status badge. */
  badge?: ReactNode;
  children: ReactNode;
};

/** A titled card for one group of settings. */
export function SectionCard({ title, description, badge, children }: SectionCardProps) {
  return (
    <Card padding="lg" component="section" aria-label={title}>
      <Stack gap="lg">
        <Stack gap={4}>
          <Group gap="sm" wrap="wrap">
            <Title order={2} fz="lg">
              {title}
            </Title>
            {badge}
          </Group>
          {description ? (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          ) : null}
        </Stack>
        {children}
      </Stack>
    </Card>
  );
}
