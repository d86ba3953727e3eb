import { Alert, Anchor, Button, DataList, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconLinkOff, IconUserExclamation } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, errorMessage, isAbortError, isApiError } from '../../api';
import type { AcceptedRoleInvitation, RoleInvitationPreview } from '@allot/contract';
import { authClient, callAuth } from '../../auth-client';
import { AuthCard } from '../../components/AuthCard';
import { FormError } from '../../components/FormError';
import { LoadError } from '../../components/LoadError';
import { MeProvider, storeCurrentOrganizationId, useMeState } from '../../hooks/use-me';
import { formatDateTime } from '../../lib/format';
import { pathWithQuery } from '../../lib/redirect';
import { describeRole, ROLE_LABELS } from '../../lib/roles';

/** Where an administrator invitation link lands: works signed out (sign in first) and signed in. */
export default function AcceptInvitationPage() {
  return (
    <MeProvider>
      <AcceptInvitation />
    </MeProvider>
  );
}

type PreviewState = { status: 'loading' } | { status: 'invalid' } | { status: 'error'; message: string } | { status: 'ready'; preview: RoleInvitationPreview };

function AcceptInvitation() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<PreviewState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    setState({ status: 'loading' });
    api<RoleInvitationPreview>('/admin-invitations/preview', { method: 'POST', body: { token }, signal: controller.signal }).then(
      (preview) => setState({ status: 'ready', preview }),
      (error: unknown) => {
        if (isAbortError(error)) return;
        if (isApiError(error) && (error.status === 404 || error.code === 'ROLE_INVITATION_INVALID')) setState({ status: 'invalid' });
        else setState({ status: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [token, attempt]);

  if (!token || state.status === 'invalid') return <InvalidInvitation />;
  if (state.status === 'error') {
    return (
      <AuthCard title="Administrator invitation">
        <LoadError title="Could not open this invitation" message={state.message} onRetry={() => setAttempt((value) => value + 1)} />
      </AuthCard>
    );
  }
  if (state.status === 'loading') {
    return (
      <AuthCard title="Administrator invitation">
        <Stack gap="sm" aria-busy aria-label="Loading the invitation">
          <Skeleton height={16} />
          <Skeleton height={16} width="70%" />
          <Skeleton height={40} mt="sm" />
        </Stack>
      </AuthCard>
    );
  }
  return <InvitationCard token={token} preview={state.preview} />;
}

function InvalidInvitation() {
  return (
    <AuthCard
      title="This invitation is not valid"
      footer={
        <Anchor component={Link} to="/" fw={600} size="sm">
          Go to Allot
        </Anchor>
      }
    >
      <Stack gap="md">
        <ThemeIcon size={52} radius="xl" color="gray" variant="light" aria-hidden>
          <IconLinkOff size={28} />
        </ThemeIcon>
        <Text size="sm">The link may have expired, been revoked, or been used already. Ask the person who invited you to send a new one.</Text>
      </Stack>
    </AuthCard>
  );
}

function InvitationCard({ token, preview }: { token: string; preview: RoleInvitationPreview }) {
  const { state: me } = useMeState();
  const location = useLocation();
  const navigate = useNavigate();
  const [accepting, setAccepting] = useState(false);
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const here = location.pathname + location.search;
  const roleText = describeRole(preview.role, preview.teamName);

  async function accept() {
    setError(null);
    setAccepting(true);
    try {
      const accepted = await api<AcceptedRoleInvitation>('/admin-invitations/accept', { method: 'POST', body: { token } });
      storeCurrentOrganizationId(accepted.organizationId);
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={18} />,
        title: `Welcome to ${accepted.organizationName}`,
        message: `You are now ${describeRole(accepted.role, accepted.teamName)}.`,
      });
      void navigate('/licenses', { replace: true });
    } catch (caught) {
      setError(errorMessage(caught));
      setAccepting(false);
    }
  }

  async function switchAccount() {
    setSwitching(true);
    try {
      await callAuth((fetchOptions) => authClient.signOut({ fetchOptions }));
      void navigate(pathWithQuery('/sign-in', { redirect: here, email: preview.email }));
    } catch (caught) {
      setError(errorMessage(caught));
      setSwitching(false);
    }
  }

  const signedInAs = me.status === 'signed-in' ? me.me.user.email : null;
  const otherAccount = signedInAs !== null && signedInAs.toLowerCase() !== preview.email.toLowerCase();

  return (
    <AuthCard
      title={`Join ${preview.organizationName}`}
      description={
        <>
          {preview.organizationName} invites <strong>{preview.email}</strong> to be {roleText}.
        </>
      }
    >
      <Stack gap="lg">
        <DataList size="sm" labelWidth={110} gap="xs">
          <DataList.Item>
            <DataList.ItemLabel>Organization</DataList.ItemLabel>
            <DataList.ItemValue>{preview.organizationName}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Role</DataList.ItemLabel>
            <DataList.ItemValue>{ROLE_LABELS[preview.role]}</DataList.ItemValue>
          </DataList.Item>
          {preview.teamName ? (
            <DataList.Item>
              <DataList.ItemLabel>Team</DataList.ItemLabel>
              <DataList.ItemValue>{preview.teamName}</DataList.ItemValue>
            </DataList.Item>
          ) : null}
          <DataList.Item>
            <DataList.ItemLabel>Valid until</DataList.ItemLabel>
            <DataList.ItemValue>{formatDateTime(preview.expiresAt)}</DataList.ItemValue>
          </DataList.Item>
        </DataList>

        {me.status === 'loading' ? (
          <Skeleton height={42} />
        ) : me.status === 'signed-in' ? (
          <Stack gap="md">
            {otherAccount ? (
              <Alert color="yellow" variant="light" icon={<IconUserExclamation size={18} />} title="Signed in with another address">
                <Stack gap="sm" align="flex-start">
                  <Text size="sm">
                    You are signed in as {signedInAs}, but this invitation is for {preview.email}. Sign in with that address to accept it.
                  </Text>
                  <Button size="xs" variant="white" color="yellow" onClick={() => void switchAccount()} loading={switching}>
                    Sign in as {preview.email}
                  </Button>
                </Stack>
              </Alert>
            ) : null}
            <FormError>{error}</FormError>
            <Button fullWidth size="md" onClick={() => void accept()} loading={accepting} disabled={switching}>
              Accept invitation
            </Button>
          </Stack>
        ) : (
          <Stack gap="sm">
            <FormError>{error}</FormError>
            <Text size="sm" c="dimmed">
              Sign in or create an account with {preview.email} to accept.
            </Text>
            <Stack gap="xs">
              <Button component={Link} to={pathWithQuery('/sign-in', { redirect: here, email: preview.email })} size="md" fullWidth>
                Sign in
              </Button>
              <Button component={Link} to={pathWithQuery('/sign-up', { redirect: here, email: preview.email })} size="md" variant="default" fullWidth>
                Create account
              </Button>
            </Stack>
          </Stack>
        )}
      </Stack>
    </AuthCard>
  );
}
