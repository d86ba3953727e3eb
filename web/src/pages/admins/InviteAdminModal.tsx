import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconMailForward } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import type { CreateRoleInvitationResponse, Role, RoleInvitation, Team } from '@allot/contract';
import { CopyField } from '../../components/CopyField';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { FormError } from '../../components/FormError';
import { SearchableSelect } from '../../components/SearchableSelect';
import { applyServerError } from '../../lib/form-errors';
import { formatDateTime } from '../../lib/format';
import { isTeamRole, ROLE_DESCRIPTIONS, ROLE_LABELS } from '../../lib/roles';

type InviteAdminModalProps = {
  opened: boolean;
  onClose: () => void;
  organizationId: string;
  /** The roles on offer, in order; the first is preselected. */
  roles: Role[];
  /** Teams to pick from for a team role (null while loading). */
  teams: Team[] | null;
  /** On a team's page the team is fixed. */
  fixedTeam?: { id: string; name: string };
  onInvited: (invitation: RoleInvitation) => void;
};

type InviteValues = { email: string; role: Role; teamId: string | null };

export function InviteAdminModal({ opened, onClose, organizationId, roles, teams, fixedTeam, onInvited }: InviteAdminModalProps) {
  const [sent, setSent] = useState<CreateRoleInvitationResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const defaultRole: Role = roles[0] ?? 'org_admin';

  const form = useForm<InviteValues>({
    initialValues: { email: '', role: defaultRole, teamId: fixedTeam?.id ?? null },
    validate: {
      email: isEmail('Enter a valid email address.'),
      teamId: (value, values) => (isTeamRole(values.role) && !value ? 'Choose the team this role is for.' : null),
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues({ email: '', role: defaultRole, teamId: fixedTeam?.id ?? null });
    form.clearErrors();
    setSent(null);
    setError(null);
  }, [opened]);

  function close() {
    if (!form.submitting) onClose();
  }

  async function invite(values: InviteValues) {
    setError(null);
    const teamRole = isTeamRole(values.role);
    try {
      const response = await api<CreateRoleInvitationResponse>(`/organizations/${organizationId}/admin-invitations`, {
        method: 'POST',
        body: { email: values.email.trim(), role: values.role, ...(teamRole && values.teamId ? { teamId: values.teamId } : {}) },
      });
      setSent(response);
      onInvited(response.invitation);
      notifications.show({
        color: 'teal',
        icon: <IconMailForward size={18} />,
        title: 'Invitation sent',
        message: `We emailed ${response.invitation.email} a link to accept it.`,
      });
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  const teamRole = isTeamRole(form.values.role);

  return (
    <Modal opened={opened} onClose={close} title={sent ? 'Invitation sent' : 'Invite administrator'} centered size="md">
      {sent ? (
        <Stack gap="md">
          <Text size="sm">
            Anyone with this link can accept it until {formatDateTime(sent.invitation.expiresAt)}. We also emailed it to{' '}
            <strong>{sent.invitation.email}</strong>.
          </Text>
          <CopyField label="Invitation link" value={sent.link} description="Shown only now. Share it privately." />
          <DevMailboxNotice />
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit(invite)} noValidate>
          <Stack gap="md">
            <TextInput label="Email" type="email" autoComplete="off" placeholder="colleague@example.com" data-autofocus {...form.getInputProps('email')} />
            <SearchableSelect
              label="Role"
              data={roles.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
              allowDeselect={false}
              description={ROLE_DESCRIPTIONS[form.values.role]}
              {...form.getInputProps('role')}
              onChange={(value) => {
                if (value) form.setFieldValue('role', value as Role);
              }}
            />
            {teamRole ? (
              fixedTeam ? (
                <SearchableSelect label="Team" data={[{ value: fixedTeam.id, label: fixedTeam.name }]} value={fixedTeam.id} disabled />
              ) : (
                <SearchableSelect
                  label="Team"
                  placeholder={teams === null ? 'Loading teams…' : teams.length === 0 ? 'This organization has no teams yet' : 'Choose a team'}
                  data={(teams ?? []).map((team) => ({ value: team.id, label: team.name }))}
                  {...form.getInputProps('teamId')}
                />
              )
            ) : null}
            <FormError>{error}</FormError>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} disabled={form.submitting}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Send invitation
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
