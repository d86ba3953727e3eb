import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { hasLength, isEmail, useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { authClient, callAuth } from '../../auth-client';
import { AuthCard } from '../../components/AuthCard';
import { FormError } from '../../components/FormError';
import { PasswordStrengthInput, validateNewPassword } from '../../components/PasswordStrengthInput';
import { useRedirectParam } from '../../hooks/use-redirect-param';
import { applyServerError } from '../../lib/form-errors';
import { emailVerifiedCallback, pathWithQuery } from '../../lib/redirect';

type SignUpValues = { name: string; email: string; password: string };

export function SignUpPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { redirect, forward } = useRedirectParam();
  const [error, setError] = useState<string | null>(null);
  const prefilledEmail = params.get('email') ?? '';

  const form = useForm<SignUpValues>({
    initialValues: { name: '', email: prefilledEmail, password: '' },
    validate: {
      name: hasLength({ min: 1, max: 100 }, 'Enter your name (up to 100 characters).'),
      email: isEmail('Enter a valid email address.'),
      password: validateNewPassword,
    },
  });

  async function signUp(values: SignUpValues) {
    setError(null);
    const email = values.email.trim();
    try {
      await callAuth((fetchOptions) =>
        authClient.signUp.email({
          name: values.name.trim(),
          email,
          password: values.password,
          callbackURL: emailVerifiedCallback(redirect),
          fetchOptions,
        }),
      );
      void navigate(pathWithQuery('/check-email', { email, redirect: forward }));
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

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
      <form onSubmit={form.onSubmit(signUp)} noValidate>
        <Stack gap="md">
          <TextInput label="Name" autoComplete="name" placeholder="Ada Lovelace" {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" autoComplete="email" placeholder="you@example.com" {...form.getInputProps('email')} />
          <PasswordStrengthInput label="Password" {...form.getInputProps('password')} value={form.values.password} />
          <FormError>{error}</FormError>
          <Button type="submit" fullWidth size="md" loading={form.submitting}>
            Create account
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            We will email you a link to confirm your address.
          </Text>
        </Stack>
      </form>
    </AuthCard>
  );
}
