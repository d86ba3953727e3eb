import { ActionIcon, Anchor, Button, Card, Grid, Group, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconCheck, IconLinkOff, IconPencil, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, errorMessage, isApiError } from '../../api';
import type { AcceptedInvitation, Invitation, Team } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyPanel } from '../../components/EmptyPanel';
import { LoadError } from '../../components/LoadError';
import { RelativeTime } from '../../components/RelativeTime';

import { PageSkeleton } from '../../components/TableSkeleton';
import { UsageBar } from '../../components/UsageBar';
import { useCursorList } from '../../hooks/use-cursor-list';
import { useApiResource } from '../../hooks/use-api-resource';
import { usePageTitle } from '../../hooks/use-page-title';
import { useOrganizations } from '../../layout/current-organization';
import { useAnnounceOpenTeam } from '../../layout/open-team';
import { formatNumber, pluralize } from '../../lib/format';
import { invitationTitle } from '../../lib/invitations';
import { AcceptedInvitationsCard } from './AcceptedInvitationsCard';
import { LinkCard, SettingsCard, StatCard } from './InvitationCards';
import { ClaimNotificationsCard } from './ClaimNotificationsCard';
import { EditInvitationModal } from './EditInvitationModal';
import { InvitationStatusBadge, NoAssetsLeftBadge } from './InvitationStatusBadge';

/** One bulk invitation: its link, settings, how many licenses are left and who accepted. */
export default function InvitationPage() {
  const { invitationId = '' } = useParams();
  const invitation = useApiResource<Invitation>(`/invitations/${encodeURIComponent(invitationId)}`);

  if (invitation.state.status === 'loading') return <PageSkeleton />;
  if (invitation.state.status === 'error') {
    const { error } = invitation.state;
    if (isApiError(error) && [400, 403, 404].includes(error.status)) return <InvitationNotFound />;
    return <LoadError title="Could not load this invitation" message={invitation.state.message} onRetry={invitation.reload} />;
  }
  return <InvitationView key={invitation.state.data.id} invitation={invitation.state.data} />;
}

function InvitationNotFound() {
  usePageTitle('Invitation not found');
  return (
    <Card padding="xl" mt="xl">
      <EmptyPanel
        icon={<IconLinkOff size={28} stroke={1.6} />}
        color="gray"
        title="Invitation not found"
        description="It may have been deleted, or you do not have access to its team."
      >
        <Button component={Link} to="/teams" variant="default">
          Back to the team list
        </Button>
      </EmptyPanel>
    </Card>
  );
}

