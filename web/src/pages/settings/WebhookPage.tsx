import { ActionIcon, Alert, Button, Card, Code, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconKey, IconPencil, IconPlayerPause, IconPlayerPlay, IconRefresh, IconSend, IconTrash, IconWebhookOff } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, errorMessage, isApiError } from '../../api';
import type { WebhookDelivery, WebhookEndpoint, WebhookWithSecret } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyPanel } from '../../components/EmptyPanel';
import { CopyField } from '../../components/CopyField';
import { LoadError } from '../../components/LoadError';
import { PageSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { useCursorList } from '../../hooks/use-cursor-list';
import { usePageTitle } from '../../hooks/use-page-title';
import { formatDateTime } from '../../lib/format';
import { DeliveryLog } from './DeliveryLog';
import { SettingsTabs } from './SettingsTabs';
import { WebhookEndpointModal } from './WebhookEndpointModal';
import { EndpointStatus } from './WebhooksPage';

/** One endpoint: its settings, its signing secret (shown when made or rotated), test events and the delivery log. */
export default function WebhookPage() {
  const { webhookId = '' } = useParams();
  const endpoint = useApiResource<WebhookEndpoint>(`/webhooks/${encodeURIComponent(webhookId)}`);
  if (endpoint.state.status === 'loading') return <PageSkeleton />;
  if (endpoint.state.status === 'error') {
    if (isApiError(endpoint.state.error) && [400, 403, 404].includes(endpoint.state.error.status)) {
      return (
        <Card padding="xl" mt="xl">
          <EmptyPanel
            icon={<IconWebhookOff size={28} stroke={1.6} />}
            color="gray"
            title="Webhook endpoint not found"
            description="It may have been deleted, or you do not administer its organization."
          >
            <Button component={Link} to="/settings/webhooks" variant="default">
              Back to the endpoints
            </Button>
          </EmptyPanel>
        </Card>
      );
    }
    return <LoadError title="Could not load this webhook endpoint" message={endpoint.state.message} onRetry={endpoint.reload} />;
  }
  return <Endpoint key={endpoint.state.data.id} loaded={endpoint.state.data} />;
}

function Endpoint({ loaded }: { loaded: WebhookEndpoint }) {
  usePageTitle(`Webhook ${loaded.url}`);
  const navigate = useNavigate();
  const location = useLocation();
  const [endpoint, setEndpoint] = useState(loaded);
  // The secret arrives once: from "Add endpoint" (navigation state) or a rotation. Kept in memory only.
  const [secret, setSecret] = useState<string | null>(() => (location.state as { secret?: string } | null)?.secret ?? null);
  useEffect(() => {
    if (location.state !== null) void navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  const deliveries = useCursorList<WebhookDelivery>(`/webhooks/${endpoint.id}/deliveries`);
  const [editOpened, editing] = useDisclosure(false);
  const [rotateOpened, rotation] = useDisclosure(false);
  const [deleteOpened, deletion] = useDisclosure(false);
  const [busy, setBusy] = useState<'test' | 'toggle' | null>(null);

  // While something is on its way, the log refreshes itself until it has an answer.
  const pending = deliveries.state.status === 'ready' && deliveries.state.items.some((delivery) => delivery.status === 'pending');
  const reloadDeliveries = deliveries.reload;
  const polls = useRef(0);
  useEffect(() => {
    if (!pending) {
      polls.current = 0;
      return;
    }
    if (polls.current >= 60) return;
    const timer = window.setTimeout(() => {
      polls.current += 1;
      void reloadDeliveries();
    }, 1000);
    return () => window.clearTimeout(timer);
  }, [pending, reloadDeliveries, deliveries.state]);

  async function sendTest() {
    setBusy('test');
    try {
      await api<WebhookDelivery>(`/webhooks/${endpoint.id}/test`, { method: 'POST' });
      notifications.show({ color: 'teal', title: 'Test event queued', message: 'It appears in the delivery log with the answer of your endpoint.' });
      await deliveries.reload();
    } catch (caught) {
      notifications.show({ color: 'red', title: 'Could not send a test event', message: errorMessage(caught) });
    } finally {
      setBusy(null);
    }
  }

  async function toggle() {
    setBusy('toggle');
    try {
      setEndpoint(await api<WebhookEndpoint>(`/webhooks/${endpoint.id}`, { method: 'PATCH', body: { enabled: !endpoint.enabled } }));
    } catch (caught) {
      notifications.show({ color: 'red', title: 'Could not change the endpoint', message: errorMessage(caught) });
    } finally {
      setBusy(null);
    }
  }

  async function rotate() {
    const rotated = await api<WebhookWithSecret>(`/webhooks/${endpoint.id}/rotate-secret`, { method: 'POST' });
    const { secret: fresh, ...rest } = rotated;
    setEndpoint(rest);
    setSecret(fresh);
  }

  async function remove() {
    await api<void>(`/webhooks/${endpoint.id}`, { method: 'DELETE' });
    notifications.show({ color: 'teal', title: 'Endpoint deleted', message: `${endpoint.url} gets no more events.` });
    void navigate('/settings/webhooks', { replace: true });
  }

  return (
    <>
      <Title order={1} fz={{ base: 24, sm: 28 }} mb="xs">
        Settings
      </Title>
      <SettingsTabs active="webhooks" />
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start" gap="md">
          <Group gap="sm" align="flex-start" wrap="nowrap" style={{ flex: '1 1 360px', minWidth: 0 }}>
            <Tooltip label="All endpoints" withArrow>
              <ActionIcon component={Link} to="/settings/webhooks" variant="subtle" color="gray" size="lg" aria-label="Back to the endpoints">
                <IconArrowLeft size={18} />
              </ActionIcon>
            </Tooltip>
            <Stack gap={4} style={{ minWidth: 0 }}>
              <Group gap="sm">
                <Title order={2} fz="xl" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {endpoint.url}
                </Title>
                <EndpointStatus endpoint={endpoint} />
              </Group>
              {endpoint.description ? (
                <Text size="sm" c="dimmed">
                  {endpoint.description}
                </Text>
              ) : null}
            </Stack>
          </Group>
          <Group gap="xs">
            <Button leftSection={<IconSend size={16} />} onClick={() => void sendTest()} loading={busy === 'test'} disabled={!endpoint.enabled}>
              Send test event
            </Button>
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={editing.open}>
              Edit
            </Button>
            <Button
              variant="default"
              leftSection={endpoint.enabled ? <IconPlayerPause size={16} /> : <IconPlayerPlay size={16} />}
              onClick={() => void toggle()}
              loading={busy === 'toggle'}
            >
              {endpoint.enabled ? 'Disable' : 'Enable'}
            </Button>
            <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={rotation.open}>
              Rotate secret
            </Button>
            <Button variant="default" c="red.8" leftSection={<IconTrash size={16} />} onClick={deletion.open}>
              Delete
            </Button>
          </Group>
        </Group>

        {!endpoint.enabled && endpoint.disabledReason ? (
          <Alert color="orange" variant="light" title="This endpoint was turned off">
            {endpoint.disabledReason} Fix the receiver, enable the endpoint, and redeliver what it missed.
          </Alert>
        ) : null}

        {secret ? <SigningSecret secret={secret} previousValidUntil={endpoint.previousSecretValidUntil} onDone={() => setSecret(null)} /> : null}

        <Card padding="md">
          <Stack gap={6}>
            <Text size="sm" fw={600}>
              Events
            </Text>
            <Group gap={6}>
              {endpoint.events.map((type) => (
                <Code key={type}>{type}</Code>
              ))}
            </Group>
            <Text size="xs" c="dimmed">
              Added {formatDateTime(endpoint.createdAt)}.
              {endpoint.previousSecretValidUntil ? ` The previous secret also signs until ${formatDateTime(endpoint.previousSecretValidUntil)}.` : ''}
            </Text>
          </Stack>
        </Card>

        <DeliveryLog endpointId={endpoint.id} list={deliveries} />
      </Stack>

      <WebhookEndpointModal
        opened={editOpened}
        onClose={editing.close}
        organizationId={endpoint.organizationId}
        endpoint={endpoint}
        onSaved={(saved) => setEndpoint(saved)}
      />
      <ConfirmModal
        opened={rotateOpened}
        onClose={rotation.close}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        color="indigo"
        onConfirm={rotate}
      >
        <Text size="sm">
          You get a new secret. For the next 24 hours every delivery carries both signatures, so your receiver can switch without missing one.
        </Text>
      </ConfirmModal>
      <ConfirmModal opened={deleteOpened} onClose={deletion.close} title="Delete this endpoint?" confirmLabel="Delete" onConfirm={remove}>
        <Text size="sm">It gets no more events, and its delivery log is deleted with it.</Text>
      </ConfirmModal>
    </>
  );
}

function SigningSecret({ secret, previousValidUntil, onDone }: { secret: string; previousValidUntil: string | null; onDone: () => void }) {
  const region = useRef<HTMLDivElement>(null);
  useEffect(() => region.current?.focus(), []);
  return (
    <Card ref={region} tabIndex={-1} withBorder padding="lg" bg="var(--mantine-color-teal-light)">
      <Stack gap="sm">
        <Group gap="xs">
          <IconKey size={18} aria-hidden />
          <Text size="sm" fw={700} role="status">
            Copy the signing secret now
          </Text>
        </Group>
        <CopyField label="Signing secret" value={secret} copyLabel="Copy signing secret" />
        <Text size="sm">
          It will not be shown again. Verify each delivery with it, for example with the <Code>standardwebhooks</Code> library.
          {previousValidUntil ? ` The previous secret keeps signing too until ${formatDateTime(previousValidUntil)}.` : ''}
        </Text>
        <Group>
          <Button size="xs" onClick={onDone}>
            Done
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
