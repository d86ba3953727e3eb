import { Box, Center, Container, Stack } from '@mantine/core';
import { Suspense, type ReactNode } from 'react';
import { Link, Outlet } from 'react-router';
import { FullPageLoader } from '../components/FullPageLoader';
import { Logo } from '../components/Logo';
import { RouteErrorBoundary } from '../components/RouteErrorBoundary';

/** The signed-out frame: the product name on top of a centred card. */
export function CenteredLayout() {
  return (
    <CenteredFrame>
      <Outlet />
    </CenteredFrame>
  );
}

/** The frame of CenteredLayout around any page (the invitation claim page when signed out). */
export function CenteredFrame({ children }: { children: ReactNode }) {
  return (
    <Box
      mih="100dvh"
      py={{ base: 'xl', sm: 64 }}
      px="md"
      style={{
        background: 'radial-gradient(1200px 500px at 50% -10%, light-dark(var(--mantine-color-indigo-0), rgba(76, 110, 245, 0.12)), transparent)',
      }}
    >
      <Container size={440} p={0}>
        <Stack gap="xl">
          <Center>
            <Link to="/" aria-label="Allot home" style={{ color: 'inherit', textDecoration: 'none' }}>
              <Logo size="lg" />
            </Link>
          </Center>
          <main>
            <RouteErrorBoundary>
              <Suspense fallback={<FullPageLoader />}>{children}</Suspense>
            </RouteErrorBoundary>
          </main>
        </Stack>
      </Container>
    </Box>
  );
}
