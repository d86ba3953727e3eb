import { Button, Group, List, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconFileDownload, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { apiHref, api, isApiError } from '../../api';
import { FormError } from '../../components/FormError';
import { SectionCard } from '../../components/SectionCard';
import { applyServerError } from '../../lib/form-errors';

/** "Download my data": everything Allot keeps about the person, as one JSON file. */
export function DataExportCard() {
  return (
    <SectionCard
      title="Your data"
      description="A copy of everything Allot keeps about you: your profile, roles, licenses and their history, machines, app passwords, sessions and what you did, as one JSON file."
    >
      <Group>
        {/* A plain link, so the browser saves the file with the session cookie. */}
        <Button component="a" href={apiHref('/me/export')} download="allot-my-data.json" variant="default" leftSection={<IconFileDownload size={16} />}>
          Download my data
        </Button>
      </Group>
    </SectionCard>
  );
}

/** "Delete account": asks the password again and says exactly what goes with the account. */
export function DeleteAccountCard() {
  const [opened, setOpened] = useState(false);
  return (
    <SectionCard title="Delete account" description="Removes your account and everything that depends on it. This cannot be undone.">
      <Group>
        <Button color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={() => setOpened(true)}>
          Delete account
        </Button>
      </Group>
      <DeleteAccountModal opened={opened} onClose={() => setOpened(false)} />
    </SectionCard>
  );
}

function DeleteAccountModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { password: '' }, validate: { password: isNotEmpty('Enter your password.') } });

  function close() {
    if (form.submitting) return;
    onClose();
    window.setTimeout(() => {
      form.reset();
      setError(null);
    }, 200);
  }

  async function deleteAccount({ password }: { password: string }) {
    setError(null);
    try {
      await api<void>('/me', { method: 'DELETE', body: { password } });
      notifications.show({
        color: 'teal',
        title: 'Your account was deleted',
        message: 'Your licenses went back to their organizations, and you are signed out.',
      });
      void navigate('/sign-in', { replace: true });
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'PASSWORD_MISMATCH') form.setFieldError('password', caught.message);
      else setError(applyServerError(form, caught));
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Delete your account?" centered>
      <form onSubmit={form.onSubmit(deleteAccount)} noValidate>
        <Stack gap="md">
          <Text size="sm">When you delete your account:</Text>
          <List size="sm" spacing={6}>
            <List.Item>the licenses you hold are released and go back to their organizations (their audit logs record it);</List.Item>
            <List.Item>machines activated with your account are deactivated;</List.Item>
            <List.Item>you are signed out everywhere, and your app passwords stop working;</List.Item>
            <List.Item>the audit logs keep what you did under a pseudonym, without your name or email address.</List.Item>
          </List>
          <Text size="sm" fw={600}>
            This cannot be undone. To use Allot again, you would sign up anew.
          </Text>
          <PasswordInput
            label="Password"
            description="Asked again to make sure it is you."
            autoComplete="current-password"
            data-autofocus
            {...form.getInputProps('password')}
          />
          <FormError>{error}</FormError>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={form.submitting}>
              Delete account
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
