import { Alert, Badge, Button, Group, Modal, ScrollArea, Stack, Table, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCircleCheck, IconAlertTriangle, IconCircleX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import type { AssignmentResult, AssignResponse, Team } from '@allot/contract';
import { CopyValueButton } from '../../components/CopyField';
import { FormError } from '../../components/FormError';
import { SearchableSelect } from '../../components/SearchableSelect';
import { parseEmailList } from '../../lib/emails';
import { applyServerError } from '../../lib/form-errors';
import { formatNumber, pluralize } from '../../lib/format';

const MAX_ADDRESSES = 1000;

const FAILURE_TEXT: Record<string, string> = {
  NO_ASSETS_LEFT: 'No assets left',
  INVALID_EMAIL: 'Not a valid email address',
  LICENSE_ALREADY_HELD: 'Already holds a license for this product',
};

type AssignLicensesModalProps = {
  opened: boolean;
  onClose: () => void;
  /** Teams the person may assign from. */
  teams: Team[];
  /** Preselected team (the team page, or the team filter). */
  initialTeamId?: string | null;
  /** On a team's page the team cannot be changed. */
  lockTeam?: boolean;
  initialProductId?: string | null;
  /** Called after licenses were assigned, so the list behind can refresh. */
  onAssigned: () => void;
};

type AssignValues = { teamId: string | null; productId: string | null; emails: string };

export function AssignLicensesModal({ opened, onClose, teams, initialTeamId, lockTeam = false, initialProductId, onAssigned }: AssignLicensesModalProps) {
  const [results, setResults] = useState<AssignmentResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const startTeamId = initialTeamId && teams.some((team) => team.id === initialTeamId) ? initialTeamId : teams.length === 1 ? (teams[0]?.id ?? null) : null;
  const form = useForm<AssignValues>({
    initialValues: { teamId: startTeamId, productId: defaultProductFor(startTeamId, initialProductId), emails: '' },
    validate: {
      teamId: (value) => (value ? null : 'Choose a team.'),
      productId: (value) => (value ? null : 'Choose a product.'),
      emails: (value) => {
        const count = parseEmailList(value).length;
        if (count === 0) return 'Paste at least one email address.';
        if (count > MAX_ADDRESSES) return `Assign at most ${formatNumber(MAX_ADDRESSES)} addresses at a time.`;
        return null;
      },
    },
    onValuesChange: (values, previous) => {
      if (values.teamId !== previous.teamId) form.setFieldValue('productId', defaultProductFor(values.teamId, null));
    },
  });

  const team = teams.find((candidate) => candidate.id === form.values.teamId) ?? null;
  const product = team?.products.find((candidate) => candidate.productId === form.values.productId) ?? null;
  const emails = parseEmailList(form.values.emails);

  function defaultProductFor(teamId: string | null, wanted: string | null | undefined): string | null {
    const products = teams.find((candidate) => candidate.id === teamId)?.products ?? [];
    if (wanted && products.some((candidate) => candidate.productId === wanted)) return wanted;
    return products.length === 1 ? (products[0]?.productId ?? null) : null;
  }

  function reset() {
    form.setValues({ teamId: startTeamId, productId: defaultProductFor(startTeamId, initialProductId), emails: '' });
    form.resetDirty();
    form.clearErrors();
    setResults(null);
    setError(null);
  }

  // Start fresh each time the dialog opens (the team filter or the teams may have changed);
  // `reset` reads the latest props, and must not run again while the dialog stays open.
  useEffect(() => {
    if (opened) reset();
  }, [opened]);

  function close() {
    if (form.submitting) return;
    onClose();
  }

  async function assign(values: AssignValues) {
    setError(null);
    try {
      const response = await api<AssignResponse>(`/teams/${values.teamId}/assignments`, {
        method: 'POST',
        body: { productId: values.productId, emails: parseEmailList(values.emails) },
      });
      setResults(response.results);
      const assigned = response.results.filter((result) => result.status === 'assigned').length;
      if (assigned > 0) {
        onAssigned();
        notifications.show({
          color: 'teal',
          icon: <IconCheck size={18} />,
          title: `${pluralize(assigned, 'license')} assigned`,
          message: 'People without an account get an email inviting them to sign up.',
        });
      }
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  function retryFailed() {
    const failed = (results ?? []).filter((result) => result.status === 'failed').map((result) => result.email);
    form.setFieldValue('emails', failed.join('\n'));
    setResults(null);
  }

  const productOptions = (team?.products ?? []).map((candidate) => ({ value: candidate.productId, label: candidate.productName }));
  const freeCounts = new Map((team?.products ?? []).map((candidate) => [candidate.productId, candidate.free]));

  return (
    <Modal opened={opened} onClose={close} title={results ? 'Assignment results' : 'Assign licenses'} size="lg" centered>
      {results ? (
        <AssignmentResults results={results} onRetryFailed={retryFailed} onDone={close} />
      ) : (
        <form onSubmit={form.onSubmit(assign)} noValidate>
          <Stack gap="md">
            <Group grow align="flex-start" gap="md" wrap="wrap" style={{ rowGap: 'var(--mantine-spacing-md)' }}>
              <SearchableSelect
                label="Team"
                placeholder={teams.length === 0 ? 'No team you can manage' : 'Choose a team'}
                data={teams.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
                disabled={lockTeam}
                miw={200}
                {...form.getInputProps('teamId')}
              />
              <SearchableSelect
                label="Product"
                placeholder={team ? 'Choose a product' : 'Choose a team first'}
                disabled={!team}
                data={productOptions}
                nothingFoundMessage={team ? 'This team has no licenses yet' : 'Choose a team first'}
                renderOption={({ option }) => {
                  const free = freeCounts.get(option.value) ?? 0;
                  return (
                    <Group justify="space-between" wrap="nowrap" w="100%" gap="sm">
                      <Text size="sm">{option.label}</Text>
                      <Badge size="sm" variant="light" color={free > 0 ? 'teal' : 'red'} style={{ flexShrink: 0 }}>
                        {formatNumber(free)} free
                      </Badge>
                    </Group>
                  );
                }}
                description={product ? `${formatNumber(product.free)} of ${formatNumber(product.total)} free in this team` : undefined}
                miw={200}
                {...form.getInputProps('productId')}
              />
            </Group>
            {team && team.products.length === 0 ? (
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
                {team.name} holds no licenses yet. An operator adds them with an order, or you can transfer some here.
              </Alert>
            ) : null}
            <Textarea
              label="Email addresses"
              description="Separate addresses with commas, spaces or new lines. Up to 1,000 at a time."
              placeholder={'ada@example.com, grace@example.com\nlinus@example.com'}
              autosize
              minRows={5}
              maxRows={12}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-sm)' } }}
              {...form.getInputProps('emails')}
            />
            <Group justify="space-between" gap="xs" mt={-8}>
              <Text size="xs" c="dimmed" aria-live="polite">
                {emails.length === 0 ? 'No addresses yet' : pluralize(emails.length, 'address', 'addresses')}
              </Text>
              {product && emails.length > product.free ? (
                <Text size="xs" c="orange.7" fw={500}>
                  Only {pluralize(product.free, 'license is', 'licenses are')} free: {formatNumber(emails.length - product.free)} will not get one.
                </Text>
              ) : null}
            </Group>
            <FormError>{error}</FormError>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} disabled={form.submitting}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting} disabled={teams.length === 0}>
                Assign
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function AssignmentResults({ results, onRetryFailed, onDone }: { results: AssignmentResult[]; onRetryFailed: () => void; onDone: () => void }) {
  const assigned = results.filter((result) => result.status === 'assigned').length;
  const failed = results.length - assigned;
  const invited = results.filter((result) => result.status === 'assigned' && result.pendingAccount).length;
  const failedEmails = results
    .filter((result) => result.status === 'failed')
    .map((result) => result.email)
    .join('\n');
  const color = failed === 0 ? 'teal' : assigned === 0 ? 'red' : 'yellow';

  return (
    <Stack gap="md">
      <Alert
        color={color}
        variant="light"
        icon={failed === 0 ? <IconCircleCheck size={18} /> : <IconAlertTriangle size={18} />}
        title={`${formatNumber(assigned)} assigned, ${formatNumber(failed)} failed`}
        role="status"
      >
        {failed === 0 ? 'Everyone on the list has a license now.' : 'The addresses in red did not get a license.'}
        {invited > 0
          ? ` ${pluralize(invited, 'address has', 'addresses have')} no account yet: we emailed an invitation, and the license waits for them.`
          : null}
      </Alert>
      <ScrollArea.Autosize mah={340} type="auto">
        <Table verticalSpacing={6} aria-label="Assignment results" stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th>Result</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.map((result) => {
              const ok = result.status === 'assigned';
              return (
                <Table.Tr key={result.email} bg={ok ? 'var(--mantine-color-teal-light)' : 'var(--mantine-color-red-light)'}>
                  <Table.Td>
                    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {result.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {ok ? (
                        <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" aria-hidden style={{ flexShrink: 0 }} />
                      ) : (
                        <IconCircleX size={16} color="var(--mantine-color-red-6)" aria-hidden style={{ flexShrink: 0 }} />
                      )}
                      <Text size="sm" c={ok ? 'teal.8' : 'red.8'} fw={500}>
                        {ok ? (result.pendingAccount ? 'Assigned, invitation sent' : 'Assigned') : failureText(result)}
                      </Text>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      <Group justify="space-between" gap="sm">
        {failed > 0 ? (
          <Group gap={4}>
            <Button variant="default" onClick={onRetryFailed}>
              Edit failed addresses
            </Button>
            <CopyValueButton value={failedEmails} label="Copy failed addresses" />
          </Group>
        ) : (
          <span />
        )}
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

function failureText(result: AssignmentResult): string {
  if (result.message) return result.message;
  return (result.code && FAILURE_TEXT[result.code]) || 'Not assigned';
}
