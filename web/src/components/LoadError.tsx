import { Button, Stack } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { FormError } from './FormError';

type LoadErrorProps = { title: string; message: string; onRetry: () => Promise<void> | void };

/** A failed load: the server's message and a "Try again" button. */
export function LoadError({ title, message, onRetry }: LoadErrorProps) {
  const [retrying, setRetrying] = useState(false);
  async function retry() {
    setRetrying(true);
    try {
      await onRetry();
    } finally {
      setRetrying(false);
    }
  }
  return (
    <Stack gap="sm" align="flex-start">
      <FormError title={title}>{message}</FormError>
      <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void retry()} loading={retrying}>
        Try again
      </Button>
    </Stack>
  );
}
