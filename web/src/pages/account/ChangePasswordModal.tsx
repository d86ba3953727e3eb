import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { isNotEmpty, matchesField, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../api';
import { authClient, callAuth } from '../../auth-client';
import { FormError } from '../../components/FormError';
import { PasswordStrengthInput, validateNewPassword } from '../../components/PasswordStrengthInput';
import { applyServerError } from '../../lib/form-errors';

type ChangePasswordValues = { currentPassword: string; newPassword: string; confirmPassword: string };

type ChangePasswordModalProps = { opened: boolean; onClose: () => void };

export function ChangePasswordModal({ opened, onClose }: ChangePasswordModalProps) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ChangePasswordValues>({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: isNotEmpty('Enter your current password.'),
      newPassword: validateNewPassword,
      confirmPassword: matchesField('newPassword', 'The passwords do not match.'),
    },
  });

  function close() {
    onClose();
    window.setTimeout(() => {
      form.reset();
      setError(null);
    }, 200);
  }

  async function changePassword({ currentPassword, newPassword }: ChangePasswordValues) {
    setError(null);
    try {
      await callAuth((fetchOptions) => authClient.changePassword({ currentPassword, newPassword, revokeOtherSessions: true, fetchOptions }));
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={18} />,
        title: 'Password changed',
        message: 'Your other devices were signed out.',
      });
      close();
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'INVALID_PASSWORD') form.setFieldError('currentPassword', caught.message);
      else setError(applyServerError(form, caught));
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Change password" centered>
      <form onSubmit={form.onSubmit(changePassword)} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Changing your password signs you out on every other device.
          </Text>
          <PasswordInput label="Current password" autoComplete="current-password" data-autofocus {...form.getInputProps('currentPassword')} />
          <PasswordStrengthInput label="New password" {...form.getInputProps('newPassword')} value={form.values.newPassword} />
          <PasswordInput label="Confirm password" autoComplete="new-password" {...form.getInputProps('confirmPassword')} />
          <FormError>{error}</FormError>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Update password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
