import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { hasLength, useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api';
import { FormError } from '../../components/FormError';
import { applyServerError } from '../../lib/form-errors';

type TeamNameModalProps = {
  opened: boolean;
  onClose: () => void;
  title: string;
  submitLabel: string;
  initialName?: string;
  description?: string;
  /** Saves the name; throw to show the server's answer. */
  onSubmit: (name: string) => Promise<void>;
};

/** Asks for a team name: used to create a team and to rename one. */
export function TeamNameModal({ opened, onClose, title, submitLabel, initialName = '', description, onSubmit }: TeamNameModalProps) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: initialName },
    validate: { name: hasLength({ min: 1, max: 100 }, 'Enter a name of up to 100 characters.') },
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues({ name: initialName });
    form.clearErrors();
    setError(null);
  }, [opened]);

  function close() {
    if (!form.submitting) onClose();
  }

  async function submit({ name }: { name: string }) {
    setError(null);
    try {
      await onSubmit(name.trim());
      onClose();
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'TEAM_NAME_TAKEN') form.setFieldError('name', caught.message);
      else setError(applyServerError(form, caught));
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="md">
          <TextInput label="Name" description={description} placeholder="Backend developers" maxLength={100} data-autofocus {...form.getInputProps('name')} />
          <FormError>{error}</FormError>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
