import { Badge, Group, Menu, ScrollArea, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconBuilding, IconCheck, IconSelector } from '@tabler/icons-react';
import type { OrganizationSummary } from '@allot/contract';
import { ACCESS_COLORS, ACCESS_LABELS } from '../lib/roles';

type OrganizationSwitcherProps = {
  organizations: OrganizationSummary[];
  current: OrganizationSummary;
  onSelect: (organization: OrganizationSummary) => void;
};

function OrganizationLabel({ organization }: { organization: OrganizationSummary }) {
  return (
    <Group gap={6} wrap="nowrap">
      <IconBuilding size={16} aria-hidden style={{ flexShrink: 0, opacity: 0.7 }} />
      <Text size="sm" fw={600} truncate="end" maw={{ base: 120, xs: 220 }}>
        <VisuallyHidden>Current organization: </VisuallyHidden>
        {organization.name}
      </Text>
    </Group>
  );
}

/** Shows the current organization; a menu appears only for people who can open more than one. */
export function OrganizationSwitcher({ organizations, current, onSelect }: OrganizationSwitcherProps) {
  if (organizations.length < 2) return <OrganizationLabel organization={current} />;
  return (
    <Menu position="bottom-start" width={280} shadow="md">
      <Menu.Target>
        <UnstyledButton>
          <Group gap={4} wrap="nowrap">
            <OrganizationLabel organization={current} />
            <IconSelector size={14} aria-hidden />
            <VisuallyHidden>. Switch organization</VisuallyHidden>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Organizations</Menu.Label>
        <ScrollArea.Autosize mah={360} type="scroll">
          {organizations.map((organization) => (
            <Menu.Item
              key={organization.id}
              onClick={() => onSelect(organization)}
              rightSection={organization.id === current.id ? <IconCheck size={14} /> : null}
            >
              <Group gap={8} justify="space-between" wrap="nowrap">
                <Text size="sm" truncate="end">
                  {organization.name}
                </Text>
                <Badge size="xs" variant="light" color={ACCESS_COLORS[organization.access]} style={{ flexShrink: 0 }}>
                  {ACCESS_LABELS[organization.access]}
                </Badge>
              </Group>
            </Menu.Item>
          ))}
        </ScrollArea.Autosize>
      </Menu.Dropdown>
    </Menu>
  );
}
