import { ActionBar, Anchor, Button, Card, Checkbox, Divider, Group, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowsExchange, IconFilterOff, IconLicense, IconSearch, IconUserMinus, IconUserPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { apiHref } from '../../api';
import type { License, Team } from '@allot/contract';
import { DebouncedTextInput } from '../../components/DebouncedTextInput';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { LoadError } from '../../components/LoadError';
import { LoadMore } from '../../components/LoadMore';
import { ReasonTooltip } from '../../components/ReasonTooltip';
import { SearchableSelect } from '../../components/SearchableSelect';
import { TableCaption } from '../../components/TableCaption';
import { TableSkeleton } from '../../components/TableSkeleton';
import { useCursorList } from '../../hooks/use-cursor-list';
import { pathWithQuery } from '../../lib/redirect';
import { AssignLicensesModal } from './AssignLicensesModal';
import { AssigneeCell, AssignedSince, LastSeen, ValidUntil } from './LicenseCells';
import { LicenseDrawer } from './LicenseDrawer';
import { hasActiveFilters, INACTIVITY_OPTIONS, licenseQuery, STATUS_OPTIONS, useLicenseFilters, type LicenseStatusFilter } from './license-filters';
import { RevokeLicensesModal } from './RevokeLicensesModal';
import { TransferLicensesModal } from './TransferLicensesModal';
import { teamSectionPath } from '../teams/team-sections';

const PAGE_SIZE = '50';

/** The list's anchor: Active subscriptions scrolls to it after filtering it to a product. */
export const LICENSE_LIST_ID = 'license-list';

type LicenseListProps = {
  organizationId: string;
  /** The organization's teams: for the filters, assigning, moving, and who may manage which license. Null while loading. */
  teams: Team[] | null;
  /** On a team's page: only this team's licenses, and no team filter. */
  team?: Team;
  /** Called after licenses were assigned, revoked or moved, so counts elsewhere on the page can refresh. */
  onChanged: () => void;
  title?: string;
};

type Dialog = 'assign' | 'revoke' | 'transfer' | null;

/** The flat license list with its filter toolbar, selection actions and details drawer. */
export function LicenseList({ organizationId, teams, team, onChanged, title }: LicenseListProps) {
  const [filters, setFilters, clearFilters] = useLicenseFilters();
  const query = licenseQuery(filters, team?.id);
  const list = useCursorList<License>(`/organizations/${organizationId}/licenses`, { ...query, limit: PAGE_SIZE });
  const queryKey = pathWithQuery('', query);

  const [dialog, setDialog] = useState<Dialog>(null);
  // What Revoke or Transfer acts on, fixed when the dialog opens (the list may refresh behind it).
  const [dialogLicenses, setDialogLicenses] = useState<License[]>([]);
  const [detail, setDetail] = useState<License | null>(null);
  // The selection belongs to one set of filters: changing them starts a new one.
  const [selection, setSelection] = useState<{ key: string; ids: ReadonlySet<string> }>({ key: queryKey, ids: new Set() });
  const selectedIds = selection.key === queryKey ? selection.ids : new Set<string>();

  const allTeams = useMemo(() => teams ?? (team ? [team] : []), [teams, team]);
  const teamById = useMemo(() => new Map(allTeams.map((candidate) => [candidate.id, candidate])), [allTeams]);
  const manageableTeams = allTeams.filter((candidate) => candidate.canManage);
  const canManageAny = team ? team.canManage : manageableTeams.length > 0;
  const canManage = (license: License) => (team?.id === license.teamId ? team.canManage : (teamById.get(license.teamId)?.canManage ?? false));

  const products = useMemo(() => {
    const byId = new Map<string, string>();
    for (const candidate of team ? [team] : allTeams) {
      for (const product of candidate.products) byId.set(product.productId, product.productName);
    }
    return [...byId].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [allTeams, team]);

  const rows = list.state.status === 'ready' ? list.state.items : [];
  const selectableRows = rows.filter(canManage);
  const selected = rows.filter((license) => selectedIds.has(license.id));
  const selectedAssigned = selected.filter((license) => license.assignee !== null);
  const allSelected = selectableRows.length > 0 && selectableRows.every((license) => selectedIds.has(license.id));
  const someSelected = selected.length > 0 && !allSelected;

  function setSelected(ids: ReadonlySet<string>) {
    setSelection({ key: queryKey, ids });
  }

  function toggle(license: License) {
    const next = new Set(selectedIds);
    if (next.has(license.id)) next.delete(license.id);
    else next.add(license.id);
    setSelected(next);
  }

  function toggleAll() {
    setSelected(allSelected ? new Set() : new Set(selectableRows.map((license) => license.id)));
  }

  function openForSelection(kind: 'revoke' | 'transfer') {
    setDialogLicenses(kind === 'revoke' ? selectedAssigned : selected);
    setDialog(kind);
  }

  function afterChange() {
    setSelected(new Set());
    void list.reload();
    onChanged();
  }

  const filtered = hasActiveFilters(filters, team !== undefined);
  const exportHref = apiHref(`/organizations/${organizationId}/licenses/export.csv`, query);

  return (
    <>
      <Card padding={0} pb={selected.length > 0 ? 72 : 0} id={LICENSE_LIST_ID} style={{ scrollMarginTop: 80 }}>
        <Stack gap="md" p="md">
          <Group justify="space-between" gap="sm">
            {title ? (
              <Title order={2} fz="lg">
                {title}
              </Title>
            ) : (
              <span />
            )}
            <Group gap="sm">
              <ExportCsvButton href={exportHref} />
              {canManageAny ? (
                <Button leftSection={<IconUserPlus size={16} />} onClick={() => setDialog('assign')}>
                  Assign licenses
                </Button>
              ) : null}
            </Group>
          </Group>
          <Group gap="sm" align="flex-end" role="search" aria-label="License filters">
            <SearchableSelect
              title="Filter by product"
              aria-label="Filter by product"
              placeholder="All products"
              data={products}
              value={filters.productId}
              onChange={(productId) => setFilters({ productId })}
              clearable
              nothingFoundMessage="No such product"
              style={{ flex: '1 1 180px' }}
              maw={{ base: '100%', xs: 260 }}
            />
            {team ? null : (
              <SearchableSelect
                title="Filter by team"
                aria-label="Filter by team"
                placeholder="All teams"
                data={allTeams.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
                value={filters.teamId}
                onChange={(teamId) => setFilters({ teamId })}
                clearable
                nothingFoundMessage="No such team"
                style={{ flex: '1 1 160px' }}
                maw={{ base: '100%', xs: 240 }}
              />
            )}
            <SegmentedControl
              aria-label="Filter by status"
              data={STATUS_OPTIONS}
              value={filters.status}
              onChange={(status) => setFilters({ status: status as LicenseStatusFilter })}
            />
            <DebouncedTextInput
              title="Search by assignee email"
              aria-label="Search by assignee email"
              placeholder="Assignee email"
              leftSection={<IconSearch size={16} />}
              value={filters.assignee}
              onChange={(assignee) => setFilters({ assignee })}
              style={{ flex: '1 1 200px' }}
              maw={{ base: '100%', xs: 280 }}
            />
            <DebouncedTextInput
              title="Filter by order reference"
              aria-label="Filter by order reference"
              placeholder="Order reference"
              value={filters.orderReference}
              onChange={(orderReference) => setFilters({ orderReference })}
              style={{ flex: '1 1 140px' }}
              maw={{ base: '100%', xs: 200 }}
            />
            <Select
              title="Filter by activity"
              aria-label="Filter by activity"
              placeholder="Any activity"
              data={INACTIVITY_OPTIONS}
              value={filters.inactiveDays}
              onChange={(inactiveDays) => setFilters({ inactiveDays })}
              clearable
              style={{ flex: '1 1 170px' }}
              maw={{ base: '100%', xs: 220 }}
            />
            {filtered ? (
              <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={clearFilters}>
                Clear filters
              </Button>
            ) : null}
          </Group>
        </Stack>
        <Divider />

        {list.state.status === 'loading' ? (
          <Stack p="md">
            <TableSkeleton label="Loading licenses" rows={6} />
          </Stack>
        ) : list.state.status === 'error' ? (
          <Stack p="md">
            <LoadError title="Could not load the licenses" message={list.state.message} onRetry={list.reload} />
          </Stack>
        ) : rows.length === 0 ? (
          filtered ? (
            <EmptyPanel
              icon={<IconSearch size={28} stroke={1.6} />}
              color="gray"
              title="No licenses match these filters"
              description="Try another product or team, or clear the filters to see every license."
            >
              <Button variant="default" leftSection={<IconFilterOff size={16} />} onClick={clearFilters}>
                Clear filters
              </Button>
            </EmptyPanel>
          ) : (
            <EmptyPanel
              icon={<IconLicense size={28} stroke={1.6} />}
              title="No licenses yet"
              description={
                team
                  ? 'This team holds no licenses. They arrive with an order, or when licenses are transferred here from another team.'
                  : 'Licenses appear here once an operator adds an order for this organization.'
              }
            />
          )
        ) : (
          <>
            {/* Fits a 1280 px laptop beside the menu (about 940 px) without scrolling sideways; narrower screens scroll. */}
            <Table.ScrollContainer minWidth={canManageAny ? 900 : 860}>
              <Table verticalSpacing="sm" horizontalSpacing="sm" highlightOnHover>
                <TableCaption>Licenses</TableCaption>
                <Table.Thead>
                  <Table.Tr>
                    {canManageAny ? (
                      <Table.Th w={44}>
                        <Checkbox
                          aria-label="Select all licenses shown"
                          checked={allSelected}
                          indeterminate={someSelected}
                          onChange={toggleAll}
                          disabled={selectableRows.length === 0}
                        />
                      </Table.Th>
                    ) : null}
                    <Table.Th>License ID</Table.Th>
                    <Table.Th>Product</Table.Th>
                    <Table.Th>Team</Table.Th>
                    <Table.Th>Assignee</Table.Th>
                    <Table.Th>Assigned since</Table.Th>
                    <Table.Th>Valid until</Table.Th>
                    <Table.Th>Last seen</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((license) => (
                    <LicenseRow
                      key={license.id}
                      license={license}
                      withCheckbox={canManageAny}
                      selectable={canManage(license)}
                      selected={selectedIds.has(license.id)}
                      onToggle={() => toggle(license)}
                      onOpen={() => setDetail(license)}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {list.state.status === 'ready' ? (
              <Stack px="md" pb="md" gap={0}>
                <LoadMore
                  shown={rows.length}
                  noun={rows.length === 1 ? 'license' : 'licenses'}
                  hasMore={list.state.nextCursor !== null}
                  loading={list.state.loadingMore}
                  onLoadMore={() => void list.loadMore()}
                />
              </Stack>
            ) : null}
          </>
        )}
      </Card>

      {/* Out of the way (and out of the DOM) while a dialog or the details drawer is open. */}
      {dialog === null && detail === null ? (
        <ActionBar opened={selected.length > 0} onClose={() => setSelected(new Set())} aria-label="Selected licenses" shadow="lg" radius="xl" closeOnEscape>
          <Text size="sm" fw={600} px={6} style={{ whiteSpace: 'nowrap' }} aria-live="polite">
            {selected.length} selected
          </Text>
          <ActionBar.Divider />
          <Button variant="subtle" leftSection={<IconArrowsExchange size={16} />} onClick={() => openForSelection('transfer')}>
            Transfer
          </Button>
          <ReasonTooltip reason={selectedAssigned.length === 0 ? 'None of the selected licenses is assigned' : null}>
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconUserMinus size={16} />}
              onClick={() => openForSelection('revoke')}
              disabled={selectedAssigned.length === 0}
              style={selectedAssigned.length === 0 ? { pointerEvents: 'none' } : undefined}
            >
              Revoke
            </Button>
          </ReasonTooltip>
          <ActionBar.CloseButton aria-label="Clear selection" />
        </ActionBar>
      ) : null}

      <AssignLicensesModal
        opened={dialog === 'assign'}
        onClose={() => setDialog(null)}
        teams={team ? (team.canManage ? [team] : []) : manageableTeams}
        initialTeamId={team?.id ?? filters.teamId}
        initialProductId={filters.productId}
        lockTeam={team !== undefined}
        onAssigned={afterChange}
      />
      <RevokeLicensesModal
        opened={dialog === 'revoke'}
        onClose={() => setDialog(null)}
        organizationId={organizationId}
        licenses={dialogLicenses}
        onRevoked={afterChange}
      />
      <TransferLicensesModal
        opened={dialog === 'transfer'}
        onClose={() => setDialog(null)}
        organizationId={organizationId}
        licenses={dialogLicenses}
        teams={manageableTeams}
        onTransferred={afterChange}
      />
      <LicenseDrawer license={detail} onClose={() => setDetail(null)} />
    </>
  );
}

type LicenseRowProps = {
  license: License;
  withCheckbox: boolean;
  selectable: boolean;
  selected: boolean;
  onToggle: () => void;
  onOpen: () => void;
};

function LicenseRow({ license, withCheckbox, selectable, selected, onToggle, onOpen }: LicenseRowProps) {
  return (
    <Table.Tr bg={selected ? 'var(--mantine-primary-color-light)' : undefined}>
      {withCheckbox ? (
        <Table.Td>
          <Checkbox
            aria-label={`Select license ${license.id}`}
            checked={selected}
            onChange={onToggle}
            disabled={!selectable}
            title={selectable ? undefined : "You cannot manage this team's licenses"}
          />
        </Table.Td>
      ) : null}
      <Table.Td>
        <Anchor component="button" type="button" onClick={onOpen} ff="monospace" size="sm" style={{ whiteSpace: 'nowrap' }}>
          {license.id}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {license.productName}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {license.productCode}
        </Text>
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={teamSectionPath(license.teamId, 'licenses')} size="sm">
          {license.teamName}
        </Anchor>
      </Table.Td>
      <Table.Td maw={240}>
        <AssigneeCell license={license} />
      </Table.Td>
      <Table.Td>
        <AssignedSince value={license.assignedAt} />
      </Table.Td>
      <Table.Td>
        <ValidUntil value={license.validUntil} />
      </Table.Td>
      <Table.Td>
        <LastSeen value={license.lastSeenAt} />
      </Table.Td>
    </Table.Tr>
  );
}
