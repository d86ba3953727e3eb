import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';

type LogoProps = { size?: 'sm' | 'lg' };

/** The product mark: a key badge and the word "Allot". */
export function Logo({ size = 'sm' }: LogoProps) {
  const large = size === 'lg';
  return (
    <Group gap={large ? 'sm' : 8} wrap="nowrap">
      <ThemeIcon size={large ? 40 : 30} radius="md" variant="gradient" gradient={{ from: 'indigo.5', to: 'violet.6', deg: 135 }} aria-hidden>
        <IconKey size={large ? 22 : 17} stroke={2.2} />
      </ThemeIcon>
      <Text component="span" fw={750} fz={large ? 26 : 20} lh={1} style={{ letterSpacing: '-0.02em' }}>
        Allot
      </Text>
    </Group>
  );
}
