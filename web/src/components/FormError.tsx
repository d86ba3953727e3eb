import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';

type FormErrorProps = { children: ReactNode; title?: string };

/** The server's message, shown inline above a form's submit button. Renders nothing when empty. */
export function FormError({ children, title }: FormErrorProps) {
  if (!children) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={title} role="alert">
      {children}
    </Alert>
  );
}
