import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  CopyButton,
  DataList,
  Flex,
  Grid,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconCheck,
  IconCircleCheck,
  IconCopy,
  IconLinkOff,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
  IconRefresh,
  IconTrash,
} from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, errorMessage, isApiError } from '../../api';
import type { AcceptedInvitation, Invitation, Team } from '@allot/contract';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyPanel } from '../../components/EmptyPanel';
import { LoadError } from '../../components/LoadError';
import { RelativeTime } from '../../components/RelativeTime';
import { SectionCard } from '../../components/SectionCard';
import { PageSkeleton } from '../../components/TableSkeleton';
import { UsageBar } from '../../components/UsageBar';
import { useCursorList } from '../../hooks/use-cursor-list';
import { useApiResource } from '../../hooks/use-api-resource';
import { usePageTitle } from '../../hooks/use-page-title';
import { useOrganizations } from '../../layout/current-organization';
import { formatDate, formatDateTime, formatNumber, pluralize } from '../../lib/format';
import { invitationTitle } from '../../lib/invitations';
import { AcceptedInvitationsCard } from './AcceptedInvitationsCard';
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
              <Button variant="default" c="red" leftSection={<IconTrash size={16} />} onClick={deletion.open}>
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
              <ClaimNotificationsCard organizationId={invitation.organizationId} organizationName={invitation.organizationName} />
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

type LinkCardProps = {
  invitation: Invitation;
  justCreated: boolean;
  onDismissCreated: () => void;
  toggling: boolean;
  onToggle: () => void;
  onRegenerate: () => void;
};

/** The link to share, Copy link, and the switches that govern it. */
function LinkCard({ invitation, justCreated, onDismissCreated, toggling, onToggle, onRegenerate }: LinkCardProps) {
  const domains = invitation.allowedDomains;
  return (
    <Card padding="lg" component="section" aria-labelledby="invitation-link-heading">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={4} style={{ flex: '1 1 320px' }}>
            <Title order={2} fz="lg" id="invitation-link-heading">
              Invitation link
            </Title>
            <Text size="sm" c="dimmed">
              Anyone with this link can claim one {invitation.productName} license
              {domains.length > 0 ? ` with a verified address at ${domains.join(', ')}` : ' with a verified email address'}. Share it in chat or email.
            </Text>
          </Stack>
          {invitation.canManage ? (
            <Group gap="sm">
              <Button
                variant="default"
                leftSection={invitation.enabled ? <IconPlayerPause size={16} /> : <IconPlayerPlay size={16} />}
                onClick={onToggle}
                loading={toggling}
              >
                {invitation.enabled ? 'Disable link' : 'Enable link'}
              </Button>
              <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={onRegenerate}>
                Regenerate link
              </Button>
            </Group>
          ) : null}
        </Group>
        {invitation.link === null ? (
          <Text size="sm" c="dimmed">
            Only the administrators of {invitation.teamName} can see and share this link.
          </Text>
        ) : (
          <Flex gap="sm" direction={{ base: 'column', xs: 'row' }} align={{ base: 'stretch', xs: 'center' }}>
            <TextInput
              value={invitation.link}
              readOnly
              aria-label="Invitation link"
              data-testid="invitation-link"
              onFocus={(event) => event.currentTarget.select()}
              size="md"
              style={{ flex: 1, minWidth: 0 }}
              styles={{
                input: {
                  fontFamily: 'var(--mantine-font-family-monospace)',
                  fontSize: 'var(--mantine-font-size-sm)',
                  color: invitation.status === 'active' ? undefined : 'var(--mantine-color-dimmed)',
                },
              }}
            />
            <CopyButton value={invitation.link} timeout={2000}>
              {({ copied, copy }) => (
                <Button
                  size="md"
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  onClick={copy}
                  miw={132}
                >
                  {copied ? 'Copied' : 'Copy link'}
                </Button>
              )}
            </CopyButton>
          </Flex>
        )}
        {justCreated ? (
          <Alert
            color="teal"
            variant="light"
            icon={<IconCircleCheck size={18} />}
            title="Invitation created"
            withCloseButton
            closeButtonLabel="Dismiss"
            onClose={onDismissCreated}
          >
            Copy the link and share it with the people who need a license. Each of them claims one by opening it.
          </Alert>
        ) : null}
        <StatusNotice invitation={invitation} />
      </Stack>
    </Card>
  );
}

