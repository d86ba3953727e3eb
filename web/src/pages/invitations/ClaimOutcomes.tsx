import { Alert, Anchor, Badge, Button, Divider, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconInfoCircle, IconMailExclamation, IconPackageOff, IconUserExclamation } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, errorMessage } from '../../api';
import type { InvitationPreview, NotifyAdminsResponse } from '@allot/contract';
import { authClient, callAuth } from '../../auth-client';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { FormError } from '../../components/FormError';

import { invitePath } from '../../lib/pending-invite';
import { pathWithQuery } from '../../lib/redirect';
import { usePageTitle } from '../../hooks/use-page-title';
import { ResendVerificationButton } from '../auth/ResendVerificationButton';

/** The card every state of the page is built from; also sets the tab title. */
export function ClaimCard({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <Paper withBorder shadow="sm" p={{ base: 'lg', xs: 'xl' }}>
      {children}
    </Paper>
  );
}

/** Why this person cannot claim, and the way forward; never a button that cannot work. */
export function Refusal({
  token,
  email,
  preview,
  refusal,
}: {
  token: string;
  email: string;
  preview: InvitationPreview;
  refusal: { code: string | null; message: string };
}) {
  const { code, message } = refusal;
  switch (code) {
    case 'EMAIL_DOMAIN_NOT_ALLOWED':
      return (
        <Alert color="yellow" variant="light" icon={<IconUserExclamation size={18} />} title="This invitation is for other addresses">
          <Stack gap="sm" align="flex-start">
            <Text size="sm">{message}</Text>
            {preview.allowedDomains.length > 0 ? (
              <Group gap={6} role="group" aria-label="Accepted domains">
                {preview.allowedDomains.map((domain) => (
                  <Badge key={domain} variant="white" color="dark" tt="none" ff="monospace" size="lg">
                    {domain}
                  </Badge>
                ))}
              </Group>
            ) : null}
            <SwitchAccountButton token={token} />
          </Stack>
        </Alert>
      );
    case 'EMAIL_NOT_VERIFIED':
      return (
        <Stack gap="sm">
          <Alert color="yellow" variant="light" icon={<IconMailExclamation size={18} />} title="Verify your email first">
            <Stack gap="sm" align="flex-start">
              <Text size="sm">
                {message} Open the link we emailed to {email}; it brings you back here and claims your license.
              </Text>
              <ResendVerificationButton
                email={email}
                redirect={pathWithQuery(invitePath(token), { claim: 'auto' })}
                label="Resend verification email"
                size="xs"
              />
            </Stack>
          </Alert>
          <DevMailboxNotice />
        </Stack>
      );
    case 'LICENSE_ALREADY_HELD':
      return (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} title="You already have this product">
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              You already have a {preview.productName} license from {preview.organizationName}, so there is nothing to claim here.
            </Text>
            <Button component={Link} to="/account" size="xs" variant="white">
              Go to My account
            </Button>
          </Stack>
        </Alert>
      );
    case 'INVITATION_ALREADY_USED':
      return (
        <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />} title="You have used this invitation">
          <Text size="sm">{message}</Text>
        </Alert>
      );
    default:
      return <FormError>{message}</FormError>;
  }
}

/** Who is about to claim, with a way to switch accounts. */
export function SignedInAs({ token, email, offerSwitch }: { token: string; email: string; offerSwitch: boolean }) {
  return (
    <Group gap={6} justify="space-between" wrap="wrap">
      <Text size="sm">
        Signed in as{' '}
        <Text span fw={600} style={{ overflowWrap: 'anywhere' }}>
          {email}
        </Text>
      </Text>
      {offerSwitch ? <SwitchAccountLink token={token} label="Not you?" /> : null}
    </Group>
  );
}

export function ClaimButton({ claiming, onClaim }: { claiming: boolean; onClaim: () => void }) {
  return (
    <Button size="md" fullWidth onClick={onClaim} loading={claiming}>
      Claim license
    </Button>
  );
}

