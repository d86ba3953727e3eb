import { Alert, Anchor, Badge, Button, Card, CopyButton, DataList, Flex, Group, Stack, Text, TextInput, Title } from '@mantine/core';

import { IconAlertTriangle, IconCheck, IconCircleCheck, IconCopy, IconPlayerPause, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { type ReactNode } from 'react';
import { Link } from 'react-router';

import type { Invitation } from '@allot/contract';

import { RelativeTime } from '../../components/RelativeTime';
import { SectionCard } from '../../components/SectionCard';

import { formatDate, formatDateTime, formatNumber, pluralize } from '../../lib/format';

type LinkCardProps = {
  invitation: Invitation;
  justCreated: boolean;
  onDismissCreated: () => void;
  toggling: boolean;
  onToggle: () => void;
  onRegenerate: () => void;
};

/** The link to share, Copy link, and the switches that govern it. */
export function LinkCard({ invitation, justCreated, onDismissCreated, toggling, onToggle, onRegenerate }: LinkCardProps) {
  const domains = invitation.allowedDomains;
  return (
    <Card padding="lg" component="section" aria-labelledby="invitation-link-heading">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={4} style={{ flex: '1 1 320px' }}>
            <Title order={2} fz="lg" id="invitation-link-heading">
              Invitation link
            </Title>
            <Text size="sm" c="dimmed">
              Anyone with this link can claim one {invitation.productName} license
              {domains.length > 0 ? ` with a verified address at ${domains.join(', ')}` : ' with a verified email address'}. Share it in chat or email.
            </Text>
          </Stack>
          {invitation.canManage ? (
            <Group gap="sm">
              <Button
                variant="default"
                leftSection={invitation.enabled ? <IconPlayerPause size={16} /> : <IconPlayerPlay size={16} />}
                onClick={onToggle}
                loading={toggling}
              >
                {invitation.enabled ? 'Disable link' : 'Enable link'}
              </Button>
              <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={onRegenerate}>
                Regenerate link
              </Button>
            </Group>
          ) : null}
        </Group>
        {invitation.link === null ? (
          <Text size="sm" c="dimmed">
            Only the administrators of {invitation.teamName} can see and share this link.
          </Text>
        ) : (
          <Flex gap="sm" direction={{ base: 'column', xs: 'row' }} align={{ base: 'stretch', xs: 'center' }}>
            <TextInput
              value={invitation.link}
              readOnly
              aria-label="Invitation link"
              data-testid="invitation-link"
              onFocus={(event) => event.currentTarget.select()}
              size="md"
              style={{ flex: 1, minWidth: 0 }}
              styles={{
                input: {
                  fontFamily: 'var(--mantine-font-family-monospace)',
                  fontSize: 'var(--mantine-font-size-sm)',
                  color: invitation.status === 'active' ? undefined : 'var(--mantine-color-dimmed)',
                },
              }}
            />
            <CopyButton value={invitation.link} timeout={2000}>
              {({ copied, copy }) => (
                <Button
                  size="md"
                  color={copied ? 'teal.9' : undefined}
                  leftSection={copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  onClick={copy}
                  miw={132}
                >
                  {copied ? 'Copied' : 'Copy link'}
                </Button>
              )}
            </CopyButton>
          </Flex>
        )}
        {justCreated ? (
          <Alert
            color="teal"
            variant="light"
            icon={<IconCircleCheck size={18} />}
            title="Invitation created"
            withCloseButton
            closeButtonLabel="Dismiss"
            onClose={onDismissCreated}
          >
            Copy the link and share it with the people who need a license. Each of them claims one by opening it.
          </Alert>
        ) : null}
        <StatusNotice invitation={invitation} />
      </Stack>
    </Card>
  );
}

/** Why the link does not hand out licenses right now, and what fixes it. */
export function StatusNotice({ invitation }: { invitation: Invitation }) {
  const fix = invitation.canManage;
  switch (invitation.status) {
    case 'disabled':
      return (
        <Alert color="gray" variant="light" icon={<IconPlayerPause size={18} />} title="This link is turned off">
          People who open it are told the invitation is turned off and cannot claim.{fix ? ' Enable the link to hand out licenses again.' : ''}
        </Alert>
      );
    case 'expired':
      return (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="This link has expired">
          It stopped working on {invitation.expiresAt ? formatDateTime(invitation.expiresAt) : 'its end date'}.
          {fix ? ' Edit the invitation to give it a later date.' : ''}
        </Alert>
      );
    case 'exhausted':
      return (
        <Alert color="grape" variant="light" icon={<IconAlertTriangle size={18} />} title="This link has been used up">
          It reached its maximum of {pluralize(invitation.maxClaims ?? invitation.claims, 'claim')}.{fix ? ' Edit the invitation to allow more.' : ''}
        </Alert>
      );
    case 'active':
      if (invitation.remaining > 0) return null;
      return (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="No assets left">
          Every {invitation.productName} license of {invitation.teamName} is taken, so people who open the link cannot claim one.
          {fix ? ' Free licenses in this team or add an order for it; people who find the link empty can notify you.' : ''}
        </Alert>
      );
  }
}

type StatCardProps = { label: string; value: string; suffix?: string | undefined; children?: ReactNode };

export function StatCard({ label, value, suffix, children }: StatCardProps) {
  return (
    <Card padding="lg">
      <Stack gap="sm">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.04em' }}>
          {label}
        </Text>
        <Group gap={6} align="baseline">
          <Text fz={34} fw={700} lh={1} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {value}
          </Text>
          {suffix ? (
            <Text fz="lg" c="dimmed" fw={600}>
              {suffix}
            </Text>
          ) : null}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

export function SettingsCard({ invitation }: { invitation: Invitation }) {
  return (
    <SectionCard title="Settings">
      <DataList size="sm" labelWidth={140} gap="sm">
        <DataList.Item>
          <DataList.ItemLabel>Product</DataList.ItemLabel>
          <DataList.ItemValue>
            <Group gap={8}>
              <Text size="sm">{invitation.productName}</Text>
              <Badge size="xs" variant="light" color="gray" ff="monospace" tt="none">
                {invitation.productCode}
              </Badge>
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Team</DataList.ItemLabel>
          <DataList.ItemValue>
            <Anchor component={Link} to={`/teams/${invitation.teamId}`} size="sm">
              {invitation.teamName}
            </Anchor>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Active until</DataList.ItemLabel>
          <DataList.ItemValue>
            {invitation.expiresAt ? (
              <Text size="sm">
                {formatDateTime(invitation.expiresAt)}{' '}
                <Text span size="sm" c="dimmed">
                  (<RelativeTime value={invitation.expiresAt} c="dimmed" />)
                </Text>
              </Text>
            ) : (
              <Text size="sm">No expiry</Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Allowed domains</DataList.ItemLabel>
          <DataList.ItemValue>
            {invitation.allowedDomains.length > 0 ? (
              <Group gap={6}>
                {invitation.allowedDomains.map((domain) => (
                  <Badge key={domain} variant="light" color="indigo" tt="none" ff="monospace">
                    {domain}
                  </Badge>
                ))}
              </Group>
            ) : (
              <Text size="sm">Any verified email address</Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Maximum claims</DataList.ItemLabel>
          <DataList.ItemValue>
            <Text size="sm">{invitation.maxClaims !== null ? formatNumber(invitation.maxClaims) : 'No limit'}</Text>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Created</DataList.ItemLabel>
          <DataList.ItemValue>
            <Text size="sm" title={formatDateTime(invitation.createdAt)}>
              {formatDate(invitation.createdAt)}
            </Text>
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
    </SectionCard>
  );
}
