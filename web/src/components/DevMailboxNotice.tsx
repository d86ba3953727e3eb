import { Alert, Anchor } from '@mantine/core';
import { IconMailbox } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useInstance } from '../hooks/use-instance';

/** On instances without SMTP, tells people where the message they are waiting for went. */
export function DevMailboxNotice() {
  const { instance } = useInstance();
  if (instance?.mailMode !== 'dev-mailbox') return null;
  return (
    <Alert color="yellow" variant="light" icon={<IconMailbox size={18} />} title="No mail server">
      No mail server is configured on this instance.{' '}
      <Anchor component={Link} to="/dev/mailbox" fw={600} size="sm">
        Open the dev mailbox
      </Anchor>{' '}
      to read the message.
    </Alert>
  );
}
