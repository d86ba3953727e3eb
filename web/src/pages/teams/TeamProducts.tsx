import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { Team } from '@allot/contract';
import { formatNumber } from '../../lib/format';

/** One small badge per product: "IIU 3/5", with the full name and free count on hover. */
export function TeamProducts({ team }: { team: Team }) {
  if (team.products.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No licenses
      </Text>
    );
  }
  return (
    <Group gap={6}>
      {team.products.map((product) => (
        <Tooltip
          key={product.productId}
          label={`${product.productName}: ${formatNumber(product.assigned)} assigned, ${formatNumber(product.free)} free of ${formatNumber(product.total)}`}
          withArrow
        >
          <Badge variant="light" color={product.free === 0 ? 'orange' : 'indigo'} size="md" radius="sm" tt="none" fw={600}>
            <Text span ff="monospace" fz="inherit" fw="inherit">
              {product.productCode}
            </Text>{' '}
            {formatNumber(product.assigned)}/{formatNumber(product.total)}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}
