import { Anchor } from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../../components/AuthCard';
import { useRedirectParam } from '../../hooks/use-redirect-param';
import { pathWithQuery } from '../../lib/redirect';
import { SignUpForm } from './SignUpForm';

export function SignUpPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { redirect, forward } = useRedirectParam();

  return (
    <AuthCard
      title="Create your account"
      description="Your Allot account holds the licenses your organizations give you."
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to={pathWithQuery('/sign-in', { redirect: forward })} fw={600} size="sm">
            Sign in
          </Anchor>
        </>
      }
    >
      <SignUpForm
        redirect={redirect}
        initialEmail={params.get('email') ?? ''}
        onSignedUp={(email) => void navigate(pathWithQuery('/check-email', { email, redirect: forward }))}
      />
    </AuthCard>
  );
}
