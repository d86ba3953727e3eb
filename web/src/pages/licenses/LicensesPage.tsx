import { Stack } from '@mantine/core';
import type { OrganizationSummary, SubscriptionsResponse, TeamsResponse } from '@allot/contract';
import { OrganizationGate } from '../../components/OrganizationGate';
import { PageHeader } from '../../components/PageHeader';
import { PendingInviteBanner } from '../../components/PendingInviteBanner';
import { useApiResource } from '../../hooks/use-api-resource';
import { LicenseList } from './LicenseList';
import { SubscriptionsCard } from './SubscriptionsCard';

export default function LicensesPage() {
  return <OrganizationGate>{(organization) => <Licenses organization={organization} />}</OrganizationGate>;
}

function Licenses({ organization }: { organization: OrganizationSummary }) {
  const subscriptions = useApiResource<SubscriptionsResponse>(`/organizations/${organization.id}/subscriptions`);
  const teams = useApiResource<TeamsResponse>(`/organizations/${organization.id}/teams`);

  function refreshCounts() {
    void subscriptions.reload();
    void teams.reload();
  }

  return (
    <>
      <PendingInviteBanner />
      <PageHeader title="Licenses" description={`Every license of ${organization.name}: who holds it, which team pays for it, and how many are left.`} />
      <Stack gap="xl">
        <SubscriptionsCard resource={subscriptions} />
        <LicenseList
          organizationId={organization.id}
          teams={teams.state.status === 'ready' ? teams.state.data.items : null}
          onChanged={refreshCounts}
          title="All licenses"
        />
      </Stack>
    </>
  );
}
