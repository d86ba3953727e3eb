import { Anchor } from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../../components/AuthCard';
import { useRedirectParam } from '../../hooks/use-redirect-param';
import { pathWithQuery } from '../../lib/redirect';
import { SignInForm } from './SignInForm';

export function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { redirect, forward } = useRedirectParam();

  return (
    <AuthCard
      title="Sign in"
      description="Welcome back. Sign in to see your licenses and manage your account."
      footer={
        <>
          New to Allot?{' '}
          <Anchor component={Link} to={pathWithQuery('/sign-up', { redirect: forward })} fw={600} size="sm">
            Create account
          </Anchor>
        </>
      }
    >
      <SignInForm redirect={redirect} initialEmail={params.get('email') ?? ''} autoFocus onSignedIn={() => void navigate(redirect, { replace: true })} />
    </AuthCard>
  );
}
