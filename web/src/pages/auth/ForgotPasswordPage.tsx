import { Anchor, Button, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { authClient, callAuth } from '../../auth-client';
import { AuthCard } from '../../components/AuthCard';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { FormError } from '../../components/FormError';
import { useRedirectParam } from '../../hooks/use-redirect-param';
import { applyServerError } from '../../lib/form-errors';
import { pathWithQuery } from '../../lib/redirect';

export function ForgotPasswordPage() {
  const { forward } = useRedirectParam();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: '' }, validate: { email: isEmail('Enter a valid email address.') } });
  const signInLink = (
    <Anchor component={Link} to={pathWithQuery('/sign-in', { redirect: forward })} size="sm">
      Back to sign in
    </Anchor>
  );

  async function requestReset({ email }: { email: string }) {
    setError(null);
    const trimmed = email.trim();
    try {
      await callAuth((fetchOptions) => authClient.requestPasswordReset({ email: trimmed, redirectTo: '/reset-password', fetchOptions }));
      setSentTo(trimmed);
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  if (sentTo) {
    return (
      <AuthCard title="Check your inbox" footer={signInLink}>
        <Stack gap="md">
          <ThemeIcon size={52} radius="xl" variant="light" aria-hidden>
            <IconMailForward size={28} />
          </ThemeIcon>
          <Text>
            If an account exists for{' '}
            <Text span fw={600}>
              {sentTo}
            </Text>
            , we sent a link to reset its password.
          </Text>
          <Text size="sm" c="dimmed">
            The link works for one hour. Nothing arrived? Look in your spam folder, or try again in a few minutes.
          </Text>
          <DevMailboxNotice />
        </Stack>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Reset your password"
      description="Enter the email address of your account and we will send you a link to choose a new password."
      footer={signInLink}
    >
      <form onSubmit={form.onSubmit(requestReset)} noValidate>
        <Stack gap="md">
          <TextInput label="Email" type="email" autoComplete="email" placeholder="you@example.com" autoFocus {...form.getInputProps('email')} />
          <FormError>{error}</FormError>
          <Button type="submit" fullWidth size="md" loading={form.submitting}>
            Send reset link
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
