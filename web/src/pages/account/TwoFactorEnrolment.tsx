import { ActionIcon, Box, Button, Code, CopyButton, Group, Paper, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { QRCodeSVG } from 'qrcode.react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../../api';
import { authClient, callAuth } from '../../auth-client';
import { AuthCodeInput } from '../../components/AuthCodeInput';
import { FormError } from '../../components/FormError';

/** The base32 secret inside an otpauth:// URI, for people who cannot scan the QR code. */
export function secretFromTotpUri(totpURI: string): string {
  try {
    return new URL(totpURI).searchParams.get('secret') ?? '';
  } catch {
    return /[?&]secret=([^&]+)/.exec(totpURI)?.[1] ?? '';
  }
}

function groupedForReading(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

function Step({ number, title, children }: { number: number; title: string; children: ReactNode }) {
  return (
    <Group align="flex-start" gap="md" wrap="nowrap">
      <ThemeIcon size={28} radius="xl" variant="light" aria-hidden style={{ flexShrink: 0 }}>
        <Text fw={700} size="sm">
          {number}
        </Text>
      </ThemeIcon>
      <Stack gap="sm" style={{ flex: 1, minWidth: 0 }}>
        <Text fw={600}>{title}</Text>
        {children}
      </Stack>
    </Group>
  );
}

type TwoFactorEnrolmentProps = {
  totpURI: string;
  onVerified: () => void;
  onCancel: () => void;
};

/** Scan the QR code, then prove it worked with one code; that turns two-factor on. */
export function TwoFactorEnrolment({ totpURI, onVerified, onCancel }: TwoFactorEnrolmentProps) {
  const secret = secretFromTotpUri(totpURI);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);

  async function verify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setCodeError(null);
    if (!/^\d{6}$/.test(code)) {
      setCodeError('Enter the 6-digit code from your authenticator app.');
      return;
    }
    setVerifying(true);
    try {
      await callAuth((fetchOptions) => authClient.twoFactor.verifyTotp({ code, fetchOptions }));
      onVerified();
    } catch (caught) {
      setError(errorMessage(caught));
      setVerifying(false);
    }
  }

  return (
    <Stack gap="xl">
      <Step number={1} title="Scan this QR code with your authenticator app">
        <Text size="sm" c="dimmed">
          Use any app that supports time-based codes, such as 1Password, Bitwarden, Google Authenticator or Microsoft Authenticator.
        </Text>
        <Group align="center" gap="xl">
          <Paper p="sm" bg="white" withBorder style={{ lineHeight: 0 }}>
            <QRCodeSVG value={totpURI} size={176} marginSize={0} title="QR code for your authenticator app" />
          </Paper>
          <Box style={{ flex: '1 1 220px', minWidth: 0 }}>
            <Text size="sm" fw={500} mb={6}>
              Can&apos;t scan it? Enter this key instead:
            </Text>
            <Group gap={6} wrap="nowrap">
              <Code fz="sm" px="sm" py={6} style={{ wordBreak: 'break-all' }} aria-label="Setup key" data-testid="totp-secret" data-secret={secret}>
                {groupedForReading(secret)}
              </Code>
              <CopyButton value={secret} timeout={2000}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
                    <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy to clipboard">
                      {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                    </ActionIcon>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
          </Box>
        </Group>
      </Step>
      <Step number={2} title="Enter the 6-digit code it shows">
        <form onSubmit={(event) => void verify(event)} noValidate>
          <Stack gap="md" maw={360}>
            <AuthCodeInput value={code} onChange={setCode} error={codeError} />
            <FormError>{error}</FormError>
            <Group gap="sm">
              <Button type="submit" loading={verifying}>
                Verify
              </Button>
              <Button variant="default" onClick={onCancel} disabled={verifying}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </form>
      </Step>
    </Stack>
  );
}
