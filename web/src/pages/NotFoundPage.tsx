import { Button, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCompassOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { Logo } from '../components/Logo';
import { usePageTitle } from '../hooks/use-page-title';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <Center mih="100dvh" p="md">
      <Stack align="center" gap="lg" maw={440} ta="center">
        <Logo size="lg" />
        <ThemeIcon size={64} radius="xl" variant="light" color="gray" aria-hidden>
          <IconCompassOff size={34} stroke={1.6} />
        </ThemeIcon>
        <Stack gap={6}>
          <Title order={1} fz={28}>
            Page not found
          </Title>
          <Text c="dimmed">The address may be mistyped, or the page has moved. Check the link, or head back to your account.</Text>
        </Stack>
        <Button component={Link} to="/account" size="md">
          Go to my account
        </Button>
      </Stack>
    </Center>
  );
}
