import { Alert, Button, CopyButton, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconLifebuoy } from '@tabler/icons-react';

type RecoveryCodesProps = { codes: string[]; accountEmail: string };

function downloadCodes(codes: string[], accountEmail: string) {
  const text = [
    'Allot recovery codes',
    `Account: ${accountEmail}`,
    `Generated: ${new Date().toISOString()}`,
    '',
    'Each code works once. Use one when you cannot use your authenticator app.',
    '',
    ...codes,
    '',
  ].join('\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'allot-recovery-codes.txt';
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The one-time recovery codes with copy and download buttons. */
export function RecoveryCodes({ codes, accountEmail }: RecoveryCodesProps) {
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" icon={<IconLifebuoy size={18} />} title="Save your recovery codes">
        Store these somewhere safe. Each works once. They let you sign in if you lose access to your authenticator app, and this is the only time they are
        shown.
      </Alert>
      <Paper withBorder p="md" bg="var(--mantine-color-default-hover)">
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" verticalSpacing={6} aria-label="Recovery codes" data-testid="recovery-codes">
          {codes.map((code) => (
            <Text key={code} ff="monospace" fz="md" fw={500} ta="center" style={{ letterSpacing: '0.05em' }}>
              {code}
            </Text>
          ))}
        </SimpleGrid>
      </Paper>
      <Group gap="sm">
        <CopyButton value={codes.join('\n')} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              color={copied ? 'teal' : undefined}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy codes'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => downloadCodes(codes, accountEmail)}>
          Download .txt
        </Button>
      </Group>
    </Stack>
  );
}
