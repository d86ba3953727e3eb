import { Anchor, Badge, Box, Divider, Group, Loader, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAt, IconBuilding, IconCalendarTime, IconLinkOff, IconTag } from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, errorMessage, isAbortError, isApiError } from '../../api';
import type { ClaimResult, InvitationPreview } from '@allot/contract';
import { LoadError } from '../../components/LoadError';
import { useMeState } from '../../hooks/use-me';
import { formatDate, formatDateTime } from '../../lib/format';
import { clearPendingInvite, invitePath, storePendingInvite } from '../../lib/pending-invite';
import { pathWithQuery } from '../../lib/redirect';
import { SignInForm } from '../auth/SignInForm';
import { SignUpForm } from '../auth/SignUpForm';
import { AlreadyClaimedCard, ClaimCard, ClaimButton, NoAssetsLeftCard, Refusal, SignedInAs } from './ClaimOutcomes';

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

/** `?claim=auto`: the person signed in (or verified their address) on this page to claim, so claiming needs no further click. */
const AUTO_CLAIM = 'auto';

/** Where the sign-in and verification links bring people back to: this page, claiming at once. */
const claimingPath = (token: string) => pathWithQuery(invitePath(token), { claim: AUTO_CLAIM });

/**
 * `/invite/:token`, the page a bulk invitation link opens. Signed out it is the login page: what
 * the link offers, a sign-in form and, at the bottom, a sign-up form; signing in there (or opening
 * the verification link) claims the license. Signed in, it says at once what a claim would do.
 */
export default function ClaimInvitationPage() {
  const { token = '' } = useParams();
  const { state: me } = useMeState();
  const viewerId = me.status === 'signed-in' ? me.me.user.id : null;
  const [state, setState] = useState<PreviewState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // Read again when the person changes: signed in, the answer says what a claim would do for them.
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
  }, [token, attempt, viewerId]);

  let content: ReactNode;
  if (state.status === 'loading') content = <LoadingCard />;
  else if (state.status === 'closed') content = <ClosedLinkCard code={state.code} />;
  else if (state.status === 'error') {
    content = (
      <ClaimCard title="License invitation">
        <LoadError title="Could not open this invitation" message={state.message} onRetry={() => setAttempt((value) => value + 1)} />
      </ClaimCard>
    );
  } else if (me.status === 'signed-in' && state.preview.forYou) {
    content = <SignedInInvitation token={token} preview={state.preview} forYou={state.preview.forYou} onStale={() => setAttempt((value) => value + 1)} />;
  } else content = <SignedOutInvitation token={token} preview={state.preview} />;

  return <ClaimFrame signedIn={me.status === 'signed-in'}>{content}</ClaimFrame>;
}