/** Signs out and opens sign-in, which brings the person back to this link. */
export function useSwitchAccount(token: string) {
  const navigate = useNavigate();
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function switchAccount() {
    setSwitching(true);
    setError(null);
    try {
      await callAuth((fetchOptions) => authClient.signOut({ fetchOptions }));
      void navigate(pathWithQuery('/sign-in', { redirect: invitePath(token) }));
    } catch (caught) {
      setError(errorMessage(caught));
      setSwitching(false);
    }
  }
  return { switchAccount, switching, error };
}

export function SwitchAccountButton({ token }: { token: string }) {
  const { switchAccount, switching, error } = useSwitchAccount(token);
  return (
    <>
      <Button size="xs" variant="white" color="dark" onClick={() => void switchAccount()} loading={switching}>
        Sign in with another account
      </Button>
      <FormError>{error}</FormError>
    </>
  );
}

export function SwitchAccountLink({ token, label }: { token: string; label: string }) {
  const { switchAccount, switching, error } = useSwitchAccount(token);
  return (
    <Text size="sm" c="dimmed">
      {label}{' '}
      <Anchor component="button" type="button" size="sm" fw={600} onClick={() => void switchAccount()} disabled={switching}>
        Switch account
      </Anchor>
      {error ? (
        <Text span c="red.8" size="sm">
          {' '}
          {error}
        </Text>
      ) : null}
    </Text>
  );
}

export function NoAssetsLeftCard({ token, preview }: { token: string; preview: InvitationPreview }) {
  const [notifying, setNotifying] = useState(false);
  const [notified, setNotified] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function notifyAdministrators() {
    setNotifying(true);
    setError(null);
    try {
      const response = await api<NotifyAdminsResponse>('/invite/notify-admins', { method: 'POST', body: { token } });
      setNotified(response.notified);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setNotifying(false);
    }
  }

  return (
    <ClaimCard title="No assets left">
      <Stack gap="lg">
        <Stack gap={4}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.05em' }}>
            License invitation
          </Text>
          <Text fw={650}>
            {preview.productName}{' '}
            <Text span c="dimmed" fw={400} size="sm">
              · {preview.teamName ? `${preview.organizationName} · ${preview.teamName}` : preview.organizationName}
            </Text>
          </Text>
        </Stack>
        <Divider />
        <Stack align="center" ta="center" gap="sm" py="md">
          <ThemeIcon size={72} radius={999} color="orange" variant="light" aria-hidden>
            <IconPackageOff size={38} stroke={1.6} />
          </ThemeIcon>
          <Title order={1} fz={{ base: 24, xs: 28 }} mt="xs">
            No assets left
          </Title>
          <Text size="sm" c="dimmed" maw={340}>
            All licenses of this invitation are taken. Your administrators can free or add licenses.
          </Text>
        </Stack>
        {notified === null ? (
          <Stack gap="xs">
            <FormError>{error}</FormError>
            <Button size="md" fullWidth onClick={() => void notifyAdministrators()} loading={notifying}>
              Notify administrators
            </Button>
            <Text size="xs" c="dimmed" ta="center">
              They get one email saying you are waiting. Open this link again once they have added licenses.
            </Text>
          </Stack>
        ) : (
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} role="status">
            {notified ? 'We told your administrators that you are waiting.' : 'Your administrators already know you are waiting.'} Open this link again once
            they have added licenses.
          </Alert>
        )}
      </Stack>
    </ClaimCard>
  );
}

/** Opened again after claiming: the license is already this person's. */
export function AlreadyClaimedCard({ preview, licenseId }: { preview: InvitationPreview; licenseId: string | null }) {
  return (
    <ClaimCard title="You have this license">
      <Stack gap="lg">
        <Stack gap="sm">
          <ThemeIcon size={52} radius="xl" color="teal" variant="light" aria-hidden>
            <IconCircleCheck size={30} />
          </ThemeIcon>
          <Title order={1} fz={{ base: 22, xs: 26 }}>
            You have this license
          </Title>
          <Text size="sm" c="dimmed">
            You claimed {preview.productName} from {preview.organizationName} through this invitation. It is on your account page.
          </Text>
        </Stack>
        <Button component={Link} to={pathWithQuery('/account', { claimed: licenseId })} size="md" fullWidth>
          Go to My account
        </Button>
      </Stack>
    </ClaimCard>
  );
}
