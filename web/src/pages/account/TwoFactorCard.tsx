import { Badge, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconRefresh, IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../api';
import { authClient, callAuth } from '../../auth-client';
import { FormError } from '../../components/FormError';
import { SectionCard } from '../../components/SectionCard';
import { useMe } from '../../hooks/use-me';
import { applyServerError } from '../../lib/form-errors';
import { RecoveryCodes } from './RecoveryCodes';
import { TwoFactorEnrolment } from './TwoFactorEnrolment';

type PasswordPurpose = 'enable' | 'disable' | 'regenerate';

type TwoFactorStep =
  | { kind: 'overview' }
  | { kind: 'confirm-password'; purpose: PasswordPurpose }
  | { kind: 'enrol'; totpURI: string; backupCodes: string[] }
  | { kind: 'show-codes'; codes: string[]; reason: 'enabled' | 'regenerated' };

const PASSWORD_STEP_COPY: Record<PasswordPurpose, { intro: string; submit: string; danger: boolean }> = {
  enable: { intro: 'Confirm your password to set up an authenticator app.', submit: 'Continue', danger: false },
  disable: {
    intro: 'Confirm your password to turn off two-factor authentication. Your account will be protected by your password alone.',
    submit: 'Disable',
    danger: true,
  },
  regenerate: {
    intro: 'Confirm your password to create new recovery codes. Your current codes stop working.',
    submit: 'Generate new codes',
    danger: false,
  },
};

export function TwoFactorCard() {
  const { me, reload } = useMe();
  const enabled = me.user.twoFactorEnabled;
  const [step, setStep] = useState<TwoFactorStep>({ kind: 'overview' });

  const badge = enabled ? (
    <Badge color="teal" variant="light" leftSection={<IconShieldCheck size={12} />}>
      Enabled
    </Badge>
  ) : (
    <Badge color="gray" variant="light">
      Off
    </Badge>
  );

  async function finishEnrolment(backupCodes: string[]) {
    await reload();
    setStep({ kind: 'show-codes', codes: backupCodes, reason: 'enabled' });
    notifications.show({
      color: 'teal',
      icon: <IconCheck size={18} />,
      title: 'Two-factor authentication is on',
      message: 'You will be asked for a code when you sign in.',
    });
  }

  return (
    <SectionCard
      title="Two-factor authentication"
      badge={badge}
      description="Ask for a code from your authenticator app, in addition to your password, whenever you sign in."
    >
      {step.kind === 'overview' ? <TwoFactorOverview enabled={enabled} onChoose={(purpose) => setStep({ kind: 'confirm-password', purpose })} /> : null}

      {step.kind === 'confirm-password' ? (
        <ConfirmPasswordStep
          purpose={step.purpose}
          onCancel={() => setStep({ kind: 'overview' })}
          onEnableStarted={(totpURI, backupCodes) => setStep({ kind: 'enrol', totpURI, backupCodes })}
          onDisabled={async () => {
            await reload();
            setStep({ kind: 'overview' });
            notifications.show({ color: 'gray', title: 'Two-factor authentication is off', message: 'Sign-in now needs only your password.' });
          }}
          onCodesRegenerated={(codes) => setStep({ kind: 'show-codes', codes, reason: 'regenerated' })}
        />
      ) : null}

      {step.kind === 'enrol' ? (
        <TwoFactorEnrolment totpURI={step.totpURI} onVerified={() => void finishEnrolment(step.backupCodes)} onCancel={() => setStep({ kind: 'overview' })} />
      ) : null}

      {step.kind === 'show-codes' ? (
        <Stack gap="md">
          <Text size="sm">
            {step.reason === 'enabled'
              ? 'Two-factor authentication is on. One last step: save your recovery codes.'
              : 'Your new recovery codes are ready. The old ones no longer work.'}
          </Text>
          <RecoveryCodes codes={step.codes} accountEmail={me.user.email} />
          <Group>
            <Button onClick={() => setStep({ kind: 'overview' })}>I have saved my codes</Button>
          </Group>
        </Stack>
      ) : null}
    </SectionCard>
  );
}

function TwoFactorOverview({ enabled, onChoose }: { enabled: boolean; onChoose: (purpose: PasswordPurpose) => void }) {
  if (!enabled) {
    return (
      <Group>
        <Button leftSection={<IconShieldCheck size={16} />} onClick={() => onChoose('enable')}>
          Enable two-factor authentication
        </Button>
      </Group>
    );
  }
  return (
    <Stack gap="md">
      <Text size="sm">Your account asks for a code from your authenticator app at sign-in. Lost your phone? Use one of your recovery codes.</Text>
      <Group gap="sm">
        <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => onChoose('regenerate')}>
          Regenerate recovery codes
        </Button>
        <Button variant="light" color="red" leftSection={<IconShieldOff size={16} />} onClick={() => onChoose('disable')}>
          Disable two-factor authentication
        </Button>
      </Group>
    </Stack>
  );
}

type ConfirmPasswordStepProps = {
  purpose: PasswordPurpose;
  onCancel: () => void;
  onEnableStarted: (totpURI: string, backupCodes: string[]) => void;
  onDisabled: () => Promise<void>;
  onCodesRegenerated: (codes: string[]) => void;
};

function ConfirmPasswordStep({ purpose, onCancel, onEnableStarted, onDisabled, onCodesRegenerated }: ConfirmPasswordStepProps) {
  const copy = PASSWORD_STEP_COPY[purpose];
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { password: '' }, validate: { password: isNotEmpty('Enter your password.') } });

  async function submit({ password }: { password: string }) {
    setError(null);
    try {
      if (purpose === 'enable') {
        const result = await callAuth((fetchOptions) => authClient.twoFactor.enable({ password, method: 'totp', fetchOptions }));
        if (result.method !== 'totp') throw new Error('The server did not return an authenticator setup.');
        onEnableStarted(result.totpURI, result.backupCodes);
      } else if (purpose === 'disable') {
        await callAuth((fetchOptions) => authClient.twoFactor.disable({ password, fetchOptions }));
        await onDisabled();
      } else {
        const result = await callAuth((fetchOptions) => authClient.twoFactor.generateBackupCodes({ password, fetchOptions }));
        onCodesRegenerated(result.backupCodes);
      }
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'INVALID_PASSWORD') form.setFieldError('password', caught.message);
      else setError(applyServerError(form, caught));
    }
  }

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="md" maw={400}>
        <Text size="sm">{copy.intro}</Text>
        <PasswordInput label="Password" autoComplete="current-password" autoFocus {...form.getInputProps('password')} />
        <FormError>{error}</FormError>
        <Group gap="sm">
          <Button type="submit" color={copy.danger ? 'red' : undefined} loading={form.submitting}>
            {copy.submit}
          </Button>
          <Button variant="default" onClick={onCancel} disabled={form.submitting}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