function InvitationView({ invitation: loaded }: { invitation: Invitation }) {
  const navigate = useNavigate();
  const location = useLocation();
  const { organizations, current, select } = useOrganizations();
  // Create Invitation lands here with `{ created: true }`: say so beside the link, not in a toast over the actions.
  const [justCreated, setJustCreated] = useState(() => (location.state as { created?: boolean } | null)?.created === true);
  // Once is enough: a reload should not announce it again.
  useEffect(() => {
    if (location.state !== null) void navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  // Each change answers with the whole invitation, which replaces the one shown.
  const [invitation, setInvitation] = useState(loaded);
  const title = invitationTitle(invitation);
  usePageTitle(title);
  useAnnounceOpenTeam({ id: invitation.teamId, name: invitation.teamName, organizationId: invitation.organizationId });

  const team = useApiResource<Team>(`/teams/${invitation.teamId}`);
  const accepted = useCursorList<AcceptedInvitation>(`/invitations/${invitation.id}/accepted`);
  const [editOpened, edit] = useDisclosure(false);
  const [regenerateOpened, regeneration] = useDisclosure(false);
  const [deleteOpened, deletion] = useDisclosure(false);
  const [toggling, setToggling] = useState(false);

  // Opening an invitation of another organization (a link from an email) makes that organization current.
  useEffect(() => {
    if (current?.id !== invitation.organizationId && organizations.some((candidate) => candidate.id === invitation.organizationId)) {
      select(invitation.organizationId);
    }
  }, [current?.id, invitation.organizationId, organizations, select]);

  async function toggleEnabled() {
    setToggling(true);
    try {
      const updated = await api<Invitation>(`/invitations/${invitation.id}`, { method: 'PATCH', body: { enabled: !invitation.enabled } });
      // No toast: the button, the status badge and the notice under the link change in place.
      setInvitation(updated);
    } catch (caught) {
      notifications.show({ color: 'red', title: 'Could not change the link', message: errorMessage(caught) });
    } finally {
      setToggling(false);
    }
  }

  async function regenerate() {
    const updated = await api<Invitation>(`/invitations/${invitation.id}/regenerate`, { method: 'POST' });
    setInvitation(updated);
    notifications.show({ color: 'teal', icon: <IconCheck size={18} />, title: 'New link ready', message: 'The old link no longer works. Share the new one.' });
  }

  async function deleteInvitation() {
    await api<void>(`/invitations/${invitation.id}`, { method: 'DELETE' });
    notifications.show({ color: 'teal', title: 'Invitation deleted', message: `${title} no longer works.` });
    void navigate(`/teams/${invitation.teamId}`, { replace: true });
  }

  const pool = team.state.status === 'ready' ? team.state.data.products.find((product) => product.productId === invitation.productId) : undefined;
  const lastClaim = accepted.state.status === 'ready' ? accepted.state.items[0] : undefined;

  return (
    <>
      <Stack gap="xl">
        <Group justify="space-between" align="flex-start" gap="md">
          <Group gap="sm" align="flex-start" wrap="nowrap" style={{ flex: '1 1 320px', minWidth: 0 }}>
            <Tooltip label={`Back to ${invitation.teamName}`} withArrow>
              <ActionIcon component={Link} to={`/teams/${invitation.teamId}`} variant="subtle" color="gray" size="lg" mt={2} aria-label="Back to team">
                <IconArrowLeft size={18} />
              </ActionIcon>
            </Tooltip>
            <Stack gap={6} style={{ minWidth: 0 }}>
              <Group gap="sm" align="center">
                <Title order={1} fz={{ base: 24, sm: 28 }} style={{ overflowWrap: 'anywhere' }}>
                  {title}
                </Title>
                <InvitationStatusBadge status={invitation.status} size="lg" />
                {invitation.status === 'active' && invitation.remaining === 0 ? <NoAssetsLeftBadge size="lg" /> : null}
              </Group>
              <Text size="sm" c="dimmed">
                Invitation link for {invitation.productName} ·{' '}
                <Anchor component={Link} to={`/teams/${invitation.teamId}`} size="sm" inherit>
                  {invitation.teamName}
                </Anchor>{' '}
                · {invitation.organizationName}
              </Text>
            </Stack>
          </Group>
          {invitation.canManage ? (
            <Group gap="sm">
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={edit.open}>
                Edit
              </Button>
              <Button variant="default" c="red.8" leftSection={<IconTrash size={16} />} onClick={deletion.open}>
                Delete
              </Button>
            </Group>
          ) : null}
        </Group>

        <LinkCard
          invitation={invitation}
          justCreated={justCreated}
          onDismissCreated={() => setJustCreated(false)}
          toggling={toggling}
          onToggle={() => void toggleEnabled()}
          onRegenerate={regeneration.open}
        />

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <StatCard label="Licenses remaining" value={formatNumber(invitation.remaining)}>
            {pool ? (
              <Stack gap={6}>
                <UsageBar assigned={pool.assigned} total={pool.total} width="100%" />
                <Text size="xs" c="dimmed">
                  {formatNumber(pool.free)} of {pluralize(pool.total, `${invitation.productName} license`)} in {invitation.teamName} are free.
                </Text>
              </Stack>
            ) : (
              <Text size="xs" c="dimmed">
                Free {invitation.productName} licenses in {invitation.teamName}.
              </Text>
            )}
          </StatCard>
          <StatCard
            label="Claims so far"
            value={formatNumber(invitation.claims)}
            suffix={invitation.maxClaims !== null ? `/ ${formatNumber(invitation.maxClaims)}` : undefined}
          >
            <Text size="xs" c="dimmed">
              {invitation.maxClaims !== null
                ? `The link stops working after ${pluralize(invitation.maxClaims, 'claim')}.`
                : 'No maximum: the link works while licenses are free.'}
              {lastClaim ? (
                <>
                  {' '}
                  Last claim <RelativeTime value={lastClaim.claimedAt} size="xs" />.
                </>
              ) : null}
            </Text>
          </StatCard>
        </SimpleGrid>

        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: invitation.canManage ? 7 : 12 }}>
            <SettingsCard invitation={invitation} />
          </Grid.Col>
          {invitation.canManage ? (
            <Grid.Col span={{ base: 12, md: 5 }}>
              <ClaimNotificationsCard organizationId={invitation.organizationId} organizationName={invitation.organizationName} invitationId={invitation.id} />
            </Grid.Col>
          ) : null}
        </Grid>

        <AcceptedInvitationsCard list={accepted} total={invitation.claims} />
      </Stack>

      <EditInvitationModal opened={editOpened} onClose={edit.close} invitation={invitation} onSaved={setInvitation} />
      <ConfirmModal
        opened={regenerateOpened}
        onClose={regeneration.close}
        title="Regenerate the link?"
        confirmLabel="Regenerate link"
        color="indigo"
        onConfirm={regenerate}
      >
        <Text size="sm">The current link stops working immediately. Share the new link with everyone who has not claimed yet.</Text>
        <Text size="sm" c="dimmed">
          People who already claimed keep their licenses.
        </Text>
      </ConfirmModal>
      <ConfirmModal opened={deleteOpened} onClose={deletion.close} title="Delete this invitation?" confirmLabel="Delete" onConfirm={deleteInvitation}>
        <Text size="sm">
          <strong>{title}</strong> stops working immediately.
        </Text>
        <Text size="sm" c="dimmed">
          People who claimed keep their licenses; the list of who accepted stays in the audit log.
        </Text>
      </ConfirmModal>
    </>
  );
}
