import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { usePageTitle } from '../hooks/use-page-title';

type PageHeaderProps = {
  title: string;
  description?: ReactNode;
  /** Buttons on the right (wrap under the title on phones). */
  actions?: ReactNode;
  /** id for the heading, so a surrounding section can point at it with aria-labelledby. */
  titleId?: string;
};

export function PageHeader({ title, description, actions, titleId }: PageHeaderProps) {
  usePageTitle(title);
  return (
    <Group justify="space-between" align="flex-end" gap="md" mb="xl">
      <Stack gap={4} style={{ flex: '1 1 320px' }}>
        <Title order={1} fz={{ base: 24, sm: 28 }} id={titleId}>
          {title}
        </Title>
        {description ? (
          <Text c="dimmed" size="sm" maw={640}>
            {description}
          </Text>
        ) : null}
      </Stack>
      {actions ? <Group gap="sm">{actions}</Group> : null}
    </Group>
  );
}
