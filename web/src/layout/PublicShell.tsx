import { Anchor, Box, Container, Group } from '@mantine/core';
import { Suspense, type ReactNode } from 'react';
import { Link } from 'react-router';
import { FullPageLoader } from '../components/FullPageLoader';
import { Logo } from '../components/Logo';
import { RouteErrorBoundary } from '../components/RouteErrorBoundary';

/** A plain top bar for full-width pages that also work signed out (the dev mailbox). */
export function PublicShell({ children }: { children: ReactNode }) {
  return (
    <Box mih="100dvh">
      <Box component="header" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Container size="xl" h={60}>
          <Group h="100%" justify="space-between">
            <Link to="/" aria-label="Allot home" style={{ color: 'inherit', textDecoration: 'none' }}>
              <Logo />
            </Link>
            <Anchor component={Link} to="/sign-in" size="sm" fw={600}>
              Sign in
            </Anchor>
          </Group>
        </Container>
      </Box>
      <Container size="xl" py="xl" component="main">
        <RouteErrorBoundary>
          <Suspense fallback={<FullPageLoader />}>{children}</Suspense>
        </RouteErrorBoundary>
      </Container>
    </Box>
  );
}
