import { Badge, Button, Card, EmptyState, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconBuilding, IconCalendar, IconKey, IconLicense } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';
import type { MyLicense, MyLicensesResponse } from '../../api-types';
import { CopyValueButton } from '../../components/CopyField';
import { FormError } from '../../components/FormError';
import { formatDate, formatDateTime } from '../../lib/format';

type LicensesState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: MyLicense[] };

export function LicensesList() {
  const [state, setState] = useState<LicensesState>({ status: 'loading' });

  const load = useCallback(async (signal?: AbortSignal) => {
    setState({ status: 'loading' });
    try {
      const response = await api<MyLicensesResponse>('/me/licenses', signal ? { signal } : {});
      setState({ status: 'ready', items: response.items });
    } catch (error) {
      if (!signal?.aborted) setState({ status: 'error', message: errorMessage(error) });
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  if (state.status === 'loading') {
    return (
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" aria-busy aria-label="Loading licenses">
        <Skeleton height={132} radius="md" />
        <Skeleton height={132} radius="md" />
      </SimpleGrid>
    );
  }

  if (state.status === 'error') {
    return (
      <Stack gap="sm" align="flex-start">
        <FormError title="Could not load your licenses">{state.message}</FormError>
        <Button variant="default" onClick={() => void load()}>
          Try again
        </Button>
      </Stack>
    );
  }

  if (state.items.length === 0) {
    return (
      <Card padding="xl">
        <EmptyState
          icon={<IconLicense size={28} stroke={1.6} />}
          variant="light"
          title="No licenses yet"
          description="You have no licenses yet. When an administrator shares an invitation link with you, open it to claim a license."
          py="lg"
        />
      </Card>
    );
  }

  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      {state.items.map((license) => (
        <LicenseCard key={license.id} license={license} />
      ))}
    </SimpleGrid>
  );
}

function isExpired(validUntil: string): boolean {
  const time = new Date(validUntil).getTime();
  return Number.isFinite(time) && time < Date.now();
}

function LicenseCard({ license }: { license: MyLicense }) {
  const expired = isExpired(license.validUntil);
  return (
    <Card padding="lg" component="article" aria-label={license.productName}>
      <Stack gap="md">
        <Stack gap={6}>
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
            <Text fw={650} fz="xl" lh={1.25}>
              {license.productName}
            </Text>
            <Badge variant="light" color="gray" ff="monospace" tt="none" style={{ flexShrink: 0 }}>
              {license.productCode}
            </Badge>
          </Group>
          <Group gap={8} wrap="nowrap">
            <IconBuilding size={16} aria-hidden style={{ opacity: 0.6, flexShrink: 0 }} />
            <Text size="sm">
              {license.organizationName} · {license.teamName}
            </Text>
          </Group>
        </Stack>
        <Stack gap={6}>
          <Group gap={8} wrap="nowrap">
            <IconCalendar size={16} aria-hidden style={{ opacity: 0.6, flexShrink: 0 }} />
            <Text size="sm" fw={500}>
              {expired ? 'Expired' : 'Valid until'} {formatDate(license.validUntil)}
            </Text>
            {expired ? (
              <Badge color="red" variant="light" size="sm">
                Expired
              </Badge>
            ) : null}
          </Group>
          <Group gap={8} wrap="nowrap">
            <IconKey size={16} aria-hidden style={{ opacity: 0.6, flexShrink: 0 }} />
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {license.id}
            </Text>
            <CopyValueButton value={license.id} label="Copy license ID" />
          </Group>
        </Stack>
        <Text size="xs" c="dimmed" title={formatDateTime(license.assignedAt)}>
          Since {formatDate(license.assignedAt)}
        </Text>
      </Stack>
    </Card>
  );
}
