import { Button, Group, Modal, Stack } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api';
import { FormError } from './FormError';

type ConfirmModalProps = {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  /** The confirm button repeats the action ("Revoke", "Remove", "Delete team"). */
  confirmLabel: string;
  /** Red for destructive actions. */
  color?: string;
  /** Runs the action; a thrown error is shown inline and the dialog stays open. */
  onConfirm: () => Promise<void>;
};

/** Asks before an action that cannot be undone, shows the server's refusal inline. */
export function ConfirmModal({ opened, onClose, title, children, confirmLabel, color = 'red', onConfirm }: ConfirmModalProps) {
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function close() {
    if (submitting) return;
    onClose();
    window.setTimeout(() => setError(null), 200);
  }

  async function confirm() {
    setError(null);
    setSubmitting(true);
    try {
      await onConfirm();
      setSubmitting(false);
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setSubmitting(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <Stack gap="md">
        {children}
        <FormError>{error}</FormError>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={submitting}>
            Cancel
          </Button>
          <Button color={color} onClick={() => void confirm()} loading={submitting} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
