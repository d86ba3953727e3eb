import { Skeleton, Stack, Switch } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { api, errorMessage, isApiError } from '../../api';
import type { NoticePreferences } from '@allot/contract';
import { LoadError } from '../../components/LoadError';
import { SectionCard } from '../../components/SectionCard';
import { useApiResource } from '../../hooks/use-api-resource';

const NOTICES: Array<{ key: keyof NoticePreferences; label: string; description: string }> = [
  { key: 'expiry', label: 'Expiry notices', description: 'An email 30, 7 and 1 days before licenses of the teams you administer end.' },
  {
    key: 'lowSeats',
    label: 'Low-seat alerts',
    description: "One email when a pool's free seats fall to the organization's low-seat threshold.",
  },
];

/**
 * The signed-in administrator's own expiry notices and low-seat alerts, saved as soon as a switch
 * moves. Organization and team administrators have them; anyone else is answered 403, and sees nothing.
 */
export function NoticePreferencesCard({ organizationId, organizationName }: { organizationId: string; organizationName: string }) {
  const resource = useApiResource<NoticePreferences>(`/organizations/${organizationId}/notice-preferences`);
  // What a switch set since the load (the server's answer, or the optimistic value while it comes).
  const [changed, setChanged] = useState<NoticePreferences | null>(null);
  const saved = changed ?? (resource.state.status === 'ready' ? resource.state.data : null);
  const [saving, setSaving] = useState<keyof NoticePreferences | null>(null);

  if (resource.state.status === 'error' && isApiError(resource.state.error) && resource.state.error.status === 403) return null;

  async function change(key: keyof NoticePreferences, on: boolean) {
    const previous = saved;
    if (!previous) return;
    setChanged({ ...previous, [key]: on });
    setSaving(key);
    try {
      const answer = await api<NoticePreferences>(`/organizations/${organizationId}/notice-preferences`, { method: 'PUT', body: { [key]: on } });
      setChanged(answer);
      const label = NOTICES.find((notice) => notice.key === key)!.label;
      // One toast however often the switches move (as the claim-email card does).
      const toast = {
        id: 'notice-preferences-saved',
        color: 'teal',
        icon: <IconCheck size={18} />,
        title: 'Notifications saved',
        message: `${label}: ${answer[key] ? 'on' : 'off'}.`,
      };
      notifications.show(toast);
      notifications.update(toast);
    } catch (caught) {
      setChanged(previous);
      notifications.show({ color: 'red', title: 'Could not save notifications', message: errorMessage(caught) });
    } finally {
      setSaving(null);
    }
  }

  return (
    <SectionCard title="My notifications" description={`Your own emails about ${organizationName}'s licenses running out. Other administrators choose theirs.`}>
      {resource.state.status === 'error' ? (
        <LoadError title="Could not load your notifications" message={resource.state.message} onRetry={resource.reload} />
      ) : saved === null ? (
        <Stack gap="md" aria-busy aria-label="Loading your notifications">
          <Skeleton height={40} />
          <Skeleton height={40} />
        </Stack>
      ) : (
        <Stack gap="md">
          {NOTICES.map((notice) => (
            <Switch
              key={notice.key}
              label={notice.label}
              description={notice.description}
              checked={saved[notice.key]}
              disabled={saving !== null && saving !== notice.key}
              onChange={(event) => void change(notice.key, event.currentTarget.checked)}
            />
          ))}
        </Stack>
      )}
    </SectionCard>
  );
}
