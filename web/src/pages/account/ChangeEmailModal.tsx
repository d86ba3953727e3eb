import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { useState } from 'react';
import { authClient, callAuth } from '../../auth-client';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { FormError } from '../../components/FormError';
import { applyServerError } from '../../lib/form-errors';
import { emailVerifiedCallback } from '../../lib/redirect';

type ChangeEmailModalProps = { opened: boolean; onClose: () => void; currentEmail: string };

export function ChangeEmailModal({ opened, onClose, currentEmail }: ChangeEmailModalProps) {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { newEmail: '' },
    validate: {
      newEmail: (value: string) => {
        if (isEmail('Enter a valid email address.')(value)) return 'Enter a valid email address.';
        if (value.trim().toLowerCase() === currentEmail.toLowerCase()) return 'This is already your email address.';
        return null;
      },
    },
  });

  function close() {
    onClose();
    // Reset after the closing transition so the content does not jump while fading out.
    window.setTimeout(() => {
      form.reset();
      setSentTo(null);
      setError(null);
    }, 200);
  }

  async function changeEmail({ newEmail }: { newEmail: string }) {
    setError(null);
    const trimmed = newEmail.trim();
    try {
      await callAuth((fetchOptions) => authClient.changeEmail({ newEmail: trimmed, callbackURL: emailVerifiedCallback('/account'), fetchOptions }));
      setSentTo(trimmed);
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Change email" centered>
      {sentTo ? (
        <Stack gap="md">
          <Text size="sm">
            We sent a verification link to <strong>{sentTo}</strong>. Your email changes once you open it; until then you keep signing in with {currentEmail}.
          </Text>
          <DevMailboxNotice />
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit(changeEmail)} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              We will send a verification link to the new address. The change takes effect after you confirm it.
            </Text>
            <TextInput label="New email" type="email" autoComplete="email" data-autofocus {...form.getInputProps('newEmail')} />
            <FormError>{error}</FormError>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Send verification link
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
