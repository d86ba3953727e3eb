import { Badge, Button, Group, Modal, NumberInput, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { hasLength, useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPackage, IconPencil, IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api, isApiError } from '../../api';
import type { Product, ProductsResponse } from '@allot/contract';
import { EmptyPanel } from '../../components/EmptyPanel';
import { FormError } from '../../components/FormError';
import { ListCard, ListCardBody } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { OperatorGate } from '../../components/OperatorGate';
import { PageHeader } from '../../components/PageHeader';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { useRetained } from '../../hooks/use-retained';
import { applyServerError } from '../../lib/form-errors';

export default function ProductsPage() {
  return (
    <OperatorGate>
      <Products />
    </OperatorGate>
  );
}

function Products() {
  const products = useApiResource<ProductsResponse>('/products');
  const [createOpened, create] = useDisclosure(false);
  const [editing, setEditing] = useState<Product | null>(null);
  const reload = () => void products.reload();

  return (
    <>
      <PageHeader
        title="Products"
        description="What this instance hands out licenses for. Orders name a product by its code."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            Create product
          </Button>
        }
      />
      {products.state.status === 'loading' ? (
        <ListCard title="All products">
          <ListCardBody>
            <TableSkeleton label="Loading products" rows={4} />
          </ListCardBody>
        </ListCard>
      ) : products.state.status === 'error' ? (
        <LoadError title="Could not load the products" message={products.state.message} onRetry={products.reload} />
      ) : (
        <ListCard title="All products" count={products.state.data.items.length}>
          {products.state.data.items.length === 0 ? (
            <EmptyPanel
              icon={<IconPackage size={28} stroke={1.6} />}
              title="No products yet"
              description="Create the products you sell licenses for, such as IntelliJ IDEA Ultimate, before adding orders."
            />
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="sm" highlightOnHover>
                <TableCaption>Products</TableCaption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Code</Table.Th>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Description</Table.Th>
                    <Table.Th ta="right">Machines per license</Table.Th>
                    <Table.Th w={100} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {products.state.data.items.map((product) => (
                    <Table.Tr key={product.id}>
                      <Table.Td>
                        <Badge variant="light" color="gray" ff="monospace" tt="none" radius="sm">
                          {product.code}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {product.name}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={product.description ? undefined : 'dimmed'} lineClamp={2} maw={420}>
                          {product.description ?? 'No description'}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm">{product.machineLimit}</Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Button size="xs" variant="subtle" leftSection={<IconPencil size={14} />} onClick={() => setEditing(product)}>
                          Edit
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </ListCard>
      )}
      <ProductModal mode="create" opened={createOpened} onClose={create.close} product={null} onSaved={reload} />
      <ProductModal mode="edit" opened={editing !== null} onClose={() => setEditing(null)} product={editing} onSaved={reload} />
    </>
  );
}

type ProductValues = { code: string; name: string; description: string; machineLimit: number | string };

type ProductModalProps = {
  mode: 'create' | 'edit';
  opened: boolean;
  onClose: () => void;
  /** The product to edit (null when creating). */
  product: Product | null;
  onSaved: () => void;
};

function ProductModal({ mode, opened, onClose, product, onSaved }: ProductModalProps) {
  // Keep the product while the dialog fades out after saving.
  const shown = useRetained(product);
  const editing = mode === 'edit';
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ProductValues>({
    initialValues: { code: '', name: '', description: '', machineLimit: 2 },
    validate: {
      code: (value) =>
        editing ? null : /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(value.trim()) ? null : 'Use 1–32 letters, digits, dots, dashes or underscores.',
      name: hasLength({ min: 1, max: 200 }, 'Enter a name of up to 200 characters.'),
      description: hasLength({ max: 2000 }, 'Keep the description under 2,000 characters.'),
      machineLimit: (value) =>
        Number.isInteger(Number(value)) && Number(value) >= 1 && Number(value) <= 1000 ? null : 'Enter a whole number from 1 to 1,000.',
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues({ code: product?.code ?? '', name: product?.name ?? '', description: product?.description ?? '', machineLimit: product?.machineLimit ?? 2 });
    form.clearErrors();
    setError(null);
  }, [opened]);

  function close() {
    if (!form.submitting) onClose();
  }

  async function save(values: ProductValues) {
    setError(null);
    const description = values.description.trim() || undefined;
    try {
      if (editing && shown) {
        const updated = await api<Product>(`/products/${shown.id}`, {
          method: 'PATCH',
          body: { name: values.name.trim(), description: description ?? null, machineLimit: Number(values.machineLimit) },
        });
        notifications.show({ color: 'teal', icon: <IconCheck size={18} />, title: 'Product updated', message: `${updated.name} is saved.` });
      } else {
        const created = await api<Product>('/products', {
          method: 'POST',
          body: { code: values.code.trim(), name: values.name.trim(), machineLimit: Number(values.machineLimit), ...(description ? { description } : {}) },
        });
        notifications.show({
          color: 'teal',
          icon: <IconCheck size={18} />,
          title: 'Product created',
          message: `Orders can now use the code ${created.code}.`,
        });
      }
      onSaved();
      onClose();
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'PRODUCT_CODE_TAKEN') form.setFieldError('code', caught.message);
      else setError(applyServerError(form, caught));
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={editing ? `Edit ${shown?.name ?? 'product'}` : 'Create product'} centered>
      <form onSubmit={form.onSubmit(save)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Code"
            description={
              editing ? 'Codes cannot change: orders and integrations refer to them.' : 'A short, permanent identifier used in orders and the API, like IIU.'
            }
            placeholder="IIU"
            disabled={editing}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-autofocus={editing ? undefined : true}
            {...form.getInputProps('code')}
          />
          <TextInput label="Name" placeholder="IntelliJ IDEA Ultimate" data-autofocus={editing ? true : undefined} {...form.getInputProps('name')} />
          <Textarea label="Description" description="Optional." autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
          <NumberInput
            label="Machines per license"
            description="How many machines one person may activate the product on at once. Lowering it does not deactivate machines already active."
            min={1}
            max={1000}
            allowDecimal={false}
            {...form.getInputProps('machineLimit')}
          />
          <FormError>{error}</FormError>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {editing ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
