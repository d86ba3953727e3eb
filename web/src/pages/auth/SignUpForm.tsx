import { Button, Stack, Text, TextInput } from '@mantine/core';
import { hasLength, isEmail, useForm } from '@mantine/form';
import { useState } from 'react';
import { authClient, callAuth } from '../../auth-client';
import { FormError } from '../../components/FormError';
import { PasswordStrengthInput, validateNewPassword } from '../../components/PasswordStrengthInput';
import { applyServerError } from '../../lib/form-errors';
import { emailVerifiedCallback } from '../../lib/redirect';

type SignUpValues = { name: string; email: string; password: string };

type SignUpFormProps = {
  /** Where the verification link leads once the address is confirmed. */
  redirect: string;
  /** The account exists; its address waits for verification. */
  onSignedUp: (email: string) => void;
  initialEmail?: string;
  /** The form's accessible name: a page with two forms names each. */
  label?: string;
  /** The line under the button. */
  note?: string;
};

export function SignUpForm({ redirect, onSignedUp, initialEmail = '', label, note = 'We will email you a link to confirm your address.' }: SignUpFormProps) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<SignUpValues>({
    initialValues: { name: '', email: initialEmail, password: '' },
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
      onSignedUp(email);
    } catch (caught) {
      setError(applyServerError(form, caught));
    }
  }

  return (
    <form onSubmit={form.onSubmit(signUp)} noValidate aria-label={label}>
      <Stack gap="md">
        <TextInput label="Name" autoComplete="name" placeholder="Ada Lovelace" {...form.getInputProps('name')} />
        <TextInput label="Email" type="email" autoComplete="email" placeholder="you@example.com" {...form.getInputProps('email')} />
        <PasswordStrengthInput label="Password" {...form.getInputProps('password')} value={form.values.password} />
        <FormError>{error}</FormError>
        <Button type="submit" fullWidth size="md" loading={form.submitting}>
          Create account
        </Button>
        <Text size="xs" c="dimmed" ta="center">
          {note}
        </Text>
      </Stack>
    </form>
  );
}
