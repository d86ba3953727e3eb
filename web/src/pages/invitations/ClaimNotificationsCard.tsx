import { Badge, Group, Radio, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';
import type { ClaimEmailRecipientsResponse, ClaimNotificationMode, NotificationSettings } from '@allot/contract';
import { LoadError } from '../../components/LoadError';
import { SectionCard } from '../../components/SectionCard';
import { useApiResource, type ApiResource } from '../../hooks/use-api-resource';
import { CLAIM_NOTIFICATION_OPTIONS } from '../../lib/invitations';

type ClaimNotificationsCardProps = {
  organizationId: string;
  organizationName: string;
  /** On an invitation's page: also who gets its claim emails. */
  invitationId?: string;
};

/** The signed-in admin's own claim emails in one organization, said exactly; and, for an invitation, everyone who gets them. */
export function ClaimNotificationsCard({ organizationId, organizationName, invitationId }: ClaimNotificationsCardProps) {
  const settings = useApiResource<NotificationSettings>(`/organizations/${organizationId}/notification-settings`);
  const [saved, setSaved] = useState<NotificationSettings | null>(null);
  const [saving, setSaving] = useState(false);

  const loaded = settings.state.status === 'ready' ? settings.state.data : null;
  useEffect(() => {
    if (loaded) setSaved(loaded);
  }, [loaded]);

  const recipients = useApiResource<ClaimEmailRecipientsResponse>(invitationId ? `/invitations/${invitationId}/claim-emails` : null);
  const reloadRecipients = recipients.reload;

  async function change(value: string) {
    const next = value as ClaimNotificationMode;
    const previous = saved;
    if (!previous || next === previous.claimNotifications) return;
    setSaved({ ...previous, claimNotifications: next });
    setSaving(true);
    try {
      const answer = await api<NotificationSettings>(`/organizations/${organizationId}/notification-settings`, {
        method: 'PUT',
        body: { claimNotifications: next },
      });
      setSaved(answer);
      if (invitationId) void reloadRecipients();
      const label = CLAIM_NOTIFICATION_OPTIONS.find((option) => option.value === answer.claimNotifications)?.label ?? answer.claimNotifications;
      // One toast however often the choice changes: a stack of them would cover the page's actions.
      const toast = {
        id: 'claim-notifications-saved',
        color: 'teal',
        icon: <IconCheck size={18} />,
        title: 'Notifications saved',
        message: `Claim emails: ${label}.`,
      };
      notifications.show(toast);
      notifications.update(toast);
    } catch (caught) {
      setSaved(previous);
      notifications.show({ color: 'red', title: 'Could not save notifications', message: errorMessage(caught) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <SectionCard title="Notifications" description={`Your own claim emails for the invitations of ${organizationName}.`}>
      {settings.state.status === 'error' ? (
        <LoadError title="Could not load your notifications" message={settings.state.message} onRetry={settings.reload} />
      ) : saved === null ? (
        <Stack gap={8} aria-busy aria-label="Loading notifications">
          <Skeleton height={36} />
          <Skeleton height={14} width="70%" />
        </Stack>
      ) : (
        <Stack gap="md">
          {/* Every choice says what it would send this person, not only the one chosen. */}
          <Radio.Group label="Claim emails" value={saved.claimNotifications} onChange={(value) => void change(value)} readOnly={saving}>
            <Stack gap="sm" mt="xs">
              {CLAIM_NOTIFICATION_OPTIONS.map((option) => (
                <Radio key={option.value} value={option.value} label={option.label} description={option.describe(saved.reach, organizationName)} />
              ))}
            </Stack>
          </Radio.Group>
          {invitationId ? <ClaimEmailRecipients resource={recipients} /> : null}
        </Stack>
      )}
    </SectionCard>
  );
}

const REASONS = { created: 'created this invitation', team_admin: 'team administrator', chose: 'chose every claim' } as const;

function ClaimEmailRecipients({ resource }: { resource: ApiResource<ClaimEmailRecipientsResponse> }) {
  const { state, reload } = resource;
  if (state.status === 'loading') return <Skeleton height={40} aria-label="Loading who gets claim emails" />;
  if (state.status === 'error') return <LoadError title="Could not load who gets claim emails" message={state.message} onRetry={reload} />;
  const items = state.data.items;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        Who gets an email when someone claims here
      </Text>
      {items.length === 0 ? (
        <Text size="sm" c="orange.8">
          Nobody: every administrator of this team turned claim emails off.
        </Text>
      ) : (
        <Stack gap={4} component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Claim email recipients">
          {items.map((recipient) => (
            <Group key={recipient.userId} component="li" gap={6} wrap="nowrap">
              <Text size="sm" truncate="end" title={recipient.email}>
                {recipient.name}
              </Text>
              <Badge size="xs" variant="light" color={recipient.delivery === 'each' ? 'indigo' : 'gray'}>
                {recipient.delivery === 'each' ? 'each claim' : 'daily digest'}
              </Badge>
              <Text size="xs" c="dimmed" truncate="end">
                {REASONS[recipient.reason]}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
