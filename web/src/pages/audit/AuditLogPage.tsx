import { ActionIcon, Anchor, Badge, Button, Code, Group, Select, Stack, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconFilterOff, IconHistory, IconSearch } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { Fragment, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiHref } from '../../api';
import type { AuditEvent, OrganizationSummary, TeamsResponse } from '@allot/contract';
import { DateRangeField } from '../../components/DateField';
import { DebouncedTextInput } from '../../components/DebouncedTextInput';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { ListCard, ListCardBody } from '../../components/ListCard';
import { LoadError } from '../../components/LoadError';
import { LoadMore } from '../../components/LoadMore';
import { OrganizationGate } from '../../components/OrganizationGate';
import { PageHeader } from '../../components/PageHeader';
import { RelativeTime } from '../../components/RelativeTime';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useApiResource } from '../../hooks/use-api-resource';
import { useCursorList } from '../../hooks/use-cursor-list';
import { useUpdateSearchParams } from '../../hooks/use-update-search-params';
import { AUDIT_ACTION_GROUPS, AUDIT_ACTION_LABELS, auditActionColor, auditActionLabel } from '../../lib/audit-actions';

export default function AuditLogPage() {
  return <OrganizationGate>{(organization) => <AuditLog organization={organization} />}</OrganizationGate>;
}

type AuditFilters = { actor: string; action: string | null; teamId: string | null; from: string | null; to: string | null };

function readFilters(params: URLSearchParams): AuditFilters {
  return {
    actor: params.get('actor') ?? '',
    action: params.get('action') || null,
    teamId: params.get('team') || null,
    from: params.get('from') || null,
    to: params.get('to') || null,
  };
}

const PARAM: Record<keyof AuditFilters, string> = { actor: 'actor', action: 'action', teamId: 'team', from: 'from', to: 'to' };

/** Calendar days in the address bar; the API gets the matching instants in the viewer's time zone. */
function auditQuery(filters: AuditFilters): Record<string, string | undefined> {
  return {
    actor: filters.actor.trim() || undefined,
    action: filters.action ?? undefined,
    teamId: filters.teamId ?? undefined,
    from: filters.from ? dayjs(filters.from).startOf('day').toISOString() : undefined,
    to: filters.to ? dayjs(filters.to).endOf('day').toISOString() : undefined,
  };
}

const ACTION_OPTIONS = AUDIT_ACTION_GROUPS.map(({ group, actions }) => ({
  group,
  items: actions.map((action) => ({ value: action, label: AUDIT_ACTION_LABELS[action] })),
}));

