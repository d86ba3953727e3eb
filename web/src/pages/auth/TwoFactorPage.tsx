import { Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage, isApiError } from '../../api';
import { authClient, callAuth } from '../../auth-client';
import { AuthCard } from '../../components/AuthCard';
import { AuthCodeInput } from '../../components/AuthCodeInput';
import { FormError } from '../../components/FormError';
import { useRedirectParam } from '../../hooks/use-redirect-param';
import { pathWithQuery } from '../../lib/redirect';

type Method = 'totp' | 'recovery';

function describeTwoFactorError(error: unknown): string {
  if (isApiError(error) && error.code === 'INVALID_TWO_FACTOR_COOKIE') {
    return 'This sign-in attempt has expired. Go back and sign in again.';
  }
  return errorMessage(error);
}

export function TwoFactorPage() {
  const navigate = useNavigate();
  const { redirect, forward } = useRedirectParam();
  const [method, setMethod] = useState<Method>('totp');
  const [code, setCode] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);

  function switchMethod() {
    setMethod((current) => (current === 'totp' ? 'recovery' : 'totp'));
    setCode('');
    setError(null);
    setFieldError(null);
  }

  async function verify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setFieldError(null);
    const trimmed = code.trim();
    if (method === 'totp' && !/^\d{6}$/.test(trimmed)) {
      setFieldError('Enter the 6-digit code from your authenticator app.');
      return;
    }
    if (method === 'recovery' && !trimmed) {
      setFieldError('Enter one of your recovery codes.');
      return;
    }
    setSubmitting(true);
    try {
      if (method === 'totp') {
        await callAuth((fetchOptions) => authClient.twoFactor.verifyTotp({ code: trimmed, trustDevice: false, fetchOptions }));
      } else {
        await callAuth((fetchOptions) => authClient.twoFactor.verifyBackupCode({ code: trimmed, fetchOptions }));
      }
      void navigate(redirect, { replace: true });
    } catch (caught) {
      setError(describeTwoFactorError(caught));
      setSubmitting(false);
    }
  }

  const description =
    method === 'totp'
      ? 'Open your authenticator app and enter the 6-digit code for Allot.'
      : 'Enter one of the recovery codes you saved when you turned on two-factor authentication. Each code works once.';

  return (
    <AuthCard
      title="Two-factor authentication"
      description={description}
      footer={
        <Anchor component={Link} to={pathWithQuery('/sign-in', { redirect: forward })} size="sm">
          Back to sign in
        </Anchor>
      }
    >
      <form onSubmit={(event) => void verify(event)} noValidate>
        <Stack gap="md">
          {method === 'totp' ? (
            <AuthCodeInput value={code} onChange={setCode} error={fieldError} autoFocus />
          ) : (
            <TextInput
              label="Recovery code"
              placeholder="xxxxx-xxxxx"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              size="lg"
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              error={fieldError}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              autoFocus
            />
          )}
          <FormError>{error}</FormError>
          <Button type="submit" fullWidth size="md" loading={submitting}>
            Verify
          </Button>
          <Anchor component="button" type="button" onClick={switchMethod} size="sm" fw={500} ta="center">
            {method === 'totp' ? 'Use a recovery code instead' : 'Use your authenticator app instead'}
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
