import { Alert, Anchor, Badge, Box, Button, DataList, Divider, Group, Paper, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import {
  IconAt,
  IconBuilding,
  IconCalendarTime,
  IconCircleCheck,
  IconInfoCircle,
  IconLinkOff,
  IconMailExclamation,
  IconPackageOff,
  IconTag,
  IconUserExclamation,
} from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type ApiError, errorMessage, isAbortError, isApiError } from '../../api';
import type { ClaimResult, InvitationPreview, Me, NotifyAdminsResponse } from '@allot/contract';
import { authClient, callAuth } from '../../auth-client';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { FormError } from '../../components/FormError';
import { LoadError } from '../../components/LoadError';
import { useMeState } from '../../hooks/use-me';
import { usePageTitle } from '../../hooks/use-page-title';
import { formatDate, formatDateTime } from '../../lib/format';
import { clearPendingInvite, invitePath, storePendingInvite } from '../../lib/pending-invite';
import { pathWithQuery } from '../../lib/redirect';
import { ResendVerificationButton } from '../auth/ResendVerificationButton';

/** Links that no longer hand out licenses: each gets a whole card of its own. */
const CLOSED_LINKS = {
  INVITATION_NOT_FOUND: {
    title: 'Invitation not found',
    text: 'This link does not lead to an invitation. It may have been replaced by a new link or deleted, or part of it is missing.',
  },
  INVITATION_EXPIRED: { title: 'This invitation has expired', text: 'Its active period is over, so it no longer hands out licenses.' },
  INVITATION_DISABLED: {
    title: 'This invitation is turned off',
    text: 'An administrator turned this link off, so it does not hand out licenses right now.',
  },
  INVITATION_EXHAUSTED: { title: 'This invitation has been used up', text: 'It has been used as many times as its administrators allowed.' },
} as const;

type ClosedCode = keyof typeof CLOSED_LINKS;

function closedCode(error: unknown): ClosedCode | null {
  return isApiError(error) && error.code in CLOSED_LINKS ? (error.code as ClosedCode) : null;
}

type PreviewState =
  { status: 'loading' } | { status: 'closed'; code: ClosedCode } | { status: 'error'; message: string } | { status: 'ready'; preview: InvitationPreview };

/** `/invite/:token`: what a bulk invitation link offers, and claiming it. Works signed out and signed in. */
export default function ClaimInvitationPage() {
  const { token = '' } = useParams();
  const [state, setState] = useState<PreviewState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    api<InvitationPreview>('/invite/preview', { method: 'POST', body: { token }, signal: controller.signal }).then(
      (preview) => setState({ status: 'ready', preview }),
      (error: unknown) => {
        if (isAbortError(error)) return;
        const code = closedCode(error);
        if (code) {
          clearPendingInvite();
          setState({ status: 'closed', code });
        } else {
          setState({ status: 'error', message: errorMessage(error) });
        }
      },
    );
    return () => controller.abort();
  }, [token, attempt]);

  let content: ReactNode;
  if (state.status === 'loading') content = <LoadingCard />;
  else if (state.status === 'closed') content = <ClosedLinkCard code={state.code} />;
  else if (state.status === 'error') {
    content = (
      <ClaimCard title="License invitation">
        <LoadError title="Could not open this invitation" message={state.message} onRetry={() => setAttempt((value) => value + 1)} />
      </ClaimCard>
    );
  } else content = <Invitation token={token} preview={state.preview} />;

  return <ClaimFrame>{content}</ClaimFrame>;
}

/** Signed out the page sits in the centred sign-in frame; signed in, centred inside the app. */
function ClaimFrame({ children }: { children: ReactNode }) {
  const { state } = useMeState();
  if (state.status !== 'signed-in') return children;
  return (
    <Box maw={480} mx="auto" mt={{ base: 0, sm: 'xl' }}>
      {children}
    </Box>
  );
}

/** The card every state of the page is built from; also sets the tab title. */
function ClaimCard({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <Paper withBorder shadow="sm" p={{ base: 'lg', xs: 'xl' }}>
      {children}
    </Paper>
  );
}

