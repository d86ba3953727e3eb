import { Alert, Anchor, Badge, Button, DataList, Divider, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconInfoCircle, IconMailExclamation, IconPackageOff, IconUserExclamation } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type ApiError, errorMessage } from '../../api';
import type { ClaimResult, InvitationPreview, Me, NotifyAdminsResponse } from '@allot/contract';
import { authClient, callAuth } from '../../auth-client';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { FormError } from '../../components/FormError';

import { formatDate } from '../../lib/format';
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

export function Refusal({
  token,
  me,
  preview,
  refusal,
}: {
  token: string;
  me: Me;
  preview: InvitationPreview;
  refusal: { error: ApiError | null; message: string };
}) {
  const { error, message } = refusal;
  switch (error?.code) {
    case 'EMAIL_DOMAIN_NOT_ALLOWED': {
      const listed = error.details.allowedDomains;
      const domains = Array.isArray(listed) ? listed.filter((domain): domain is string => typeof domain === 'string') : preview.allowedDomains;
      return (
        <Alert color="yellow" variant="light" icon={<IconUserExclamation size={18} />} title="This invitation is for other addresses">
          <Stack gap="sm" align="flex-start">
            <Text size="sm">{message}</Text>
            {domains.length > 0 ? (
              <Group gap={6} aria-label="Accepted domains">
                {domains.map((domain) => (
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
    }
    case 'EMAIL_NOT_VERIFIED':
      return (
        <Stack gap="sm">
          <Alert color="yellow" variant="light" icon={<IconMailExclamation size={18} />} title="Verify your email first">
            <Stack gap="sm" align="flex-start">
              <Text size="sm">
                {message} Open the link we emailed to {me.user.email}; it brings you back here.
              </Text>
              <ResendVerificationButton email={me.user.email} redirect={invitePath(token)} label="Resend verification email" size="xs" />
            </Stack>
          </Alert>
          <DevMailboxNotice />
        </Stack>
      );
    case 'INVITATION_ALREADY_USED':
    case 'LICENSE_ALREADY_HELD':
      return (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              {error.code === 'LICENSE_ALREADY_HELD'
                ? // The server's sentence is written for administrators ("This person already has…").
                  `You already have a ${preview.productName} license from ${preview.organizationName}, so there is nothing to claim here.`
                : message}
            </Text>
            <Button component={Link} to="/account" size="xs" variant="white">
              Go to My licenses
            </Button>
          </Stack>
        </Alert>
      );
    default:
      return <FormError>{message}</FormError>;
  }
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
        <Text span c="red" size="sm">
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
              · {preview.organizationName} · {preview.teamName}
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

export function ClaimedCard({ result, email }: { result: ClaimResult; email: string | null }) {
  return (
    <ClaimCard title="Your license is ready">
      <Stack gap="lg">
        <Stack gap="sm">
          <ThemeIcon size={52} radius="xl" color="teal" variant="light" aria-hidden>
            <IconCircleCheck size={30} />
          </ThemeIcon>
          <Title order={1} fz={{ base: 22, xs: 26 }}>
            Your license is ready
          </Title>
          <Text size="sm" c="dimmed">
            {result.alreadyClaimed
              ? 'You already claimed this license.'
              : `It is in your account now${email ? `, and we emailed the details to ${email}` : ''}.`}
          </Text>
        </Stack>
        <DataList size="sm" labelWidth={110} gap="xs">
          <DataList.Item>
            <DataList.ItemLabel>Product</DataList.ItemLabel>
            <DataList.ItemValue>
              <Text size="sm" fw={600}>
                {result.productName}
              </Text>
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Organization</DataList.ItemLabel>
            <DataList.ItemValue>{result.organizationName}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Team</DataList.ItemLabel>
            <DataList.ItemValue>{result.teamName}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Valid until</DataList.ItemLabel>
            <DataList.ItemValue>{formatDate(result.validUntil)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>License ID</DataList.ItemLabel>
            <DataList.ItemValue>
              <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {result.licenseId}
              </Text>
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
        <Button component={Link} to="/account" size="md" fullWidth>
          Go to My licenses
        </Button>
      </Stack>
    </ClaimCard>
  );
}
