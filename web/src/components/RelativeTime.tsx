import { Text, type TextProps } from '@mantine/core';
import { formatDateTime, formatRelative } from '../lib/format';

/**
 * "3 days ago", with the exact date and time on hover. A native title rather than a Tooltip:
 * tables show hundreds of these, and each Tooltip costs a floating-element hook.
 */
export function RelativeTime({ value, ...props }: { value: string } & TextProps) {
  return (
    <Text component="time" dateTime={value} title={formatDateTime(value)} size="sm" span style={{ whiteSpace: 'nowrap' }} {...props}>
      {formatRelative(value)}
    </Text>
  );
}