function LoadingCard() {
  return (
    <ClaimCard title="License invitation">
      <Stack gap="sm" aria-busy aria-label="Loading the invitation" role="status">
        <Skeleton height={12} width={120} />
        <Skeleton height={30} width="80%" />
        <Skeleton height={14} width="60%" />
        <Skeleton height={44} mt="lg" />
      </Stack>
    </ClaimCard>
  );
}

function ClosedLinkCard({ code }: { code: ClosedCode }) {
  const { title, text } = CLOSED_LINKS[code];
  return (
    <ClaimCard title={title}>
      <Stack gap="md">
        <ThemeIcon size={52} radius="xl" color="gray" variant="light" aria-hidden>
          <IconLinkOff size={28} />
        </ThemeIcon>
        <Title order={1} fz={{ base: 22, xs: 24 }}>
          {title}
        </Title>
        <Text size="sm">{text}</Text>
        <Text size="sm" fw={600}>
          Ask your administrator for a new link.
        </Text>
        <Anchor component={Link} to="/" size="sm" fw={600}>
          Go to Allot
        </Anchor>
      </Stack>
    </ClaimCard>
  );
}

/** The product (large), where it comes from, and who the link is for. */
function InvitationSummary({ preview }: { preview: InvitationPreview }) {
  return (
    <Stack gap="sm">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.05em' }}>
        License invitation
      </Text>
      <Stack gap={6}>
        <Group gap="sm" align="center">
          <Title order={1} fz={{ base: 24, xs: 28 }} lh={1.2} style={{ overflowWrap: 'anywhere' }}>
            {preview.productName}
          </Title>
          <Badge variant="light" color="gray" ff="monospace" tt="none">
            {preview.productCode}
          </Badge>
        </Group>
        <SummaryLine icon={<IconBuilding size={16} />}>
          {preview.organizationName} · {preview.teamName}
        </SummaryLine>
      </Stack>
      {preview.name || preview.allowedDomains.length > 0 || preview.expiresAt ? (
        <Stack gap={6}>
          {preview.name ? <SummaryLine icon={<IconTag size={16} />}>{preview.name}</SummaryLine> : null}
          {preview.allowedDomains.length > 0 ? (
            <SummaryLine icon={<IconAt size={16} />}>For addresses at {preview.allowedDomains.join(', ')}</SummaryLine>
          ) : null}
          {preview.expiresAt ? (
            <SummaryLine icon={<IconCalendarTime size={16} />}>
              <span title={formatDateTime(preview.expiresAt)}>Open until {formatDate(preview.expiresAt)}</span>
            </SummaryLine>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}

function SummaryLine({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <Group gap={8} wrap="nowrap" align="flex-start">
      <Box c="dimmed" mt={2} style={{ display: 'flex', flexShrink: 0 }} aria-hidden>
        {icon}
      </Box>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Group>
  );
}

type ClaimState =
  { status: 'idle' } | { status: 'claiming' } | { status: 'claimed'; result: ClaimResult } | { status: 'refused'; error: ApiError | null; message: string };

function Invitation({ token, preview }: { token: string; preview: InvitationPreview }) {
  const { state: me, reload: reloadMe } = useMeState();
  const [claim, setClaim] = useState<ClaimState>({ status: 'idle' });
  const signedOut = me.status === 'signed-out';

  // The redirect parameter brings people back after signing in; this survives when it cannot.
  useEffect(() => {
    if (signedOut) storePendingInvite(token);
  }, [signedOut, token]);

  async function claimLicense() {
    setClaim({ status: 'claiming' });
    try {
      const result = await api<ClaimResult>('/invite/claim', { method: 'POST', body: { token } });
      clearPendingInvite();
      setClaim({ status: 'claimed', result });
    } catch (caught) {
      const error = isApiError(caught) ? caught : null;
      if (error?.code === 'UNAUTHENTICATED' || error?.status === 401) {
        // The session ended meanwhile: show the sign-in choices again.
        setClaim({ status: 'idle' });
        await reloadMe();
        return;
      }
      if (error?.code === 'INVITATION_ALREADY_USED' || error?.code === 'LICENSE_ALREADY_HELD' || closedCode(error)) clearPendingInvite();
      setClaim({ status: 'refused', error, message: errorMessage(caught) });
    }
  }

  if (claim.status === 'claimed') return <ClaimedCard result={claim.result} email={me.status === 'signed-in' ? me.me.user.email : null} />;
  const refusal = claim.status === 'refused' ? claim : null;
  const closed = closedCode(refusal?.error);
  if (closed) return <ClosedLinkCard code={closed} />;
  if (refusal?.error?.code === 'NO_ASSETS_LEFT') return <NoAssetsLeftCard token={token} preview={preview} />;

  return (
    <ClaimCard title={`Claim ${preview.productName}`}>
      <Stack gap="lg">
        <InvitationSummary preview={preview} />
        <Divider />
        {me.status === 'signed-in' ? (
          <SignedInActions
            token={token}
            me={me.me}
            preview={preview}
            claiming={claim.status === 'claiming'}
            refusal={refusal}
            onClaim={() => void claimLicense()}
          />
        ) : (
          <SignedOutActions token={token} />
        )}
      </Stack>
    </ClaimCard>
  );
}

function SignedOutActions({ token }: { token: string }) {
  const redirect = invitePath(token);
  return (
    <Stack gap="md">
      <Text size="sm">Sign in or create an account to claim your license.</Text>
      <Stack gap="xs">
        {/* Links styled as buttons: they go to another page, and can open in a new tab. */}
        <Button component={Link} to={pathWithQuery('/sign-in', { redirect })} size="md" fullWidth>
          Sign in
        </Button>
        <Button component={Link} to={pathWithQuery('/sign-up', { redirect })} size="md" variant="default" fullWidth>
          Create account
        </Button>
      </Stack>
      <Text size="xs" c="dimmed">
        You come back here afterwards, also from the link in the verification email.
      </Text>
    </Stack>
  );
}

type SignedInActionsProps = {
  token: string;
  me: Me;
  preview: InvitationPreview;
  claiming: boolean;
  refusal: { error: ApiError | null; message: string } | null;
  onClaim: () => void;
};

function SignedInActions({ token, me, preview, claiming, refusal, onClaim }: SignedInActionsProps) {
  const code = refusal?.error?.code;
  // Claiming again would only be refused the same way: offer the way out instead.
  const dead = code === 'EMAIL_DOMAIN_NOT_ALLOWED' || code === 'INVITATION_ALREADY_USED' || code === 'LICENSE_ALREADY_HELD';

  return (
    <Stack gap="md">
      <Group gap={6} justify="space-between" wrap="wrap">
        <Text size="sm">
          Signed in as{' '}
          <Text span fw={600} style={{ overflowWrap: 'anywhere' }}>
            {me.user.email}
          </Text>
        </Text>
        {code === 'EMAIL_DOMAIN_NOT_ALLOWED' ? null : <SwitchAccountLink token={token} label="Not you?" />}
      </Group>

      {refusal ? <Refusal token={token} me={me} preview={preview} refusal={refusal} /> : null}

      {dead ? null : (
        <Button size="md" fullWidth onClick={onClaim} loading={claiming}>
          Claim license
        </Button>
      )}
    </Stack>
  );
}

function Refusal({ token, me, preview, refusal }: { token: string; me: Me; preview: InvitationPreview; refusal: { error: ApiError | null; message: string } }) {
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
function useSwitchAccount(token: string) {
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

function SwitchAccountButton({ token }: { token: string }) {
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

function SwitchAccountLink({ token, label }: { token: string; label: string }) {
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

function NoAssetsLeftCard({ token, preview }: { token: string; preview: InvitationPreview }) {
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

function ClaimedCard({ result, email }: { result: ClaimResult; email: string | null }) {
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