/** Signed out the page sits in the centred sign-in frame; signed in, centred inside the app. */
function ClaimFrame({ signedIn, children }: { signedIn: boolean; children: ReactNode }) {
  if (!signedIn) return children;
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
export function InvitationSummary({ preview }: { preview: InvitationPreview }) {
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
          {preview.teamName ? `${preview.organizationName} · ${preview.teamName}` : preview.organizationName}
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

/** The login page of the link: sign in to claim, or sign up at the bottom. */
function SignedOutInvitation({ token, preview }: { token: string; preview: InvitationPreview }) {
  const navigate = useNavigate();
  const { reload } = useMeState();
  const [params] = useSearchParams();
  const returnTo = claimingPath(token);

  // The redirect brings people back after verifying their address; this survives when it cannot (another device).
  useEffect(() => storePendingInvite(token), [token]);

  async function signedIn() {
    // The page comes back signed in, with the intent to claim in its address.
    void navigate(returnTo, { replace: true });
    await reload();
  }

  return (
    <ClaimCard title={`Claim ${preview.productName}`}>
      <Stack gap="lg">
        <InvitationSummary preview={preview} />
        <Divider />
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={2} fz="lg" id="claim-sign-in">
              Sign in to claim your license
            </Title>
            <Text size="sm" c="dimmed">
              Signing in claims it: your license is on your account page right after.
            </Text>
          </Stack>
          <SignInForm redirect={returnTo} label="Sign in" initialEmail={params.get('email') ?? ''} onSignedIn={() => void signedIn()} />
        </Stack>
        <Divider label="New to Allot?" labelPosition="center" />
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={2} fz="lg">
              Create an account
            </Title>
            <Text size="sm" c="dimmed">
              Enter your email address and choose a password.
            </Text>
          </Stack>
          <SignUpForm
            redirect={returnTo}
            label="Sign up"
            note="We email you a link to confirm your address. Opening it claims your license."
            onSignedUp={(email) => void navigate(pathWithQuery('/check-email', { email, redirect: returnTo }))}
          />
        </Stack>
      </Stack>
    </ClaimCard>
  );
}

type ClaimState = { status: 'idle' } | { status: 'claiming' } | { status: 'refused'; code: string | null; message: string };

/**
 * Signed in: the page knows what a claim would do (the preview's `forYou`) and offers only that.
 * Arriving from sign-in or verification (`?claim=auto`) it claims at once; a claim lands on the
 * account page with the new license highlighted.
 */
function SignedInInvitation({
  token,
  preview,
  forYou,
  onStale,
}: {
  token: string;
  preview: InvitationPreview;
  forYou: NonNullable<InvitationPreview['forYou']>;
  onStale: () => void;
}) {
  const navigate = useNavigate();
  const { reload: reloadMe } = useMeState();
  const [params] = useSearchParams();
  const [claim, setClaim] = useState<ClaimState>({ status: 'idle' });
  const autoClaimed = useRef(false);
  const wantsClaim = params.get('claim') === AUTO_CLAIM;

  async function claimLicense() {
    setClaim({ status: 'claiming' });
    try {
      const result = await api<ClaimResult>('/invite/claim', { method: 'POST', body: { token } });
      clearPendingInvite();
      void navigate(pathWithQuery('/account', { claimed: result.licenseId }), { replace: true });
    } catch (caught) {
      if (isApiError(caught) && caught.status === 401) {
        // The session ended meanwhile: show the sign-in form again.
        await reloadMe();
        return;
      }
      if (closedCode(caught)) {
        // Turned off or used up a moment ago: the page reads the link again and says so.
        onStale();
        return;
      }
      setClaim({ status: 'refused', code: isApiError(caught) ? caught.code : null, message: errorMessage(caught) });
    }
  }

  const claimable = forYou.outcome === 'claimable';
  useEffect(() => {
    if (!wantsClaim || !claimable || autoClaimed.current) return;
    autoClaimed.current = true;
    void claimLicense();
    // Once per page: claimLicense is left out of the dependencies on purpose, a new render must not claim again.
  }, [wantsClaim, claimable]);

  useEffect(() => {
    if (!claimable) clearPendingInvite();
  }, [claimable]);

  if (forYou.outcome === 'claimed') return <AlreadyClaimedCard preview={preview} licenseId={forYou.licenseId} />;
  const refusal = claim.status === 'refused' ? { code: claim.code, message: claim.message } : forYou.refusal;
  if (refusal?.code === 'NO_ASSETS_LEFT') return <NoAssetsLeftCard token={token} preview={preview} />;

  if (claimable && wantsClaim && claim.status !== 'refused') {
    return (
      <ClaimCard title={`Claiming ${preview.productName}`}>
        <Stack align="center" gap="md" py="xl" role="status" aria-live="polite">
          <Loader />
          <Text size="sm">Claiming your {preview.productName} license…</Text>
        </Stack>
      </ClaimCard>
    );
  }

  return (
    <ClaimCard title={`Claim ${preview.productName}`}>
      <Stack gap="lg">
        <InvitationSummary preview={preview} />
        <Divider />
        <Stack gap="md">
          <SignedInAs token={token} email={forYou.email} offerSwitch={refusal?.code !== 'EMAIL_DOMAIN_NOT_ALLOWED'} />
          {refusal ? (
            <Refusal token={token} email={forYou.email} preview={preview} refusal={refusal} />
          ) : (
            <ClaimButton claiming={claim.status === 'claiming'} onClaim={() => void claimLicense()} />
          )}
        </Stack>
      </Stack>
    </ClaimCard>
  );
}
