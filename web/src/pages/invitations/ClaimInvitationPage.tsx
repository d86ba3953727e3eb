import { Anchor, Badge, Box, Button, Divider, Group, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAt, IconBuilding, IconCalendarTime, IconLinkOff, IconTag } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, type ApiError, errorMessage, isAbortError, isApiError } from '../../api';
import type { ClaimResult, InvitationPreview, Me } from '@allot/contract';

import { LoadError } from '../../components/LoadError';
import { useMeState } from '../../hooks/use-me';

import { formatDate, formatDateTime } from '../../lib/format';
import { clearPendingInvite, invitePath, storePendingInvite } from '../../lib/pending-invite';
import { pathWithQuery } from '../../lib/redirect';

import { ClaimCard, ClaimedCard, NoAssetsLeftCard, Refusal, SwitchAccountLink } from './ClaimOutcomes';

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
