import { Button, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage, isApiError } from '../../api';
import { authClient, callAuth } from '../../auth-client';
import { useCooldown } from '../../hooks/use-cooldown';
import { emailVerifiedCallback } from '../../lib/redirect';

export const RESEND_COOLDOWN_SECONDS = 60;

type ResendVerificationButtonProps = ButtonProps & {
  email: string;
  redirect: string;
  label?: string;
  onSent?: () => void;
  onError?: (message: string) => void;
};

/** Sends the verification email again, then waits 60 s before it can be pressed again. */
export function ResendVerificationButton({ email, redirect, label = 'Resend email', onSent, onError, ...buttonProps }: ResendVerificationButtonProps) {
  const cooldown = useCooldown(RESEND_COOLDOWN_SECONDS);
  const [sending, setSending] = useState(false);

  async function resend() {
    setSending(true);
    try {
      await callAuth((fetchOptions) => authClient.sendVerificationEmail({ email, callbackURL: emailVerifiedCallback(redirect), fetchOptions }));
      cooldown.start();
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={18} />,
        title: 'Email sent',
        message: `We sent a new verification link to ${email}.`,
      });
      onSent?.();
    } catch (error) {
      if (isApiError(error) && error.status === 429 && error.retryAfter) cooldown.start(error.retryAfter);
      const message = errorMessage(error);
      if (onError) onError(message);
      else notifications.show({ color: 'red', title: 'Could not send the email', message });
    } finally {
      setSending(false);
    }
  }

  return (
    <Button
      variant="light"
      leftSection={<IconSend size={16} />}
      {...buttonProps}
      loading={sending}
      disabled={cooldown.active || !email}
      onClick={() => void resend()}
    >
      {cooldown.active ? `${label} (${cooldown.remaining} s)` : label}
    </Button>
  );
}
