import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';
import type { License, Team, TransferResponse } from '@allot/contract';
import { FormError } from '../../components/FormError';
import { SearchableSelect } from '../../components/SearchableSelect';
import { pluralize } from '../../lib/format';

type TransferLicensesModalProps = {
  opened: boolean;
  onClose: () => void;
  organizationId: string;
  licenses: License[];
  /** Teams the person may move licenses into. */
  teams: Team[];
  onTransferred: (transferredIds: string[]) => void;
};

export function TransferLicensesModal({ opened, onClose, organizationId, licenses, teams, onTransferred }: TransferLicensesModalProps) {
  const [targetTeamId, setTargetTeamId] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setTargetTeamId(null);
    setFieldError(null);
    setError(null);
  }, [opened]);

  // Moving licenses into the team they are all in already would do nothing.
  const sourceTeams = new Set(licenses.map((license) => license.teamId));
  const targets = teams.filter((team) => !(sourceTeams.size === 1 && sourceTeams.has(team.id)));
  const assignedCount = licenses.filter((license) => license.assignee).length;

  function close() {
    if (!submitting) onClose();
  }

  async function transfer() {
    setError(null);
    if (!targetTeamId) {
      setFieldError('Choose the team to move the licenses to.');
      return;
    }
    setSubmitting(true);
    try {
      const response = await api<TransferResponse>(`/organizations/${organizationId}/licenses/transfer`, {
        method: 'POST',
        body: { licenseIds: licenses.map((license) => license.id), targetTeamId },
      });
      const teamName = teams.find((team) => team.id === targetTeamId)?.name ?? 'the team';
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={18} />,
        title: `${pluralize(response.transferred.length, 'license')} moved`,
        message: `They now belong to ${teamName}.`,
      });
      setSubmitting(false);
      onTransferred(response.transferred);
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setSubmitting(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={`Transfer ${pluralize(licenses.length, 'license')}`} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void transfer();
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">
            Move the selected licenses to another team of this organization.{' '}
            {assignedCount > 0 ? 'People who hold them keep them: only the team that pays for them changes.' : null}
          </Text>
          <SearchableSelect
            label="Target team"
            placeholder={targets.length === 0 ? 'No other team you can manage' : 'Choose a team'}
            data={targets.map((team) => ({ value: team.id, label: team.name }))}
            value={targetTeamId}
            onChange={(value) => {
              setTargetTeamId(value);
              setFieldError(null);
            }}
            error={fieldError}
          />
          <FormError>{error}</FormError>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting} disabled={targets.length === 0}>
              Transfer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
