import { Navigate } from 'react-router';
import { FullPageLoader } from '../components/FullPageLoader';
import { useOrganizations } from '../layout/current-organization';

/** "/": organization administrators land on their licenses, everyone else on their account. */
export function HomeRedirect() {
  const { state } = useOrganizations();
  if (state.status === 'loading') return <FullPageLoader />;
  const hasOrganization = state.status === 'ready' && state.organizations.length > 0;
  return <Navigate to={hasOrganization ? '/licenses' : '/account'} replace />;
}
