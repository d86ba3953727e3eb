import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { isEmail, isNotEmpty, useForm } from '@mantine/form';
import { IconMailExclamation } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../../api';
import { authClient, callAuth } from '../../auth-client';
import { DevMailboxNotice } from '../../components/DevMailboxNotice';
import { FormError } from '../../components/FormError';
import { applyServerError } from '../../lib/form-errors';
import { DEFAULT_AFTER_SIGN_IN, pathWithQuery } from '../../lib/redirect';
import { ResendVerificationButton } from './ResendVerificationButton';

type SignInValues = { email: string; password: string };

function needsTwoFactor(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'twoFactorRedirect' in data && data.twoFactorRedirect === true;
}

type SignInFormProps = {
  /** Where to go once signed in: also after the second factor, and from the verification link. */
  redirect: string;
  /** Signed in (no second factor needed). */
  onSignedIn: () => void;
  initialEmail?: string;
  /** The form's accessible name: a page with two forms names each. */
  label?: string;
  autoFocus?: boolean;
};

/** Email and password, the second-factor hand-off, and the way out for an unverified address. */
export function SignInForm({ redirect, onSignedIn, initialEmail = '', label, autoFocus = false }: SignInFormProps) {
  const navigate = useNavigate();
  const forward = redirect === DEFAULT_AFTER_SIGN_IN ? undefined : redirect;
  const [error, setError] = useState<string | null>(null);
  const [unverifiedEmail, setUnverifiedEmail] = useState<string | null>(null);

  const form = useForm<SignInValues>({
    initialValues: { email: initialEmail, password: '' },
    validate: {
      email: isEmail('Enter a valid email address.'),
      password: isNotEmpty('Enter your password.'),
    },
  });

  async function signIn({ email, password }: SignInValues) {
    setError(null);
    setUnverifiedEmail(null);
    try {
      const data = await callAuth((fetchOptions) => authClient.signIn.email({ email: email.trim(), password, fetchOptions }));
      if (needsTwoFactor(data)) void navigate(pathWithQuery('/sign-in/two-factor', { redirect: forward }));
      else onSignedIn();
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'EMAIL_NOT_VERIFIED') setUnverifiedEmail(email.trim());
      else setError(applyServerError(form, caught));
    }
  }

  return (
    <form onSubmit={form.onSubmit(signIn)} noValidate aria-label={label}>
      <Stack gap="md">
        <TextInput label="Email" type="email" autoComplete="username" placeholder="you@example.com" autoFocus={autoFocus} {...form.getInputProps('email')} />
        <Stack gap={6}>
          <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
          <Group justify="flex-end">
            <Anchor component={Link} to={pathWithQuery('/forgot-password', { redirect: forward })} size="sm">
              Forgot password?
            </Anchor>
          </Group>
        </Stack>

        {unverifiedEmail ? (
          <Alert color="yellow" variant="light" icon={<IconMailExclamation size={18} />} title="Verify your email first">
            <Stack gap="sm" align="flex-start">
              <Text size="sm">Your email address is not verified yet. Open the link we emailed to {unverifiedEmail}, or get a new one.</Text>
              <ResendVerificationButton email={unverifiedEmail} redirect={redirect} label="Resend verification email" size="xs" onError={setError} />
            </Stack>
          </Alert>
        ) : null}
        {unverifiedEmail ? <DevMailboxNotice /> : null}
        <FormError>{error}</FormError>

        <Button type="submit" fullWidth size="md" loading={form.submitting}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
