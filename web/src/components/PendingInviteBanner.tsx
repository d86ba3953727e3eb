import { Alert, Button, Group, Text } from '@mantine/core';
import { IconLicense } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { clearPendingInvite, invitePath, readPendingInvite } from '../lib/pending-invite';

/**
 * "Continue claiming your license": shown on the pages people land on after signing in, when an
 * invitation link they opened signed out was not claimed yet (the fallback for a lost redirect).
 */
export function PendingInviteBanner() {
  const [token, setToken] = useState(readPendingInvite);
  if (!token) return null;

  function dismiss() {
    clearPendingInvite();
    setToken(null);
  }

  return (
    <Alert
      color="indigo"
      variant="light"
      icon={<IconLicense size={18} />}
      title="You opened an invitation link"
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={dismiss}
      mb="xl"
    >
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text size="sm">A license is waiting for you to claim it.</Text>
        <Button component={Link} to={invitePath(token)} size="xs" onClick={dismiss}>
          Continue claiming your license
        </Button>
      </Group>
    </Alert>
  );
}
