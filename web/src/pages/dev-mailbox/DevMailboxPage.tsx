import { Alert, Button, Card, EmptyState, Grid, Group, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconInbox, IconMailOff, IconRefresh, IconServerOff } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { api, errorMessage, isApiError } from '../../api';
import type { MailboxMessage, MailboxResponse } from '@allot/contract';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { MessageList } from './MessageList';
import { MessageView } from './MessageView';

const POLL_INTERVAL_MS = 3000;

type MailboxState = { status: 'loading' } | { status: 'off' } | { status: 'error'; message: string } | { status: 'ready'; messages: MailboxMessage[] };

export default function DevMailboxPage() {
  const [state, setState] = useState<MailboxState>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const [lastChecked, setLastChecked] = useState<Date | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const messageViewRef = useRef<HTMLDivElement>(null);
  const stacked = useMediaQuery('(max-width: 62em)');

  const load = useCallback(async () => {
    try {
      const response = await api<MailboxResponse>('/dev/mailbox');
      setState({ status: 'ready', messages: response.messages });
      setLastChecked(new Date());
    } catch (error) {
      if (isApiError(error) && error.status === 404) setState({ status: 'off' });
      // Keep showing the last good list if one poll fails; only an empty page shows the error.
      else setState((previous) => (previous.status === 'ready' ? previous : { status: 'error', message: errorMessage(error) }));
    }
  }, []);

  const isOff = state.status === 'off';
  useEffect(() => {
    if (isOff) return;
    void load();
    const timer = window.setInterval(() => {
      if (!document.hidden) void load();
    }, POLL_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [load, isOff]);

  async function refresh() {
    setRefreshing(true);
    await load();
    setRefreshing(false);
  }

  function select(message: MailboxMessage) {
    setSelectedId(message.id);
    if (stacked) window.requestAnimationFrame(() => messageViewRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  }

  return (
    <>
      <PageHeader
        title="Dev mailbox"
        description="Email this instance would have sent. Use it to verify accounts and reset passwords while testing."
        actions={
          isOff ? null : (
            <Group gap="sm">
              {lastChecked ? (
                <Text size="xs" c="dimmed" visibleFrom="xs">
                  Checked {lastChecked.toLocaleTimeString()}
                </Text>
              ) : null}
              <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void refresh()} loading={refreshing}>
                Refresh
              </Button>
            </Group>
          )
        }
      />
      {isOff ? (
        <Card padding="xl">
          <EmptyState
            icon={<IconMailOff size={28} stroke={1.6} />}
            variant="light"
            title="Dev mailbox is off"
            description="The dev mailbox is off because this instance sends real email."
            py="lg"
          />
        </Card>
      ) : (
        <Stack gap="lg">
          <Alert color="yellow" variant="light" icon={<IconServerOff size={18} />}>
            No SMTP server is configured. Messages stay queued in the outbox and will be sent once SMTP_URL is set.
          </Alert>
          <MailboxBody state={state} selectedId={selectedId} onSelect={select} messageViewRef={messageViewRef} onRetry={() => void refresh()} />
        </Stack>
      )}
    </>
  );
}

type MailboxBodyProps = {
  state: MailboxState;
  selectedId: string | null;
  onSelect: (message: MailboxMessage) => void;
  messageViewRef: RefObject<HTMLDivElement | null>;
  onRetry: () => void;
};

function MailboxBody({ state, selectedId, onSelect, messageViewRef, onRetry }: MailboxBodyProps) {
  if (state.status === 'loading') {
    return (
      <Grid gap="lg" aria-busy aria-label="Loading messages">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="xs">
            <Skeleton height={64} />
            <Skeleton height={64} />
            <Skeleton height={64} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Skeleton height={360} />
        </Grid.Col>
      </Grid>
    );
  }
  if (state.status === 'error') {
    return (
      <Stack gap="sm" align="flex-start">
        <FormError title="Could not load the mailbox">{state.message}</FormError>
        <Button variant="default" onClick={onRetry}>
          Try again
        </Button>
      </Stack>
    );
  }
  if (state.status !== 'ready') return null;
  if (state.messages.length === 0) {
    return (
      <Card padding="xl">
        <EmptyState
          icon={<IconInbox size={28} stroke={1.6} />}
          variant="light"
          title="No messages yet"
          description="Sign up or ask for a password reset, and the email shows up here within a few seconds."
          py="lg"
        />
      </Card>
    );
  }

  const selected = state.messages.find((message) => message.id === selectedId) ?? state.messages[0];
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Card padding="xs">
          <ScrollArea.Autosize mah={{ base: 320, md: 'calc(100dvh - 300px)' }} type="auto">
            <MessageList messages={state.messages} selectedId={selected?.id ?? null} onSelect={onSelect} />
          </ScrollArea.Autosize>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }} ref={messageViewRef} style={{ scrollMarginTop: 72 }}>
        {selected ? <MessageView key={selected.id} message={selected} /> : null}
      </Grid.Col>
    </Grid>
  );
}
