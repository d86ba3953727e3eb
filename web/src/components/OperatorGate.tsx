import { Card } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useMe } from '../hooks/use-me';
import { usePageTitle } from '../hooks/use-page-title';
import { EmptyPanel } from './EmptyPanel';

/** Operator pages render through this; other people see why the page is empty. */
export function OperatorGate({ children }: { children: ReactNode }) {
  const { me } = useMe();
  if (!me.isOperator) return <OperatorsOnly />;
  return children;
}

function OperatorsOnly() {
  usePageTitle('Operators only');
  return (
    <Card padding="xl" mt="xl">
      <EmptyPanel
        icon={<IconLock size={28} stroke={1.6} />}
        color="gray"
        title="Operators only"
        description="This page is for the people who run this Allot instance. Ask an operator if you need something changed here."
      />
    </Card>
  );
}