/** Why the link does not hand out licenses right now, and what fixes it. */
function StatusNotice({ invitation }: { invitation: Invitation }) {
  const fix = invitation.canManage;
  switch (invitation.status) {
    case 'disabled':
      return (
        <Alert color="gray" variant="light" icon={<IconPlayerPause size={18} />} title="This link is turned off">
          People who open it are told the invitation is turned off and cannot claim.{fix ? ' Enable the link to hand out licenses again.' : ''}
        </Alert>
      );
    case 'expired':
      return (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="This link has expired">
          It stopped working on {invitation.expiresAt ? formatDateTime(invitation.expiresAt) : 'its end date'}.
          {fix ? ' Edit the invitation to give it a later date.' : ''}
        </Alert>
      );
    case 'exhausted':
      return (
        <Alert color="grape" variant="light" icon={<IconAlertTriangle size={18} />} title="This link has been used up">
          It reached its maximum of {pluralize(invitation.maxClaims ?? invitation.claims, 'claim')}.{fix ? ' Edit the invitation to allow more.' : ''}
        </Alert>
      );
    case 'active':
      if (invitation.remaining > 0) return null;
      return (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="No assets left">
          Every {invitation.productName} license of {invitation.teamName} is taken, so people who open the link cannot claim one.
          {fix ? ' Free licenses in this team or add an order for it; people who find the link empty can notify you.' : ''}
        </Alert>
      );
  }
}

type StatCardProps = { label: string; value: string; suffix?: string | undefined; children?: ReactNode };

function StatCard({ label, value, suffix, children }: StatCardProps) {
  return (
    <Card padding="lg">
      <Stack gap="sm">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.04em' }}>
          {label}
        </Text>
        <Group gap={6} align="baseline">
          <Text fz={34} fw={700} lh={1} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {value}
          </Text>
          {suffix ? (
            <Text fz="lg" c="dimmed" fw={600}>
              {suffix}
            </Text>
          ) : null}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

function SettingsCard({ invitation }: { invitation: Invitation }) {
  return (
    <SectionCard title="Settings">
      <DataList size="sm" labelWidth={140} gap="sm">
        <DataList.Item>
          <DataList.ItemLabel>Product</DataList.ItemLabel>
          <DataList.ItemValue>
            <Group gap={8}>
              <Text size="sm">{invitation.productName}</Text>
              <Badge size="xs" variant="light" color="gray" ff="monospace" tt="none">
                {invitation.productCode}
              </Badge>
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Team</DataList.ItemLabel>
          <DataList.ItemValue>
            <Anchor component={Link} to={`/teams/${invitation.teamId}`} size="sm">
              {invitation.teamName}
            </Anchor>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Active until</DataList.ItemLabel>
          <DataList.ItemValue>
            {invitation.expiresAt ? (
              <Text size="sm">
                {formatDateTime(invitation.expiresAt)}{' '}
                <Text span size="sm" c="dimmed">
                  (<RelativeTime value={invitation.expiresAt} c="dimmed" />)
                </Text>
              </Text>
            ) : (
              <Text size="sm">No expiry</Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Allowed domains</DataList.ItemLabel>
          <DataList.ItemValue>
            {invitation.allowedDomains.length > 0 ? (
              <Group gap={6}>
                {invitation.allowedDomains.map((domain) => (
                  <Badge key={domain} variant="light" color="indigo" tt="none" ff="monospace">
                    {domain}
                  </Badge>
                ))}
              </Group>
            ) : (
              <Text size="sm">Any verified email address</Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Maximum claims</DataList.ItemLabel>
          <DataList.ItemValue>
            <Text size="sm">{invitation.maxClaims !== null ? formatNumber(invitation.maxClaims) : 'No limit'}</Text>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Created</DataList.ItemLabel>
          <DataList.ItemValue>
            <Text size="sm" title={formatDateTime(invitation.createdAt)}>
              {formatDate(invitation.createdAt)}
            </Text>
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
    </SectionCard>
  );
}
