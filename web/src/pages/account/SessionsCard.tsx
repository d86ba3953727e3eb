import { Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDeviceDesktop, IconDeviceMobile, IconLogout, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../api';
import { authClient, callAuth, type AuthSession } from '../../auth-client';
import { FormError } from '../../components/FormError';
import { SectionCard } from '../../components/SectionCard';
import { formatDateTime, formatRelative } from '../../lib/format';
import { describeUserAgent } from '../../lib/user-agent';

type Session = AuthSession['session'];

type SessionsState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; sessions: Session[]; currentSessionId: string | null };

const MOBILE_SYSTEMS = new Set(['iOS', 'Android']);

function newestFirstWithCurrentOnTop(sessions: Session[], currentSessionId: string | null): Session[] {
  return [...sessions].sort((a, b) => {
    if (a.id === currentSessionId) return -1;
    if (b.id === currentSessionId) return 1;
    return new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime();
  });
}

export function SessionsCard() {
  const [state, setState] = useState<SessionsState>({ status: 'loading' });
  const [revokingToken, setRevokingToken] = useState<string | null>(null);
  const [revokingOthers, setRevokingOthers] = useState(false);

  const load = useCallback(async () => {
    try {
      const [sessions, current] = await Promise.all([
        callAuth((fetchOptions) => authClient.listSessions({ fetchOptions })),
        callAuth((fetchOptions) => authClient.getSession({ fetchOptions })),
      ]);
      const currentSessionId = current?.session.id ?? null;
      setState({ status: 'ready', sessions: newestFirstWithCurrentOnTop(sessions, currentSessionId), currentSessionId });
    } catch (error) {
      setState({ status: 'error', message: errorMessage(error) });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(session: Session) {
    setRevokingToken(session.token);
    try {
      await callAuth((fetchOptions) => authClient.revokeSession({ token: session.token, fetchOptions }));
      notifications.show({ color: 'teal', title: 'Session signed out', message: 'That device has to sign in again.' });
      await load();
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not sign out that session', message: errorMessage(error) });
    } finally {
      setRevokingToken(null);
    }
  }

  async function revokeOthers() {
    setRevokingOthers(true);
    try {
      await callAuth((fetchOptions) => authClient.revokeOtherSessions({ fetchOptions }));
      notifications.show({ color: 'teal', title: 'Other sessions signed out', message: 'Only this device stays signed in.' });
      await load();
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not sign out other sessions', message: errorMessage(error) });
    } finally {
      setRevokingOthers(false);
    }
  }

  const phone = useMediaQuery('(max-width: 48em)');
  const rowProps = (session: Session): SessionRowProps => ({
    session,
    isCurrent: state.status === 'ready' && session.id === state.currentSessionId,
    revoking: revokingToken === session.token,
    disabled: revokingToken !== null || revokingOthers,
    onRevoke: () => void revoke(session),
  });

  const otherSessionCount = state.status === 'ready' ? state.sessions.filter((session) => session.id !== state.currentSessionId).length : 0;

  return (
    <SectionCard title="Sessions" description="Devices where you are signed in. Sign out any you do not recognise, then change your password.">
      {state.status === 'loading' ? (
        <Stack gap="xs" aria-busy aria-label="Loading sessions">
          <Skeleton height={40} />
          <Skeleton height={40} />
          <Skeleton height={40} />
        </Stack>
      ) : state.status === 'error' ? (
        <Stack gap="sm" align="flex-start">
          <FormError title="Could not load your sessions">{state.message}</FormError>
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void load()}>
            Try again
          </Button>
        </Stack>
      ) : (
        <>
          {phone ? (
            <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Sessions">
              {state.sessions.map((session) => (
                <SessionListItem key={session.id} {...rowProps(session)} />
              ))}
            </Stack>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="sm" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Device</Table.Th>
                    <Table.Th>IP address</Table.Th>
                    <Table.Th>Signed in</Table.Th>
                    <Table.Th>Expires</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {state.sessions.map((session) => (
                    <SessionRow key={session.id} {...rowProps(session)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Group justify="space-between" gap="sm">
            <Text size="sm" c="dimmed">
              {otherSessionCount === 0
                ? 'You are signed in on this device only.'
                : `${otherSessionCount} other ${otherSessionCount === 1 ? 'session' : 'sessions'}.`}
            </Text>
            <Button
              variant="light"
              color="red"
              leftSection={<IconLogout size={16} />}
              onClick={() => void revokeOthers()}
              loading={revokingOthers}
              disabled={otherSessionCount === 0 || revokingToken !== null}
            >
              Revoke all other sessions
            </Button>
          </Group>
        </>
      )}
    </SectionCard>
  );
}

type SessionRowProps = {
  session: Session;
  isCurrent: boolean;
  revoking: boolean;
  disabled: boolean;
  onRevoke: () => void;
};

function useDeviceLabel(session: Session) {
  const device = describeUserAgent(session.userAgent);
  return {
    DeviceIcon: MOBILE_SYSTEMS.has(device.os) ? IconDeviceMobile : IconDeviceDesktop,
    deviceLabel: `${device.browser} on ${device.os}`,
  };
}

function ThisDeviceBadge() {
  return (
    <Badge size="sm" variant="light" color="teal" style={{ flexShrink: 0 }}>
      This device
    </Badge>
  );
}

function RevokeButton({ session, revoking, disabled, onRevoke }: Omit<SessionRowProps, 'isCurrent'>) {
  const { deviceLabel } = useDeviceLabel(session);
  return (
    <Button size="xs" variant="subtle" color="red" onClick={onRevoke} loading={revoking} disabled={disabled && !revoking} title={`Sign out ${deviceLabel}`}>
      Revoke
    </Button>
  );
}

function SessionRow(props: SessionRowProps) {
  const { session, isCurrent } = props;
  const { DeviceIcon, deviceLabel } = useDeviceLabel(session);
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <DeviceIcon size={20} stroke={1.6} aria-hidden style={{ opacity: 0.7, flexShrink: 0 }} />
          <Text size="sm" fw={500}>
            {deviceLabel}
          </Text>
          {isCurrent ? <ThisDeviceBadge /> : null}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {session.ipAddress || '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Tooltip label={formatDateTime(session.createdAt)}>
          <Text size="sm" span>
            {formatRelative(session.createdAt)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(session.expiresAt)}</Text>
      </Table.Td>
      <Table.Td ta="right">{isCurrent ? null : <RevokeButton {...props} />}</Table.Td>
    </Table.Tr>
  );
}

/** The phone layout: one bordered item per session instead of a wide table. */
function SessionListItem(props: SessionRowProps) {
  const { session, isCurrent } = props;
  const { DeviceIcon, deviceLabel } = useDeviceLabel(session);
  return (
    <Paper component="li" withBorder p="sm">
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
        <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
          <DeviceIcon size={20} stroke={1.6} aria-hidden style={{ opacity: 0.7, flexShrink: 0, marginTop: 2 }} />
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {deviceLabel}
              </Text>
              {isCurrent ? <ThisDeviceBadge /> : null}
            </Group>
            <Text size="xs" c="dimmed">
              {session.ipAddress || 'Unknown IP'} · signed in {formatRelative(session.createdAt)}
            </Text>
            <Text size="xs" c="dimmed">
              Expires {formatDateTime(session.expiresAt)}
            </Text>
          </Stack>
        </Group>
        {isCurrent ? null : <RevokeButton {...props} />}
      </Group>
    </Paper>
  );
}
