import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api';
import type { IssuedTicket, MyLicense } from '@allot/contract';
import { FormError } from '../../components/FormError';
import { applyServerError } from '../../lib/form-errors';
import { formatDate } from '../../lib/format';

const MACHINE_FIELD_MAX_LENGTH = 200;

type OfflineCodeValues = { machineId: string; machineName: string };

type OfflineCodeModalProps = {
  license: Pick<MyLicense, 'id' | 'productName'>;
  opened: boolean;
  onClose: () => void;
  /** The machine now holds a seat: lets the card show it. */
  onIssued: () => Promise<void>;
};

/** Issues a signed activation code for a machine that never reaches this server. */
export function OfflineCodeModal({ license, opened, onClose, onIssued }: OfflineCodeModalProps) {
  const [issued, setIssued] = useState<IssuedTicket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<OfflineCodeValues>({
    initialValues: { machineId: '', machineName: '' },
    validate: {
      machineId: (value: string) => (value.trim() ? null : 'Enter the machine ID the product shows.'),
    },
  });

  function close() {
    // A code being issued takes a seat: closing now would hide it, and a late answer would show
    // up the next time the dialog opens, for another machine.
    if (form.submitting) return;
    onClose();
    // Reset after the closing transition so the content does not jump while fading out.
    window.setTimeout(() => {
      form.reset();
      setIssued(null);
      setError(null);
    }, 200);
  }

  async function issue({ machineId, machineName }: OfflineCodeValues) {
    setError(null);
    const name = machineName.trim();
    try {
      const ticket = await api<IssuedTicket>(`/me/licenses/${encodeURIComponent(license.id)}/offline-code`, {
        method: 'POST',
        body: { machineId: machineId.trim(), ...(name ? { machineName: name } : {}) },
      });
      setIssued(ticket);
      await onIssued();
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  return (
    <Modal
      opened={opened}
      onClose={close}
      title="Offline activation code"
      centered
      size="lg"
      closeOnEscape={!form.submitting}
      closeOnClickOutside={!form.submitting}
      withCloseButton={!form.submitting}
    >
      {issued ? (
        <Stack gap="md">
          <Text size="sm">Enter this code into {license.productName} on the machine. It activates there without a network connection.</Text>
          <Textarea
            label="Offline activation code"
            value={issued.ticket}
            readOnly
            autosize
            minRows={3}
            maxRows={10}
            onFocus={(event) => event.currentTarget.select()}
            styles={{
              input: {
                fontFamily: 'var(--mantine-font-family-monospace)',
                fontSize: 'var(--mantine-font-size-xs)',
                wordBreak: 'break-all',
              },
            }}
          />
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
            {`An offline code cannot be recalled: it works on that machine until ${formatDate(issued.expiresAt)}, even if the license is revoked or you deactivate the machine. Renewals need a new code.`}
          </Alert>
          <Group justify="flex-end" gap="sm">
            <CopyButton value={issued.ticket} timeout={2000}>
              {({ copied, copy }) => (
                <Button
                  variant="default"
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                >
                  {copied ? 'Copied' : 'Copy code'}
                </Button>
              )}
            </CopyButton>
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit(issue)} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              For a machine that cannot reach this server. The code activates {license.productName} on that one machine and uses one of the license&apos;s
              seats.
            </Text>
            <TextInput
              label="Machine ID"
              description={
                <>
                  Shown by the product on the machine without network, e.g. <Code>allot-demo-product status</Code>.
                </>
              }
              maxLength={MACHINE_FIELD_MAX_LENGTH}
              autoComplete="off"
              spellCheck={false}
              data-autofocus
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              {...form.getInputProps('machineId')}
            />
            <TextInput
              label="Machine name"
              description="Optional. Shown on your account page, so you can tell your machines apart."
              placeholder="e.g. Lab workstation"
              maxLength={MACHINE_FIELD_MAX_LENGTH}
              autoComplete="off"
              {...form.getInputProps('machineName')}
            />
            <FormError>{error}</FormError>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} disabled={form.submitting}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Get offline code
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
