import { Alert, Button, Code, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconClockExclamation } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api, errorMessage, isApiError } from '../../api';
import type { License, RevokeResponse } from '@allot/contract';
import { FormError } from '../../components/FormError';
import { formatNumber, pluralize } from '../../lib/format';

type RevokeLicensesModalProps = {
  opened: boolean;
  onClose: () => void;
  organizationId: string;
  /** The selected licenses that have an assignee. */
  licenses: License[];
  onRevoked: (revokedIds: string[]) => void;
};

/** RECENTLY_ASSIGNED: some licenses were assigned too recently to be taken back yet. */
type TooRecent = { licenseIds: string[]; minDaysBeforeRevoke: number | null; message: string };

function readTooRecent(error: unknown): TooRecent | null {
  if (!isApiError(error) || error.code !== 'RECENTLY_ASSIGNED') return null;
  const ids = error.details.licenseIds;
  const minDays = error.details.minDaysBeforeRevoke;
  return {
    licenseIds: Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [],
    minDaysBeforeRevoke: typeof minDays === 'number' ? minDays : null,
    message: error.message,
  };
}

const PREVIEW_COUNT = 5;

export function RevokeLicensesModal({ opened, onClose, organizationId, licenses, onRevoked }: RevokeLicensesModalProps) {
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tooRecent, setTooRecent] = useState<TooRecent | null>(null);
  const [skipped, setSkipped] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    if (!opened) return;
    setError(null);
    setTooRecent(null);
    setSkipped(new Set());
  }, [opened]);

  const toRevoke = licenses.filter((license) => !skipped.has(license.id));
  const recentSet = new Set(tooRecent?.licenseIds ?? []);
  const recentLicenses = licenses.filter((license) => recentSet.has(license.id) && !skipped.has(license.id));
  const count = toRevoke.length;

  function close() {
    if (!submitting) onClose();
  }

  async function revoke() {
    setError(null);
    setTooRecent(null);
    setSubmitting(true);
    try {
      const response = await api<RevokeResponse>(`/organizations/${organizationId}/licenses/revoke`, {
        method: 'POST',
        body: { licenseIds: toRevoke.map((license) => license.id) },
      });
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={18} />,
        title: `${pluralize(response.revoked.length, 'license')} revoked`,
        message: 'They are back in their teams, ready to assign again.',
      });
      setSubmitting(false);
      onRevoked(response.revoked);
      onClose();
    } catch (caught) {
      const recent = readTooRecent(caught);
      if (recent) setTooRecent(recent);
      else setError(errorMessage(caught));
      setSubmitting(false);
    }
  }

  function skipRecent() {
    setSkipped((previous) => new Set([...previous, ...recentSet]));
    setTooRecent(null);
  }

  return (
    <Modal opened={opened} onClose={close} title={`Revoke ${pluralize(count, 'license')}?`} centered>
      <Stack gap="md">
        <Text size="sm">
          {count === 1 ? 'Its holder loses' : 'Their holders lose'} access right away. The {count === 1 ? 'license goes' : 'licenses go'} back to{' '}
          {count === 1 ? 'its team' : 'their teams'} unassigned, ready to give to someone else.
        </Text>
        {count > 0 ? (
          <List size="sm" spacing={2} withPadding>
            {toRevoke.slice(0, PREVIEW_COUNT).map((license) => (
              <List.Item key={license.id}>
                <Text span size="sm" fw={500}>
                  {license.assignee?.email}
                </Text>{' '}
                <Text span size="sm" c="dimmed">
                  · {license.productName}
                </Text>
              </List.Item>
            ))}
            {count > PREVIEW_COUNT ? (
              <List.Item>
                <Text span size="sm" c="dimmed">
                  and {formatNumber(count - PREVIEW_COUNT)} more
                </Text>
              </List.Item>
            ) : null}
          </List>
        ) : null}

        {tooRecent ? (
          <Alert color="orange" variant="light" icon={<IconClockExclamation size={18} />} title="Assigned too recently" role="alert">
            <Stack gap="xs">
              <Text size="sm">{tooRecent.message}</Text>
              {tooRecent.minDaysBeforeRevoke !== null ? (
                <Text size="sm">
                  This organization keeps a license with its holder for at least {pluralize(tooRecent.minDaysBeforeRevoke, 'day')} after it is assigned.{' '}
                  {recentLicenses.length > 0 ? `${pluralize(recentLicenses.length, 'license is', 'licenses are')} affected:` : null}
                </Text>
              ) : null}
              {recentLicenses.length > 0 ? (
                <List size="sm" spacing={2}>
                  {recentLicenses.slice(0, PREVIEW_COUNT).map((license) => (
                    <List.Item key={license.id}>
                      <Code>{license.id}</Code> {license.assignee?.email}
                    </List.Item>
                  ))}
                  {recentLicenses.length > PREVIEW_COUNT ? <List.Item>and {formatNumber(recentLicenses.length - PREVIEW_COUNT)} more</List.Item> : null}
                </List>
              ) : null}
              {recentLicenses.length > 0 && recentLicenses.length < toRevoke.length ? (
                <Group>
                  <Button size="xs" variant="white" color="orange" onClick={skipRecent}>
                    Leave these out
                  </Button>
                </Group>
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        <FormError>{error}</FormError>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={submitting}>
            Cancel
          </Button>
          <Button color="red" onClick={() => void revoke()} loading={submitting} disabled={count === 0}>
            Revoke
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
