import { Anchor, Badge, Box, Card, Code, Divider, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconCode, IconExternalLink, IconFileText, IconLink } from '@tabler/icons-react';
import type { MailboxMessage } from '@allot/contract';
import { formatDateTime } from '../../lib/format';
import { extractLinks, withLinksInNewTab } from './mail-content';
import { STATUS_COLORS } from './MessageList';

export function MessageView({ message }: { message: MailboxMessage }) {
  const links = extractLinks(message.text);
  return (
    <Card padding="lg" component="article" aria-label={`Message: ${message.subject}`}>
      <Stack gap="md">
        <Stack gap={6}>
          <Group justify="space-between" align="flex-start" gap="sm">
            <Title order={2} fz="lg" style={{ flex: '1 1 240px', wordBreak: 'break-word' }}>
              {message.subject || '(no subject)'}
            </Title>
            <Badge variant="light" color={STATUS_COLORS[message.status]}>
              {message.status}
            </Badge>
          </Group>
          <Text size="sm">
            <Text span c="dimmed">
              To:{' '}
            </Text>
            {message.to}
          </Text>
          <Text size="sm" c="dimmed">
            {formatDateTime(message.createdAt)}
          </Text>
        </Stack>

        {links.length > 0 ? (
          <Box>
            <Group gap={6} mb={6}>
              <IconLink size={16} aria-hidden />
              <Text size="sm" fw={600}>
                Links in this message
              </Text>
            </Group>
            <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Links in this message">
              {links.map((link) => (
                <li key={link}>
                  <Anchor href={link} size="sm" style={{ wordBreak: 'break-all' }}>
                    {link}
                  </Anchor>
                </li>
              ))}
            </Stack>
          </Box>
        ) : null}

        <Divider />

        <Tabs defaultValue={message.html ? 'html' : 'text'} keepMounted={false}>
          <Tabs.List>
            {message.html ? (
              <Tabs.Tab value="html" leftSection={<IconCode size={14} />}>
                HTML
              </Tabs.Tab>
            ) : null}
            <Tabs.Tab value="text" leftSection={<IconFileText size={14} />}>
              Plain text
            </Tabs.Tab>
          </Tabs.List>
          {message.html ? (
            <Tabs.Panel value="html" pt="md">
              <Box
                component="iframe"
                title={`HTML body of “${message.subject}”`}
                srcDoc={withLinksInNewTab(message.html)}
                sandbox="allow-popups allow-popups-to-escape-sandbox"
                referrerPolicy="no-referrer"
                w="100%"
                h={520}
                style={{
                  border: '1px solid var(--mantine-color-default-border)',
                  borderRadius: 'var(--mantine-radius-md)',
                  background: 'white',
                  // Emails are designed for a light page; without this, dark mode makes their text white on white.
                  colorScheme: 'light',
                }}
              />
              <Group gap={4} mt={6}>
                <IconExternalLink size={12} aria-hidden style={{ opacity: 0.6 }} />
                <Text size="xs" c="dimmed">
                  Links in the HTML view open in a new tab.
                </Text>
              </Group>
            </Tabs.Panel>
          ) : null}
          <Tabs.Panel value="text" pt="md">
            <Code block fz="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {message.text}
            </Code>
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Card>
  );
}
