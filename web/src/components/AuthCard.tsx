import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { usePageTitle } from '../hooks/use-page-title';

type AuthCardProps = {
  title: string;
  description?: ReactNode;
  /** Links shown under the card ("Create account", "Back to sign in"). */
  footer?: ReactNode;
  children?: ReactNode;
};

/** The card every signed-out page is built from; also sets the tab title. */
export function AuthCard({ title, description, footer, children }: AuthCardProps) {
  usePageTitle(title);
  return (
    <Stack gap="md">
      <Paper withBorder shadow="sm" p={{ base: 'lg', xs: 'xl' }}>
        <Stack gap="lg">
          <Stack gap={6}>
            <Title order={2} fz={{ base: 22, xs: 24 }}>
              {title}
            </Title>
            {description ? (
              <Text c="dimmed" size="sm">
                {description}
              </Text>
            ) : null}
          </Stack>
          {children}
        </Stack>
      </Paper>
      {footer ? (
        <Text ta="center" size="sm" c="dimmed">
          {footer}
        </Text>
      ) : null}
    </Stack>
  );
}
