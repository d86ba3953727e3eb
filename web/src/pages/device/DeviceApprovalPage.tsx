import { Alert, Badge, Box, Button, Code, DataList, Divider, Group, Paper, Skeleton, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconDeviceDesktop } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { api, errorMessage, isAbortError, isApiError } from '../../api';
import type { DeviceAuthorization, DeviceDecision } from '@allot/contract';
import { FormError } from '../../components/FormError';
import { LoadError } from '../../components/LoadError';
import { RelativeTime } from '../../components/RelativeTime';
import { useMe } from '../../hooks/use-me';
import { usePageTitle } from '../../hooks/use-page-title';
import { machineLabel } from '../../components/MachineSummary';

/** The server's bounds for a user code; checking them here gives a clearer message than its validation error. */
const CODE_MIN_LENGTH = 4;
const CODE_MAX_LENGTH = 20;
const NOT_A_CODE_MESSAGE = 'That is not a code a product shows. Check it and try again.';

/** Answers that mean "this code leads nowhere": the person should retype it rather than retry. */
function isUnknownCode(error: unknown): boolean {
  return isApiError(error) && (error.code === 'DEVICE_CODE_INVALID' || error.code === 'VALIDATION_FAILED');
}

function unknownCodeMessage(error: unknown): string {
  // A validation answer speaks of request fields; the person only typed a code.
  if (isApiError(error) && error.code === 'VALIDATION_FAILED') return NOT_A_CODE_MESSAGE;
  return errorMessage(error);
}

type LookupState =
  | { status: 'entry'; message: string | null }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; authorization: DeviceAuthorization }
  | { status: 'decided'; decision: DeviceDecision; authorization: DeviceAuthorization };

/**
 * `/device?code=…`: a product without a browser shows a short code (RFC 8628 device login) and
 * the person approves it here, signed in. The code travels in the URL so the sign-in round trip keeps it.
 */
