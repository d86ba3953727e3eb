import { Badge, Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconInfoCircle } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import type { CreateOrderResponse, Order, OrganizationSummary, Product, TeamsResponse } from '@allot/contract';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { SearchableSelect } from '../../components/SearchableSelect';
import { useApiResource } from '../../hooks/use-api-resource';
import { applyServerError } from '../../lib/form-errors';
import { pluralize } from '../../lib/format';

type AddOrderModalProps = {
  opened: boolean;
  onClose: () => void;
  organizations: OrganizationSummary[];
  products: Product[] | null;
  /** Preselected organization (the list's filter). */
  initialOrganizationId: string | null;
  onAdded: (order: Order) => void;
};

type OrderValues = {
  reference: string;
  organizationId: string | null;
  productCode: string | null;
  quantity: number | string;
  validUntil: string | null;
  teamId: string | null;
  renewsReference: string;
};

export function AddOrderModal({ opened, onClose, organizations, products, initialOrganizationId, onAdded }: AddOrderModalProps) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<OrderValues>({
    initialValues: blankOrder(initialOrganizationId),
    validate: {
      reference: (value) => (value.trim() ? (value.trim().length > 100 ? 'Use at most 100 characters.' : null) : 'Enter the order reference.'),
      organizationId: isNotEmpty('Choose the organization that bought the licenses.'),
      productCode: isNotEmpty('Choose a product.'),
      quantity: (value) => (typeof value === 'number' && Number.isInteger(value) && value >= 1 ? null : 'Enter how many licenses, at least 1.'),
      validUntil: (value) => {
        if (!value) return 'Choose the date the licenses end.';
        return dayjs(value).isAfter(dayjs(), 'day') ? null : 'Choose a date in the future.';
      },
    },
    onValuesChange: (values, previous) => {
      if (values.organizationId !== previous.organizationId && values.teamId !== null) form.setFieldValue('teamId', null);
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(blankOrder(initialOrganizationId));
    form.clearErrors();
    setError(null);
  }, [opened]);

  const organizationId = form.values.organizationId;
  const teams = useApiResource<TeamsResponse>(opened && organizationId ? `/organizations/${organizationId}/teams` : null);
  const teamItems = organizationId && teams.state.status === 'ready' ? teams.state.data.items : [];
  const reference = form.values.reference.trim();

  function close() {
    if (!form.submitting) onClose();
  }

  async function add(values: OrderValues) {
    setError(null);
    const renews = values.renewsReference.trim();
    try {
      const response = await api<CreateOrderResponse>('/orders', {
        method: 'POST',
        body: {
          reference: values.reference.trim(),
          organizationId: values.organizationId,
          productCode: values.productCode,
          quantity: Number(values.quantity),
          validUntil: values.validUntil,
          ...(values.teamId ? { teamId: values.teamId } : {}),
          ...(renews ? { renewsReference: renews } : {}),
        },
      });
      const { order } = response;
      if (response.created) {
        notifications.show({
          color: 'teal',
          icon: <IconCheck size={18} />,
          title: `Order ${order.reference} added`,
          message: `${pluralize(order.quantity, 'license')} of ${order.productName} for ${order.organizationName}, in ${order.teamName ?? 'a new team'}.`,
        });
      } else {
        notifications.show({
          color: 'yellow',
          icon: <IconInfoCircle size={18} />,
          title: 'Order already recorded',
          message: `${order.reference} was added before, so nothing changed.`,
        });
      }
      onAdded(order);
      onClose();
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Add order" size="lg" centered>
      <form onSubmit={form.onSubmit(add)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Reference"
            description="Your unique order number. Sending the same reference again never adds licenses twice."
            placeholder="PO-2026-0042"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-autofocus
            {...form.getInputProps('reference')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <SearchableSelect
              label="Organization"
              placeholder="Choose an organization"
              data={organizations.map((organization) => ({ value: organization.id, label: organization.name }))}
              nothingFoundMessage="No such organization"
              {...form.getInputProps('organizationId')}
            />
            <SearchableSelect
              label="Product"
              placeholder={products === null ? 'Loading products…' : products.length === 0 ? 'Create a product first' : 'Choose a product'}
              data={(products ?? []).map((product) => ({ value: product.code, label: product.name }))}
              nothingFoundMessage="No such product"
              renderOption={({ option }) => (
                <Group justify="space-between" wrap="nowrap" w="100%" gap="sm">
                  <Text size="sm">{option.label}</Text>
                  <Badge size="xs" variant="light" color="gray" ff="monospace" tt="none">
                    {option.value}
                  </Badge>
                </Group>
              )}
              {...form.getInputProps('productCode')}
            />
            <NumberInput
              label="Quantity"
              description="How many licenses the order adds."
              min={1}
              max={100000}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              {...form.getInputProps('quantity')}
            />
            <DateField
              label="Valid until"
              minDate={dayjs().add(1, 'day').format('YYYY-MM-DD')}
              description="The last day the licenses work."
              {...form.getInputProps('validUntil')}
            />
          </SimpleGrid>
          <SearchableSelect
            label="Team"
            placeholder={organizationId ? (teams.state.status === 'loading' ? 'Loading teams…' : 'New team') : 'Choose an organization first'}
            disabled={!organizationId}
            clearable
            data={teamItems.map((team) => ({ value: team.id, label: team.name }))}
            nothingFoundMessage="This organization has no such team"
            description={`Optional. Leave empty to create a team named "Order ${reference || '<reference>'}".`}
            {...form.getInputProps('teamId')}
          />
          <TextInput
            label="Renews order"
            description="Optional. The reference of the order these licenses renew."
            placeholder="PO-2025-0017"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('renewsReference')}
          />
          <FormError>{error}</FormError>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function blankOrder(organizationId: string | null): OrderValues {
  return { reference: '', organizationId, productCode: null, quantity: 10, validUntil: null, teamId: null, renewsReference: '' };
}
