import { Card } from '@mantine/core';
import { IconBuildingOff } from '@tabler/icons-react';
import { Fragment, type ReactNode } from 'react';
import { errorMessage } from '../api';
import type { OrganizationSummary } from '@allot/contract';
import { usePageTitle } from '../hooks/use-page-title';
import { useOrganizations } from '../layout/current-organization';
import { EmptyPanel } from './EmptyPanel';
import { LoadError } from './LoadError';
import { PageSkeleton } from './TableSkeleton';

type OrganizationGateProps = {
  /** The page, for the organization picked in the top bar. It is mounted afresh when that changes. */
  children: (organization: OrganizationSummary) => ReactNode;
};

/** Organization pages render through this: it waits for the organization list and handles "none". */
export function OrganizationGate({ children }: OrganizationGateProps) {
  const { state, current, reload } = useOrganizations();
  if (state.status === 'loading') return <PageSkeleton />;
  if (state.status === 'error') {
    return <LoadError title="Could not load your organizations" message={errorMessage(state.error)} onRetry={reload} />;
  }
  if (!current) return <NoOrganization />;
  return <Fragment key={current.id}>{children(current)}</Fragment>;
}

function NoOrganization() {
  usePageTitle('No organization');
  return (
    <Card padding="xl" mt="xl">
      <EmptyPanel
        icon={<IconBuildingOff size={28} stroke={1.6} />}
        title="No organization yet"
        description="You do not administer any organization. When someone invites you to be an administrator, open the link in their email to join."
      />
    </Card>
  );
}
