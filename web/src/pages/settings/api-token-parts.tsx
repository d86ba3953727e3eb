import { Badge, Button, Card, Code, Group, Stack, Table, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import type { ApiToken, CreatedApiToken } from '@allot/contract';
import { CopyField } from '../../components/CopyField';
import { RelativeTime } from '../../components/RelativeTime';
import { TableCaption } from '../../components/TableCaption';
import { formatDate, formatDateTime } from '../../lib/format';

const STATUS_COLORS = { active: 'teal', expired: 'gray', revoked: 'red' } as const;

/** The table of API tokens: an organization's (Settings) or the operators' (Operator → API tokens). */
export function TokensTable({ items, onRevoke }: { items: ApiToken[]; onRevoke: (token: ApiToken) => void }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" horizontalSpacing="sm" highlightOnHover>
        <TableCaption>API tokens</TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Scope</Table.Th>
            <Table.Th>Teams</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th w={90} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((token) => (
            <Table.Tr key={token.id}>
              <Table.Td>
                <Stack gap={2}>
                  <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {token.name}
                  </Text>
                  {token.status !== 'active' ? (
                    <Badge size="xs" variant="light" color={STATUS_COLORS[token.status]}>
                      {token.status}
                    </Badge>
                  ) : null}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={token.scope === 'write' ? 'orange' : 'blue'} tt="none">
                  {token.scope === 'write' ? 'Read and write' : token.scope === 'read' ? 'Read' : 'Operator'}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{token.teams === 'all' ? 'All teams' : token.teams.map((team) => team.name).join(', ') || 'No team left'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" title={formatDateTime(token.createdAt)}>
                  {formatDate(token.createdAt)}
                </Text>
                <Text size="xs" c="dimmed">
                  {token.createdBy ? `by ${token.createdBy.name}` : 'by the CLI'}
                </Text>
              </Table.Td>
              <Table.Td>
                {token.lastUsedAt ? (
                  <Stack gap={0}>
                    <RelativeTime value={token.lastUsedAt} />
                    {token.lastUsedIp ? (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {token.lastUsedIp}
                      </Text>
                    ) : null}
                  </Stack>
                ) : (
                  <Text size="sm" c="dimmed">
                    Never
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={token.expiresAt ? undefined : 'dimmed'}>
                  {token.expiresAt ? formatDate(token.expiresAt) : 'Never'}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                {token.status === 'active' ? (
                  <Button size="xs" variant="subtle" color="red" onClick={() => onRevoke(token)} aria-label={`Revoke API token ${token.name}`}>
                    Revoke
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function NewApiToken({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  // It appears away from the dialog that made it; keyboard and screen-reader users are taken there.
  const region = useRef<HTMLDivElement>(null);
  useEffect(() => region.current?.focus(), []);
  return (
    <Card ref={region} tabIndex={-1} withBorder padding="lg" bg="var(--mantine-color-teal-light)">
      <Stack gap="sm">
        <Group gap="xs">
          <IconKey size={18} aria-hidden />
          <Text size="sm" fw={700} role="status">
            Copy your new API token now
          </Text>
        </Group>
        <CopyField label={`API token “${token.name}”`} value={token.token} copyLabel="Copy API token" />
        <Text size="sm">It will not be shown again: only its digest is kept.</Text>
        <Text size="sm" c="dimmed">
          Send it as a bearer token, for example:
        </Text>
        <Code
          block
        >{`curl -H "Authorization: Bearer ${token.token.slice(0, 12)}…" \\\n  ${window.location.origin}/api/v1/${token.organizationId ? `organizations/${token.organizationId}/licenses` : 'orders'}`}</Code>
        <Group>
          <Button size="xs" onClick={onDone}>
            Done
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
