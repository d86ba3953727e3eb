import { Button, Checkbox, Group, Modal, NumberInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import type { Invitation } from '@allot/contract';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { applyServerError } from '../../lib/form-errors';
import { endOfDay, parseMaxClaims, validateMaxClaims } from '../../lib/invitations';
import { DOMAINS_DESCRIPTION, DOMAINS_PLACEHOLDER } from './CreateInvitationModal';

type EditInvitationModalProps = {
  opened: boolean;
  onClose: () => void;
  invitation: Invitation;
  onSaved: (invitation: Invitation) => void;
};

type EditValues = {
  name: string;
  noExpiry: boolean;
  /** `YYYY-MM-DD`, the last day the link works. */
  activeUntil: string | null;
  allowedDomains: string;
  maxClaims: number | string;
};

function valuesOf(invitation: Invitation): EditValues {
  return {
    name: invitation.name ?? '',
    noExpiry: invitation.expiresAt === null,
    activeUntil: invitation.expiresAt ? dayjs(invitation.expiresAt).format('YYYY-MM-DD') : null,
    allowedDomains: invitation.allowedDomains.join(', '),
    maxClaims: invitation.maxClaims ?? '',
  };
}

type InvitationPatch = {
  name?: string | null;
  expiresAt?: string | null;
  allowedDomains?: string;
  maxClaims?: number | null;
};

/** The fields that changed, so an untouched date keeps its exact time. */
function changesFrom(initial: EditValues, values: EditValues): InvitationPatch {
  const patch: InvitationPatch = {};
  const name = values.name.trim();
  if (name !== initial.name) patch.name = name || null;
  if (values.noExpiry !== initial.noExpiry || (!values.noExpiry && values.activeUntil !== initial.activeUntil)) {
    patch.expiresAt = values.noExpiry || !values.activeUntil ? null : endOfDay(values.activeUntil);
  }
  const domains = values.allowedDomains.trim();
  if (domains !== initial.allowedDomains) patch.allowedDomains = domains;
  if (values.maxClaims !== initial.maxClaims) patch.maxClaims = parseMaxClaims(values.maxClaims);
  return patch;
}

/** Edit: name, how long the link works, who may claim and how many times. */
export function EditInvitationModal({ opened, onClose, invitation, onSaved }: EditInvitationModalProps) {
  const [error, setError] = useState<string | null>(null);
  // What the dialog opened with: a date already in the past may stay as it is.
  const initial = useRef(valuesOf(invitation));
  const form = useForm<EditValues>({
    initialValues: valuesOf(invitation),
    validate: {
      name: (value) => (value.trim().length > 200 ? 'Use at most 200 characters.' : null),
      activeUntil: (value, values) => {
        if (values.noExpiry) return null;
        if (!value) return 'Choose the last day the link works, or tick No expiry.';
        const unchanged = value === initial.current.activeUntil;
        return !unchanged && dayjs(value).isBefore(dayjs(), 'day') ? 'Choose today or a later day.' : null;
      },
      maxClaims: validateMaxClaims,
    },
  });

  useEffect(() => {
    if (!opened) return;
    const values = valuesOf(invitation);
    initial.current = values;
    form.setValues(values);
    form.clearErrors();
    setError(null);
  }, [opened]);

  function close() {
    if (!form.submitting) onClose();
  }

  async function save(values: EditValues) {
    setError(null);
    const patch = changesFrom(initial.current, values);
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    try {
      const updated = await api<Invitation>(`/invitations/${invitation.id}`, { method: 'PATCH', body: patch });
      onSaved(updated);
      onClose();
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Edit invitation" size="lg" centered>
      <form onSubmit={form.onSubmit(save)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Name"
            description="For future reference. People who open the link see it too."
            placeholder={`${invitation.productName} for ${invitation.teamName}`}
            maxLength={200}
            data-autofocus
            {...form.getInputProps('name')}
          />
          <Stack gap={8}>
            <DateField
              label="Active until"
              description="The link works until the end of this day."
              minDate={dayjs().format('YYYY-MM-DD')}
              maw={260}
              disabled={form.values.noExpiry}
              {...form.getInputProps('activeUntil')}
            />
            <Checkbox label="No expiry" {...form.getInputProps('noExpiry', { type: 'checkbox' })} />
          </Stack>
          <TextInput
            label="Allowed email domains"
            description={`${DOMAINS_DESCRIPTION} Leave empty to allow every verified address.`}
            placeholder={DOMAINS_PLACEHOLDER}
            autoCapitalize="off"
            spellCheck={false}
            {...form.getInputProps('allowedDomains')}
          />
          <NumberInput
            label="Maximum claims"
            description={`Optional. ${invitation.claims} claimed so far; the link stops working at this number.`}
            placeholder="No limit"
            min={1}
            max={100000}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            styles={{ wrapper: { maxWidth: 200 } }}
            {...form.getInputProps('maxClaims')}
          />
          <FormError>{error}</FormError>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
