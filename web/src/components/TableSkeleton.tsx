import { Skeleton, Stack } from '@mantine/core';

type TableSkeletonProps = { rows?: number; label: string; rowHeight?: number };

/** Placeholder rows while a table loads. */
export function TableSkeleton({ rows = 5, label, rowHeight = 36 }: TableSkeletonProps) {
  return (
    <Stack gap="xs" aria-busy aria-label={label} role="status">
      <Skeleton height={28} width="100%" radius="sm" />
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={rowHeight} radius="sm" opacity={1 - index * (0.6 / rows)} />
      ))}
    </Stack>
  );
}

/** The whole page while what it needs first (the organization list) loads. */
export function PageSkeleton() {
  return (
    <Stack gap="xl" aria-busy aria-label="Loading page" role="status">
      <Stack gap={8}>
        <Skeleton height={30} width={220} />
        <Skeleton height={14} width={360} maw="100%" />
      </Stack>
      <Skeleton height={160} radius="md" />
      <Skeleton height={240} radius="md" />
    </Stack>
  );
}