export default function DeviceApprovalPage() {
  const [params, setParams] = useSearchParams();
  const code = (params.get('code') ?? '').trim();
  const [state, setState] = useState<LookupState>(code ? { status: 'loading' } : { status: 'entry', message: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!code) {
      setState({ status: 'entry', message: null });
      return;
    }
    if (code.length < CODE_MIN_LENGTH || code.length > CODE_MAX_LENGTH) {
      setState({ status: 'entry', message: NOT_A_CODE_MESSAGE });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    api<DeviceAuthorization>(`/device-authorizations/${encodeURIComponent(code)}`, { signal: controller.signal }).then(
      (authorization) => setState({ status: 'ready', authorization }),
      (error: unknown) => {
        if (isAbortError(error)) return;
        if (isUnknownCode(error)) setState({ status: 'entry', message: unknownCodeMessage(error) });
        else setState({ status: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [code, attempt]);

  function submitCode(typed: string) {
    setParams({ code: typed });
    // Retyping the same code does not change the URL, so ask again explicitly.
    setAttempt((value) => value + 1);
  }

  let content: ReactNode;
  switch (state.status) {
    case 'entry':
      content = <CodeEntry initialCode={code} message={state.message} onSubmit={submitCode} />;
      break;
    case 'loading':
      content = <LoadingCard />;
      break;
    case 'error':
      content = (
        <DeviceCard title="Device login">
          <LoadError title="Could not look up this code" message={state.message} onRetry={() => setAttempt((value) => value + 1)} />
        </DeviceCard>
      );
      break;
    case 'ready':
      content = (
        <Approval
          code={code}
          authorization={state.authorization}
          onDecided={(decision) => setState({ status: 'decided', decision, authorization: state.authorization })}
          onCodeGone={(message) => setState({ status: 'entry', message })}
        />
      );
      break;
    case 'decided':
      content = <Decided decision={state.decision} authorization={state.authorization} />;
      break;
  }

  return (
    <Box maw={520} mx="auto" mt={{ base: 0, sm: 'xl' }}>
      {content}
    </Box>
  );
}

/** The card every state of the page is built from; also sets the tab title. */
function DeviceCard({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <Paper withBorder shadow="sm" p={{ base: 'lg', xs: 'xl' }}>
      {children}
    </Paper>
  );
}

function Eyebrow() {
  return (
    <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.05em' }}>
      Device login
    </Text>
  );
}

function LoadingCard() {
  return (
    <DeviceCard title="Device login">
      <Stack gap="sm" aria-busy aria-label="Looking up the code" role="status">
        <Skeleton height={12} width={120} />
        <Skeleton height={30} width="80%" />
        <Skeleton height={14} width="60%" />
        <Skeleton height={44} mt="lg" />
      </Stack>
    </DeviceCard>
  );
}

function CodeEntry({ initialCode, message, onSubmit }: { initialCode: string; message: string | null; onSubmit: (code: string) => void }) {
  const form = useForm({
    initialValues: { code: initialCode },
    validate: { code: (value: string) => (value.trim() ? null : 'Enter the code your product shows.') },
  });

  return (
    <DeviceCard title="Device login">
      <form onSubmit={form.onSubmit(({ code }) => onSubmit(code.trim().toUpperCase()))} noValidate>
        <Stack gap="md">
          <Stack gap="xs">
            <Eyebrow />
            <Title order={1} fz={{ base: 22, xs: 26 }}>
              Activate a product
            </Title>
            <Text size="sm" c="dimmed">
              Enter the code your product shows to let it use your account on that machine.
            </Text>
          </Stack>
          <TextInput
            label="Code shown by your product"
            placeholder="BCDF-GHJK"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={CODE_MAX_LENGTH}
            size="md"
            autoFocus
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.1em' } }}
            {...form.getInputProps('code')}
          />
          <FormError>{message}</FormError>
          <Button type="submit" size="md" fullWidth>
            Continue
          </Button>
        </Stack>
      </form>
    </DeviceCard>
  );
}

type ApprovalProps = {
  code: string;
  authorization: DeviceAuthorization;
  onDecided: (decision: DeviceDecision) => void;
  /** The code expired or was decided elsewhere meanwhile. */
  onCodeGone: (message: string) => void;
};

function Approval({ code, authorization, onDecided, onCodeGone }: ApprovalProps) {
  const { me } = useMe();
  const [pending, setPending] = useState<DeviceDecision | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function decide(decision: DeviceDecision) {
    setPending(decision);
    setError(null);
    try {
      await api<void>(`/device-authorizations/${encodeURIComponent(code)}/decision`, { method: 'POST', body: { decision } });
      onDecided(decision);
    } catch (caught) {
      if (isUnknownCode(caught)) {
        onCodeGone(unknownCodeMessage(caught));
        return;
      }
      setError(errorMessage(caught));
      setPending(null);
    }
  }

  return (
    <DeviceCard title={`Activate ${authorization.productName}?`}>
      <Stack gap="lg">
        <Stack gap="xs">
          <Eyebrow />
          <Group gap="sm" align="center">
            <Title order={1} fz={{ base: 22, xs: 26 }} lh={1.2} style={{ overflowWrap: 'anywhere' }}>
              Activate {authorization.productName}?
            </Title>
            <Badge variant="light" color="gray" ff="monospace" tt="none">
              {authorization.productCode}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            Approve only if you started this on the machine below and it shows the same code.
          </Text>
        </Stack>

        <DataList size="sm" labelWidth={110} gap="xs">
          <DataList.Item>
            <DataList.ItemLabel>Machine</DataList.ItemLabel>
            <DataList.ItemValue>
              <Group gap={8} wrap="nowrap" align="flex-start">
                <IconDeviceDesktop size={16} aria-hidden style={{ opacity: 0.6, flexShrink: 0, marginTop: 2 }} />
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {machineLabel(authorization)}
                  </Text>
                  {authorization.machineName ? (
                    <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                      {authorization.machineId}
                    </Text>
                  ) : null}
                </Stack>
              </Group>
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Code</DataList.ItemLabel>
            <DataList.ItemValue>
              <Code fz="sm">{code.toUpperCase()}</Code>
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Expires</DataList.ItemLabel>
            <DataList.ItemValue>
              <RelativeTime value={authorization.expiresAt} />
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Account</DataList.ItemLabel>
            <DataList.ItemValue>
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {me.user.email}
              </Text>
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>

        {authorization.licenseState === 'ready' ? null : (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
            {licenseWarning(authorization)}
          </Alert>
        )}

        <Divider />
        <Stack gap="xs">
          <FormError>{error}</FormError>
          <Group gap="sm" grow>
            <Button variant="default" size="md" onClick={() => void decide('deny')} loading={pending === 'deny'} disabled={pending === 'approve'}>
              Deny
            </Button>
            <Button size="md" onClick={() => void decide('approve')} loading={pending === 'approve'} disabled={pending === 'deny'}>
              Approve
            </Button>
          </Group>
        </Stack>
      </Stack>
    </DeviceCard>
  );
}

/** Why approving will not activate the product, in the person's terms. */
function licenseWarning(authorization: DeviceAuthorization): string {
  const product = authorization.productName;
  switch (authorization.licenseState) {
    case 'none':
      return `You do not hold a license for ${product}, so the product will not activate. Claim one through your administrator's invitation link first.`;
    case 'expired':
      return `Your ${product} license has expired, so the product will not activate. Ask your administrator to renew it.`;
    case 'machines_full':
      return `Your ${product} license is already active on as many machines as it allows. Deactivate one on your account page first, or the product will not activate.`;
    default:
      return '';
  }
}

function Decided({ decision, authorization }: { decision: DeviceDecision; authorization: DeviceAuthorization }) {
  const approved = decision === 'approve';
  const ready = authorization.licenseState === 'ready';
  return (
    <DeviceCard title={approved ? 'Device approved' : 'Device denied'}>
      <Stack gap="md" align="flex-start">
        <ThemeIcon size={52} radius="xl" color={approved ? 'teal' : 'gray'} variant="light" aria-hidden>
          {approved ? <IconCircleCheck size={30} /> : <IconCircleX size={30} />}
        </ThemeIcon>
        <Text size="lg" fw={600} role="status">
          {approved
            ? ready
              ? `Device approved — ${authorization.productName} on ${machineLabel(authorization)} is activating. You can close this tab and return to the product.`
              : `Device approved, but ${authorization.productName} will not activate yet: ${licenseWarning(authorization)}`
            : 'Denied. The product will not be activated.'}
        </Text>
      </Stack>
    </DeviceCard>
  );
}
