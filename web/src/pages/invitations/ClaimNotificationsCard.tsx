import { SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck } from '@tabler/icons-react';
import { useEffect, useId, useState } from 'react';
import { api, errorMessage } from '../../api';
import type { ClaimNotificationMode, NotificationSettings } from '@allot/contract';
import { LoadError } from '../../components/LoadError';
import { SectionCard } from '../../components/SectionCard';
import { useApiResource } from '../../hooks/use-api-resource';
import { CLAIM_NOTIFICATION_OPTIONS } from '../../lib/invitations';

type ClaimNotificationsCardProps = { organizationId: string; organizationName: string };

/** The signed-in admin's own choice of claim emails for one organization. */
export function ClaimNotificationsCard({ organizationId, organizationName }: ClaimNotificationsCardProps) {
  const settings = useApiResource<NotificationSettings>(`/organizations/${organizationId}/notification-settings`);
  const [mode, setMode] = useState<ClaimNotificationMode | null>(null);
  const [saving, setSaving] = useState(false);
  const labelId = useId();

  const loaded = settings.state.status === 'ready' ? settings.state.data.claimNotifications : null;
  useEffect(() => {
    if (loaded) setMode(loaded);
  }, [loaded]);

  async function change(value: string) {
    const next = value as ClaimNotificationMode;
    const previous = mode;
    if (next === previous) return;
    setMode(next);
    setSaving(true);
    try {
      const saved = await api<NotificationSettings>(`/organizations/${organizationId}/notification-settings`, {
        method: 'PUT',
        body: { claimNotifications: next },
      });
      setMode(saved.claimNotifications);
      const label = CLAIM_NOTIFICATION_OPTIONS.find((option) => option.value === saved.claimNotifications)?.label ?? saved.claimNotifications;
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
      setMode(previous);
      notifications.show({ color: 'red', title: 'Could not save notifications', message: errorMessage(caught) });
    } finally {
      setSaving(false);
    }
  }

  const current = CLAIM_NOTIFICATION_OPTIONS.find((option) => option.value === mode);

  return (
    <SectionCard title="Notifications" description={`Your own claim emails for every invitation of ${organizationName}.`}>
      {settings.state.status === 'error' ? (
        <LoadError title="Could not load your notifications" message={settings.state.message} onRetry={settings.reload} />
      ) : mode === null ? (
        <Stack gap={8} aria-busy aria-label="Loading notifications">
          <Skeleton height={36} />
          <Skeleton height={14} width="70%" />
        </Stack>
      ) : (
        <Stack gap={8}>
          <Text size="sm" fw={500} id={labelId}>
            Claim emails
          </Text>
          <SegmentedControl
            aria-labelledby={labelId}
            fullWidth
            data={CLAIM_NOTIFICATION_OPTIONS.map(({ value, label }) => ({ value, label }))}
            value={mode}
            onChange={(value) => void change(value)}
            readOnly={saving}
          />
          <Text size="xs" c="dimmed" mih={18}>
            {current?.description}
          </Text>
        </Stack>
      )}
    </SectionCard>
  );
}
