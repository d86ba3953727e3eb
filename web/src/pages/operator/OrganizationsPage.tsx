import { Badge, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { hasLength, isEmail, useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconBuildings, IconCheck, IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, errorMessage } from '../../api';
import type { CreatedOrganization, OrganizationSummary } from '@allot/contract';
import { CopyValueButton } from '../../components/CopyField';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { EmptyPanel } from '../../components/EmptyPanel';
import { FormError } from '../../components/FormError';
import { ListCard, ListCardBody } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { OperatorGate } from '../../components/OperatorGate';
import { PageHeader } from '../../components/PageHeader';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useOrganizations } from '../../layout/current-organization';
import { applyServerError } from '../../lib/form-errors';
import { ACCESS_COLORS, ACCESS_LABELS } from '../../lib/roles';

export default function OrganizationsPage() {
  return (
    <OperatorGate>
      <Organizations />
    </OperatorGate>
  );
}

function Organizations() {
  const { state, organizations, reload, select } = useOrganizations();
  const navigate = useNavigate();
  const [createOpened, create] = useDisclosure(false);
  const [search, setSearch] = useState('');

  // The shell loaded the list when it opened; fetch it again for an up-to-date view.
  useEffect(() => {
    void reload();
  }, [reload]);

  const wanted = search.trim().toLowerCase();
  const shown = wanted ? organizations.filter((organization) => organization.name.toLowerCase().includes(wanted)) : organizations;

  function open(organization: OrganizationSummary) {
    select(organization.id);
    void navigate('/licenses');
  }

  return (
    <>
      <PageHeader
        title="Organizations"
        description="Every customer organization on this instance. Each one gets its own teams, licenses and administrators."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            Create organization
          </Button>
        }
      />
      {state.status === 'loading' ? (
        <ListCard title="All organizations">
          <ListCardBody>
            <TableSkeleton label="Loading organizations" rows={4} />
          </ListCardBody>
        </ListCard>
      ) : state.status === 'error' ? (
        <LoadError title="Could not load the organizations" message={errorMessage(state.error)} onRetry={reload} />
      ) : (
        <ListCard
          title="All organizations"
          count={organizations.length}
          actions={
            organizations.length > 5 ? (
              <TextInput
                aria-label="Search by name"
                placeholder="Search by name"
                leftSection={<IconSearch size={16} />}
                value={search}
                onChange={(event) => setSearch(event.currentTarget.value)}
                w={240}
              />
            ) : null
          }
        >
          {organizations.length === 0 ? (
            <EmptyPanel
              icon={<IconBuildings size={28} stroke={1.6} />}
              title="No organizations yet"
              description="Create one for each customer. Its first administrator gets an email invitation."
            />
          ) : shown.length === 0 ? (
            <EmptyPanel
              icon={<IconSearch size={28} stroke={1.6} />}
              color="gray"
              title="No matches"
              description={`No organization is called anything like "${search.trim()}".`}
            />
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="sm" highlightOnHover>
                <TableCaption>Organizations</TableCaption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Your access</Table.Th>
                    <Table.Th>ID</Table.Th>
                    <Table.Th w={100} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((organization) => (
                    <Table.Tr key={organization.id}>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {organization.name}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge size="sm" variant="light" color={ACCESS_COLORS[organization.access]}>
                          {ACCESS_LABELS[organization.access]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={2} wrap="nowrap">
                          <Text size="xs" ff="monospace" c="dimmed">
                            {organization.id}
                          </Text>
                          <CopyValueButton value={organization.id} label="Copy ID" />
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Button size="xs" variant="subtle" onClick={() => open(organization)}>
                          Open
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
      <CreateOrganizationModal opened={createOpened} onClose={create.close} onCreated={() => void reload()} />
    </>
  );
}

type CreateValues = { name: string; adminEmail: string };

function CreateOrganizationModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ organization: CreatedOrganization; adminEmail: string } | null>(null);
  const form = useForm<CreateValues>({
    initialValues: { name: '', adminEmail: '' },
    validate: {
      name: hasLength({ min: 1, max: 100 }, 'Enter a name of up to 100 characters.'),
      adminEmail: isEmail('Enter a valid email address.'),
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.reset();
    setError(null);
    setCreated(null);
  }, [opened]);

  function close() {
    if (!form.submitting) onClose();
  }

  async function submit(values: CreateValues) {
    setError(null);
    const adminEmail = values.adminEmail.trim();
    try {
      const organization = await api<CreatedOrganization>('/organizations', {
        method: 'POST',
        body: { name: values.name.trim(), adminEmail },
      });
      setCreated({ organization, adminEmail });
      onCreated();
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={18} />,
        title: 'Organization created',
        message: `We emailed ${adminEmail} an invitation to administer ${organization.name}.`,
      });
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={created ? 'Organization created' : 'Create organization'} centered>
      {created ? (
        <Stack gap="md">
          <Text size="sm">
            <strong>{created.organization.name}</strong> is ready. We emailed <strong>{created.adminEmail}</strong> an invitation to become its first
            Organization admin. Add an order to give it licenses.
          </Text>
          <DevMailboxNotice />
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit(submit)} noValidate>
          <Stack gap="md">
            <TextInput label="Organization name" placeholder="Initech" maxLength={100} data-autofocus {...form.getInputProps('name')} />
            <TextInput
              label="Admin email"
              type="email"
              placeholder="it-lead@initech.example"
              description="This person becomes the organization's first admin once they accept the emailed invitation."
              {...form.getInputProps('adminEmail')}
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
      )}
    </Modal>
  );
}