function AuditLog({ organization }: { organization: OrganizationSummary }) {
  const [params, setParams] = useSearchParams();
  const updateParams = useUpdateSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const query = auditQuery(filters);
  const events = useCursorList<AuditEvent>(`/organizations/${organization.id}/audit`, query);
  const teams = useApiResource<TeamsResponse>(`/organizations/${organization.id}/teams`);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());

  function setFilters(patch: Partial<AuditFilters>) {
    updateParams((next) => {
      for (const [key, value] of Object.entries(patch) as Array<[keyof AuditFilters, string | null]>) {
        if (value) next.set(PARAM[key], value);
        else next.delete(PARAM[key]);
      }
    });
  }

  function toggle(id: number) {
    setExpanded((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  const filtered = Object.values(query).some((value) => value !== undefined);
  const teamOptions = teams.state.status === 'ready' ? teams.state.data.items.map((team) => ({ value: team.id, label: team.name })) : [];

  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Everything that changed in ${organization.name}: who did it, when, and from where.`}
        actions={<ExportCsvButton href={apiHref(`/organizations/${organization.id}/audit/export.csv`, query)} />}
      />
      <ListCard title="Events">
        <Group gap="sm" px="md" pb="md" align="flex-end" role="search" aria-label="Audit log filters">
          <DebouncedTextInput
            title="Filter by actor"
            aria-label="Filter by actor"
            placeholder="Actor name or email"
            leftSection={<IconSearch size={16} />}
            value={filters.actor}
            onChange={(actor) => setFilters({ actor })}
            style={{ flex: '1 1 200px' }}
            maw={{ base: '100%', xs: 280 }}
          />
          <Select
            title="Filter by action"
            aria-label="Filter by action"
            placeholder="All actions"
            data={ACTION_OPTIONS}
            value={filters.action}
            onChange={(action) => setFilters({ action })}
            clearable
            searchable
            nothingFoundMessage="No such action"
            maxDropdownHeight={320}
            style={{ flex: '1 1 190px' }}
            maw={{ base: '100%', xs: 260 }}
          />
          <Select
            title="Filter by team"
            aria-label="Filter by team"
            placeholder="All teams"
            data={teamOptions}
            value={filters.teamId}
            onChange={(teamId) => setFilters({ teamId })}
            clearable
            searchable
            nothingFoundMessage="No such team"
            style={{ flex: '1 1 170px' }}
            maw={{ base: '100%', xs: 240 }}
          />
          <DateRangeField
            title="Filter by date"
            aria-label="Filter by date"
            placeholder="Any date"
            value={[filters.from, filters.to]}
            onChange={([from, to]) => setFilters({ from, to })}
            style={{ flex: '1 1 230px' }}
            maw={{ base: '100%', xs: 300 }}
          />
          {filtered ? (
            <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={() => setParams({}, { replace: true })}>
              Clear filters
            </Button>
          ) : null}
        </Group>

        {events.state.status === 'loading' ? (
          <ListCardBody>
            <TableSkeleton label="Loading events" rows={8} rowHeight={30} />
          </ListCardBody>
        ) : events.state.status === 'error' ? (
          <ListCardBody>
            <LoadError title="Could not load the audit log" message={events.state.message} onRetry={events.reload} />
          </ListCardBody>
        ) : events.state.items.length === 0 ? (
          <EmptyPanel
            icon={filtered ? <IconSearch size={28} stroke={1.6} /> : <IconHistory size={28} stroke={1.6} />}
            color="gray"
            title={filtered ? 'No events match these filters' : 'No activity yet'}
            description={
              filtered
                ? 'Widen the date range or clear the filters to see more.'
                : 'Orders, assignments and changes to teams and administrators will be recorded here.'
            }
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing="xs" horizontalSpacing="sm" highlightOnHover>
                <TableCaption>Audit events</TableCaption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={40} />
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Actor</Table.Th>
                    <Table.Th>Action</Table.Th>
                    <Table.Th>Target</Table.Th>
                    <Table.Th>Team</Table.Th>
                    <Table.Th>IP address</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {events.state.items.map((event) => (
                    <AuditRow key={event.id} event={event} expanded={expanded.has(event.id)} onToggle={() => toggle(event.id)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <ListCardBody>
              <LoadMore
                shown={events.state.items.length}
                noun={events.state.items.length === 1 ? 'event' : 'events'}
                hasMore={events.state.nextCursor !== null}
                loading={events.state.loadingMore}
                onLoadMore={() => void events.loadMore()}
              />
            </ListCardBody>
          </>
        )}
      </ListCard>
    </>
  );
}

function AuditRow({ event, expanded, onToggle }: { event: AuditEvent; expanded: boolean; onToggle: () => void }) {
  const details = event.details ? Object.entries(event.details) : [];
  const detailsId = `audit-details-${event.id}`;
  return (
    <Fragment>
      <Table.Tr>
        <Table.Td>
          {details.length > 0 ? (
            <ActionIcon
              variant="subtle"
              color="gray"
              onClick={onToggle}
              aria-expanded={expanded}
              aria-controls={detailsId}
              aria-label={expanded ? 'Hide details' : 'Show details'}
            >
              {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
            </ActionIcon>
          ) : null}
        </Table.Td>
        <Table.Td>
          <RelativeTime value={event.createdAt} />
        </Table.Td>
        <Table.Td>
          <Text size="sm" fw={500} c={event.actorUserId ? undefined : 'dimmed'}>
            {event.actorLabel}
          </Text>
        </Table.Td>
        <Table.Td>
          <Stack gap={2}>
            <Badge variant="light" color={auditActionColor(event.action)} size="sm" tt="none" style={{ whiteSpace: 'nowrap' }}>
              {auditActionLabel(event.action)}
            </Badge>
            <Text size="xs" c="dimmed" ff="monospace">
              {event.action}
            </Text>
          </Stack>
        </Table.Td>
        <Table.Td>
          {event.targetType === 'invitation' && event.action !== 'invitation.deleted' ? (
            <Anchor component={Link} to={`/invitations/${event.targetId}`} size="sm">
              Invitation
            </Anchor>
          ) : (
            <Text size="sm" tt="capitalize" span>
              {event.targetType.replace(/_/g, ' ')}
            </Text>
          )}{' '}
          <Text size="xs" c="dimmed" ff="monospace" span style={{ wordBreak: 'break-all' }}>
            {event.targetId}
          </Text>
        </Table.Td>
        <Table.Td>
          {event.teamId ? (
            <Anchor component={Link} to={`/teams/${event.teamId}`} size="sm">
              {event.teamName ?? 'Team'}
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Text size="sm" ff="monospace" c={event.ip ? undefined : 'dimmed'}>
            {event.ip ?? '—'}
          </Text>
        </Table.Td>
      </Table.Tr>
      {expanded ? (
        <Table.Tr id={detailsId} bg="var(--mantine-color-default-hover)">
          <Table.Td />
          <Table.Td colSpan={6}>
            <Stack gap={4} py={4}>
              {details.map(([key, value]) => (
                <Group key={key} gap="sm" wrap="nowrap" align="flex-start">
                  <Text size="xs" c="dimmed" w={160} style={{ flexShrink: 0 }}>
                    {key}
                  </Text>
                  <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{formatDetail(value)}</Code>
                </Group>
              ))}
            </Stack>
          </Table.Td>
        </Table.Tr>
      ) : null}
    </Fragment>
  );
}

function formatDetail(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}
