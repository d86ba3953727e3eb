import { Group, Progress, Text } from '@mantine/core';
import { formatNumber } from '../lib/format';

type UsageBarProps = { assigned: number; total: number; withLabel?: boolean; width?: number | string };

/** How much of a pool is handed out: a thin bar, amber when nearly full and red when full. */
export function UsageBar({ assigned, total, withLabel = false, width = 120 }: UsageBarProps) {
  const percent = total > 0 ? Math.min(100, (assigned / total) * 100) : 0;
  const color = total > 0 && assigned >= total ? 'red' : percent >= 85 ? 'orange' : 'indigo';
  return (
    <Group gap={8} wrap="nowrap">
      <Progress value={percent} color={color} size="sm" radius="xl" w={width} aria-label={`${formatNumber(assigned)} of ${formatNumber(total)} assigned`} />
      {withLabel ? (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {Math.round(percent)}%
        </Text>
      ) : null}
    </Group>
  );
}
