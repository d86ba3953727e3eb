import { Anchor, Button, Progress, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { IconCircleCheck, IconLinkOff } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { authClient, callAuth } from '../../auth-client';
import { AuthCard } from '../../components/AuthCard';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { FormError } from '../../components/FormError';
import { useRedirectParam } from '../../hooks/use-redirect-param';
import { applyServerError } from '../../lib/form-errors';
import { emailVerifiedCallback, pathWithQuery } from '../../lib/redirect';

const AUTO_CONTINUE_MS = 2000;

export function EmailVerifiedPage() {
  const [params] = useSearchParams();
  const errorCode = params.get('error');
  return errorCode ? <VerificationFailed errorCode={errorCode} /> : <VerificationSucceeded />;
}

function VerificationSucceeded() {
  const navigate = useNavigate();
  const { redirect } = useRedirectParam();
  const [progress, setProgress] = useState(0);

  useEffect(() => {
    const startedAt = Date.now();
    const timer = window.setInterval(() => {
      const elapsed = Date.now() - startedAt;
      setProgress(Math.min(100, (elapsed / AUTO_CONTINUE_MS) * 100));
      if (elapsed >= AUTO_CONTINUE_MS) {
        window.clearInterval(timer);
        void navigate(redirect, { replace: true });
      }
    }, 100);
    return () => window.clearInterval(timer);
  }, [navigate, redirect]);

  return (
    <AuthCard title="Email verified">
      <Stack gap="md">
        <ThemeIcon size={52} radius="xl" color="teal" variant="light" aria-hidden>
          <IconCircleCheck size={30} />
        </ThemeIcon>
        <Text>Your email address is confirmed and you are signed in.</Text>
        <Stack gap={6}>
          <Progress value={progress} size="xs" radius="xl" color="teal" aria-hidden transitionDuration={100} />
          <Text size="xs" c="dimmed">
            Taking you onward in a moment…
          </Text>
        </Stack>
        <Button fullWidth size="md" onClick={() => navigate(redirect, { replace: true })}>
          Continue
        </Button>
      </Stack>
    </AuthCard>
  );
}

function explainVerificationError(errorCode: string): string {
  switch (errorCode) {
    case 'TOKEN_EXPIRED':
      return 'This verification link has expired.';
    case 'INVALID_TOKEN':
      return 'This verification link is invalid or has already been used.';
    default:
      return 'We could not verify your email address with this link.';
  }
}

function VerificationFailed({ errorCode }: { errorCode: string }) {
  const { redirect, forward } = useRedirectParam();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: '' }, validate: { email: isEmail('Enter a valid email address.') } });

  async function resend({ email }: { email: string }) {
    setError(null);
    const trimmed = email.trim();
    try {
      await callAuth((fetchOptions) => authClient.sendVerificationEmail({ email: trimmed, callbackURL: emailVerifiedCallback(redirect), fetchOptions }));
      setSentTo(trimmed);
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  return (
    <AuthCard
      title="We could not verify your email"
      footer={
        <Anchor component={Link} to={pathWithQuery('/sign-in', { redirect: forward })} size="sm">
          Back to sign in
        </Anchor>
      }
    >
      <Stack gap="md">
        <ThemeIcon size={52} radius="xl" color="orange" variant="light" aria-hidden>
          <IconLinkOff size={28} />
        </ThemeIcon>
        <Text>{explainVerificationError(errorCode)}</Text>
        {sentTo ? (
          <>
            <Text size="sm">
              If <strong>{sentTo}</strong> belongs to an account that still needs verifying, a new link is on its way.
            </Text>
            <DevMailboxNotice />
          </>
        ) : (
          <form onSubmit={form.onSubmit(resend)} noValidate>
            <Stack gap="md">
              <Text size="sm" c="dimmed">
                Enter your email address and we will send you a new verification link.
              </Text>
              <TextInput label="Email" type="email" autoComplete="email" {...form.getInputProps('email')} />
              <FormError>{error}</FormError>
              <Button type="submit" fullWidth loading={form.submitting}>
                Send a new link
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </AuthCard>
  );
}
