import { Tooltip } from '@mantine/core';
import type { ReactElement } from 'react';

type ReasonTooltipProps = {
  /** Why the control inside is disabled; null when it is not. */
  reason: string | null;
  children: ReactElement;
};

/**
 * Explains a disabled button on hover and focus. Disabled buttons get no pointer or focus events,
 * so the tooltip sits on a focusable wrapper around it.
 */
export function ReasonTooltip({ reason, children }: ReasonTooltipProps) {
  if (!reason) return children;
  return (
    <Tooltip label={reason} withArrow multiline maw={260}>
      <span tabIndex={0} style={{ display: 'inline-flex', cursor: 'not-allowed', borderRadius: 'var(--mantine-radius-md)' }}>
        {children}
      </span>
    </Tooltip>
  );
}
