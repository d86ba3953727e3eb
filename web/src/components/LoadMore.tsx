import { Button, Group, Text } from '@mantine/core';
import { formatNumber } from '../lib/format';

type LoadMoreProps = {
  shown: number;
  /** What the rows are, plural ("licenses"). */
  noun: string;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
};

/** The footer of a keyset-paginated table: how many rows are shown and a "Load more" button. */
export function LoadMore({ shown, noun, hasMore, loading, onLoadMore }: LoadMoreProps) {
  return (
    <Group justify="space-between" gap="sm" mt="md">
      <Text size="sm" c="dimmed" aria-live="polite">
        {hasMore ? `Showing the first ${formatNumber(shown)} ${noun}` : `${formatNumber(shown)} ${noun}`}
      </Text>
      {hasMore ? (
        <Button variant="default" onClick={onLoadMore} loading={loading}>
          Load more
        </Button>
      ) : null}
    </Group>
  );
}
