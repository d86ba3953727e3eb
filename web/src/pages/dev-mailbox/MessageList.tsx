import { Badge, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import type { MailboxMessage, MailboxMessageStatus } from '@allot/contract';
import { formatDateTime, formatRelative } from '../../lib/format';

export const STATUS_COLORS: Record<MailboxMessageStatus, string> = { pending: 'yellow', sent: 'teal', failed: 'red' };

type MessageListProps = {
  messages: MailboxMessage[];
  selectedId: string | null;
  onSelect: (message: MailboxMessage) => void;
};

export function MessageList({ messages, selectedId, onSelect }: MessageListProps) {
  return (
    <Stack gap={4} component="ul" role="list" aria-label="Messages" p={0} m={0} style={{ listStyle: 'none' }}>
      {messages.map((message) => {
        const selected = message.id === selectedId;
        return (
          <li key={message.id}>
            <UnstyledButton
              onClick={() => onSelect(message)}
              aria-current={selected ? 'true' : undefined}
              w="100%"
              p="sm"
              style={{
                borderRadius: 'var(--mantine-radius-md)',
                background: selected ? 'var(--mantine-primary-color-light)' : undefined,
                border: `1px solid ${selected ? 'var(--mantine-primary-color-light-hover)' : 'transparent'}`,
              }}
            >
              <Group justify="space-between" gap="xs" wrap="nowrap" mb={4}>
                <Text size="xs" c="dimmed" truncate="end">
                  To {message.to}
                </Text>
                <Text size="xs" c="dimmed" title={formatDateTime(message.createdAt)} style={{ flexShrink: 0 }}>
                  {formatRelative(message.createdAt)}
                </Text>
              </Group>
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text size="sm" fw={600} truncate="end">
                  {message.subject || '(no subject)'}
                </Text>
                <Badge size="xs" variant="light" color={STATUS_COLORS[message.status]} style={{ flexShrink: 0 }}>
                  {message.status}
                </Badge>
              </Group>
            </UnstyledButton>
          </li>
        );
      })}
    </Stack>
  );
}
