import { Anchor, Button, PasswordInput, Stack, Text, ThemeIcon } from '@mantine/core';
import { matchesField, useForm } from '@mantine/form';
import { IconCircleCheck, IconLinkOff } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../../api';
import { authClient, callAuth } from '../../auth-client';
import { AuthCard } from '../../components/AuthCard';
import { FormError } from '../../components/FormError';
import { PasswordStrengthInput, validateNewPassword } from '../../components/PasswordStrengthInput';
import { applyServerError } from '../../lib/form-errors';

type ResetValues = { newPassword: string; confirmPassword: string };

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const [linkInvalid, setLinkInvalid] = useState(params.get('error') !== null || !token);
  const [changed, setChanged] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const form = useForm<ResetValues>({
    initialValues: { newPassword: '', confirmPassword: '' },
    validate: {
      newPassword: validateNewPassword,
      confirmPassword: matchesField('newPassword', 'The passwords do not match.'),
    },
  });

  async function resetPassword({ newPassword }: ResetValues) {
    if (!token) return;
    setError(null);
    try {
      await callAuth((fetchOptions) => authClient.resetPassword({ newPassword, token, fetchOptions }));
      setChanged(true);
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'INVALID_TOKEN') setLinkInvalid(true);
      else setError(applyServerError(form, caught));
    }
  }

  if (changed) {
    return (
      <AuthCard title="Password changed">
        <Stack gap="md">
          <ThemeIcon size={52} radius="xl" color="teal" variant="light" aria-hidden>
            <IconCircleCheck size={30} />
          </ThemeIcon>
          <Text>Your password has been changed, and any other signed-in devices were signed out.</Text>
          <Button component={Link} to="/sign-in" fullWidth size="md">
            Sign in
          </Button>
        </Stack>
      </AuthCard>
    );
  }

  if (linkInvalid) {
    return (
      <AuthCard title="This link is invalid or has expired">
        <Stack gap="md">
          <ThemeIcon size={52} radius="xl" color="orange" variant="light" aria-hidden>
            <IconLinkOff size={28} />
          </ThemeIcon>
          <Text>Password reset links work once and for one hour. Ask for a new one and use the latest email.</Text>
          <Button component={Link} to="/forgot-password" fullWidth size="md">
            Get a new link
          </Button>
          <Anchor component={Link} to="/sign-in" size="sm" ta="center">
            Back to sign in
          </Anchor>
        </Stack>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Choose a new password" description="Pick a password you do not use anywhere else.">
      <form onSubmit={form.onSubmit(resetPassword)} noValidate>
        <Stack gap="md">
          <PasswordStrengthInput label="New password" autoFocus {...form.getInputProps('newPassword')} value={form.values.newPassword} />
          <PasswordInput label="Confirm password" autoComplete="new-password" {...form.getInputProps('confirmPassword')} />
          <FormError>{error}</FormError>
          <Button type="submit" fullWidth size="md" loading={form.submitting}>
            Set new password
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
