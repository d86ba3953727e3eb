import { Button, Group, Modal, MultiSelect, Radio, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import type { CreatedApiToken, TeamsResponse } from '@allot/contract';
import { FormError } from '../../components/FormError';
import { useApiResource } from '../../hooks/use-api-resource';
import { applyServerError } from '../../lib/form-errors';

type Values = { name: string; scope: 'read' | 'write'; reach: 'all' | 'some'; teamIds: string[]; expiresIn: string };

const EXPIRY_OPTIONS = [
  { value: 'never', label: 'Never' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
];

const blank: Values = { name: '', scope: 'read', reach: 'all', teamIds: [], expiresIn: 'never' };

type Props = { opened: boolean; onClose: () => void; organizationId: string; onCreated: (token: CreatedApiToken) => Promise<void> };

export function CreateApiTokenModal({ opened, onClose, organizationId, onCreated }: Props) {
  const teams = useApiResource<TeamsResponse>(opened ? `/organizations/${organizationId}/teams` : null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: blank,
    validate: {
      name: (value) => (value.trim() ? (value.trim().length > 100 ? 'Use at most 100 characters.' : null) : 'Name it after the system that will use it.'),
      teamIds: (value, values) => (values.reach === 'some' && value.length === 0 ? 'Choose at least one team.' : null),
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(blank);
    form.clearErrors();
    setError(null);
    // Only when the dialog opens: the form is the dialog's own.
  }, [opened]);

  async function create(values: Values) {
    setError(null);
    try {
      const token = await api<CreatedApiToken>(`/organizations/${organizationId}/api-tokens`, {
        method: 'POST',
        body: {
          name: values.name.trim(),
          scope: values.scope,
          teams: values.reach === 'all' ? 'all' : values.teamIds,
          expiresAt: values.expiresIn === 'never' ? null : dayjs().add(Number(values.expiresIn), 'day').format('YYYY-MM-DD'),
        },
      });
      onClose();
      await onCreated(token);
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  const teamOptions = teams.state.status === 'ready' ? teams.state.data.items.map((team) => ({ value: team.id, label: team.name })) : [];

  return (
    <Modal opened={opened} onClose={() => !form.submitting && onClose()} title="Create API token" size="lg" centered>
      <form onSubmit={form.onSubmit(create)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Name"
            description="The system that will use it, e.g. “HR onboarding”."
            maxLength={100}
            data-autofocus
            {...form.getInputProps('name')}
          />
          <Radio.Group label="Scope" {...form.getInputProps('scope')}>
            <Stack gap="xs" mt="xs">
              <Radio value="read" label="Read" description="Licenses and their export, teams, invitations, the audit log." />
              <Radio value="write" label="Read and write" description="Also assign, revoke and move licenses, and manage teams and invitations." />
            </Stack>
          </Radio.Group>
          <Radio.Group label="Teams" {...form.getInputProps('reach')}>
            <Stack gap="xs" mt="xs">
              <Radio value="all" label="All teams" description="Including teams made later." />
              <Radio value="some" label="Some teams" description="Other teams answer as if they did not exist." />
            </Stack>
          </Radio.Group>
          {form.values.reach === 'some' ? (
            <MultiSelect
              label="Teams it may act in"
              data={teamOptions}
              searchable
              placeholder={teams.state.status === 'loading' ? 'Loading teams…' : 'Choose teams'}
              nothingFoundMessage="No such team"
              {...form.getInputProps('teamIds')}
            />
          ) : null}
          <Select label="Expires" data={EXPIRY_OPTIONS} allowDeselect={false} {...form.getInputProps('expiresIn')} />
          <FormError>{error}</FormError>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
