import { Anchor, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { IconMailForward } from '@tabler/icons-react';
import { AuthCard } from '../../components/AuthCard';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { FormError } from '../../components/FormError';
import { useRedirectParam } from '../../hooks/use-redirect-param';
import { pathWithQuery } from '../../lib/redirect';
import { ResendVerificationButton } from './ResendVerificationButton';

export function CheckEmailPage() {
  const [params] = useSearchParams();
  const { redirect, forward } = useRedirectParam();
  const emailFromLink = params.get('email') ?? '';
  const [typedEmail, setTypedEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const email = emailFromLink || typedEmail.trim();

  return (
    <AuthCard
      title="Check your inbox"
      footer={
        <Anchor component={Link} to={pathWithQuery('/sign-in', { redirect: forward })} size="sm">
          Back to sign in
        </Anchor>
      }
    >
      <Stack gap="md">
        <ThemeIcon size={52} radius="xl" variant="light" aria-hidden>
          <IconMailForward size={28} />
        </ThemeIcon>
        <Text>
          {emailFromLink ? (
            <>
              Check your inbox: we sent a verification link to{' '}
              <Text span fw={600} style={{ wordBreak: 'break-word' }}>
                {emailFromLink}
              </Text>
              .
            </>
          ) : (
            'Check your inbox: we sent you a verification link.'
          )}
        </Text>
        <Text size="sm" c="dimmed">
          Open the link to confirm your address; you will be signed in right away. The link works for 24 hours. Nothing arrived? Look in your spam folder, or
          send it again.
        </Text>
        <DevMailboxNotice />
        {emailFromLink ? null : (
          <TextInput label="Email" type="email" autoComplete="email" value={typedEmail} onChange={(event) => setTypedEmail(event.currentTarget.value)} />
        )}
        <FormError>{error}</FormError>
        <ResendVerificationButton email={email} redirect={redirect} onSent={() => setError(null)} onError={setError} fullWidth />
      </Stack>
    </AuthCard>
  );
}
