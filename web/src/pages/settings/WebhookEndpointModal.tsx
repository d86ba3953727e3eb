import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import type { WebhookEndpoint, WebhookWithSecret } from '@allot/contract';
import { webhookEventDescriptions, webhookEventTypes, type WebhookEventType } from '@allot/contract/webhooks';
import { FormError } from '../../components/FormError';
import { applyServerError } from '../../lib/form-errors';

type Values = { url: string; description: string; events: WebhookEventType[] };

type Props = {
  opened: boolean;
  onClose: () => void;
  /** Registers a new endpoint in this organization, or edits `endpoint`. */
  organizationId: string;
  endpoint?: WebhookEndpoint;
  onSaved: (saved: WebhookEndpoint | WebhookWithSecret) => Promise<void> | void;
};

/** The URL, a description and the events wanted: for a new endpoint or an existing one. */
export function WebhookEndpointModal({ opened, onClose, organizationId, endpoint, onSaved }: Props) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { url: '', description: '', events: [...webhookEventTypes] },
    validate: {
      url: (value) => (/^https?:\/\/\S+$/i.test(value.trim()) ? null : 'Enter the http(s) URL that receives the events.'),
      events: (value) => (value.length === 0 ? 'Choose at least one event.' : null),
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(
      endpoint
        ? { url: endpoint.url, description: endpoint.description ?? '', events: [...endpoint.events] }
        : { url: '', description: '', events: [...webhookEventTypes] },
    );
    form.clearErrors();
    setError(null);
    // Only when the dialog opens: typing must not be reset by a new endpoint object.
  }, [opened]);

  async function save(values: Values) {
    setError(null);
    const body = { url: values.url.trim(), events: values.events, description: values.description.trim() || (endpoint ? null : undefined) };
    try {
      const saved = endpoint
        ? await api<WebhookEndpoint>(`/webhooks/${endpoint.id}`, { method: 'PATCH', body })
        : await api<WebhookWithSecret>(`/organizations/${organizationId}/webhooks`, { method: 'POST', body });
      onClose();
      await onSaved(saved);
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  const allChosen = form.values.events.length === webhookEventTypes.length;

  return (
    <Modal opened={opened} onClose={() => !form.submitting && onClose()} title={endpoint ? 'Edit endpoint' : 'Add endpoint'} size="xl" centered>
      <form onSubmit={form.onSubmit(save)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Endpoint URL"
            description="Events are POSTed here as JSON, signed as Standard Webhooks describes."
            placeholder="https://hooks.example.com/allot"
            data-autofocus
            {...form.getInputProps('url')}
          />
          <TextInput label="Description" placeholder="Optional, e.g. “#licenses channel”" maxLength={200} {...form.getInputProps('description')} />
          <Checkbox.Group label="Events" {...form.getInputProps('events')}>
            <Group mt={6} mb="xs">
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => form.setFieldValue('events', allChosen ? [] : [...webhookEventTypes])}
                aria-label={allChosen ? 'Choose no event' : 'Choose every event'}
              >
                {allChosen ? 'None' : 'All'}
              </Button>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              {webhookEventTypes.map((type) => (
                <Checkbox
                  key={type}
                  value={type}
                  label={
                    <Text size="sm" ff="monospace">
                      {type}
                    </Text>
                  }
                  description={webhookEventDescriptions[type]}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <FormError>{error}</FormError>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {endpoint ? 'Save' : 'Add endpoint'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
