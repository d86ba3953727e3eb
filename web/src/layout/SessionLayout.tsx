import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { errorMessage } from '../api';
import { FullPageLoader } from '../components/FullPageLoader';
import { MeProvider, useMeState } from '../hooks/use-me';
import { pathWithQuery } from '../lib/redirect';
import { AppShell } from './AppShell';
import { CenteredFrame } from './CenteredLayout';
import { PublicShell } from './PublicShell';

type SessionLayoutProps = {
  /** "required" sends signed-out visitors to sign in; "optional" shows a lighter frame instead. */
  session: 'required' | 'optional';
  /** For "optional": a top bar over a full-width page, or the centred card of the sign-in pages. */
  signedOutFrame?: 'bar' | 'centered';
};

/** Loads /api/v1/me for the pages below it and picks the frame to show them in. */
export function SessionLayout(props: SessionLayoutProps) {
  return (
    <MeProvider>
      <SessionGate {...props} />
    </MeProvider>
  );
}

function SessionGate({ session, signedOutFrame = 'bar' }: SessionLayoutProps) {
  const { state, reload } = useMeState();
  const location = useLocation();

  switch (state.status) {
    case 'loading':
      return <FullPageLoader />;
    case 'signed-in':
      return (
        <AppShell me={state.me}>
          <Outlet />
        </AppShell>
      );
    case 'signed-out':
      if (session === 'optional' && signedOutFrame === 'centered') {
        return (
          <CenteredFrame>
            <Outlet />
          </CenteredFrame>
        );
      }
      if (session === 'optional') {
        return (
          <PublicShell>
            <Outlet />
          </PublicShell>
        );
      }
      return <Navigate to={pathWithQuery('/sign-in', { redirect: location.pathname + location.search })} replace />;
    case 'error':
      return (
        <Center mih="80vh" p="md">
          <Stack align="center" gap="sm" maw={440} ta="center">
            <Title order={2} fz="xl">
              We could not load your account
            </Title>
            <Text c="dimmed" size="sm">
              {errorMessage(state.error)}
            </Text>
            <Button onClick={() => void reload()}>Try again</Button>
          </Stack>
        </Center>
      );
  }
}
