import { EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

type EmptyPanelProps = {
  icon: ReactNode;
  title: string;
  description: ReactNode;
  /** Buttons under the sentence (e.g. "Create team"). */
  children?: ReactNode;
  color?: string;
};

/** What a list shows when it has nothing in it: an icon, a title and one helpful sentence. */
export function EmptyPanel({ icon, title, description, children, color }: EmptyPanelProps) {
  return (
    <EmptyState icon={icon} variant="light" color={color} title={title} description={description} py="xl" px="md">
      {children ? <EmptyState.Actions>{children}</EmptyState.Actions> : null}
    </EmptyState>
  );
}
