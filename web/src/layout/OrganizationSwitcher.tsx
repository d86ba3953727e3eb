import { Badge, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconBuilding, IconCheck, IconSelector } from '@tabler/icons-react';
import type { MeOrganization } from '../api-types';

type OrganizationSwitcherProps = {
  organizations: MeOrganization[];
  current: MeOrganization;
  onSelect: (organization: MeOrganization) => void;
};

function OrganizationLabel({ organization }: { organization: MeOrganization }) {
  return (
    <Group gap={6} wrap="nowrap">
      <IconBuilding size={16} aria-hidden style={{ flexShrink: 0, opacity: 0.7 }} />
      <Text size="sm" fw={600} truncate="end" maw={{ base: 120, xs: 220 }}>
        {organization.name}
      </Text>
    </Group>
  );
}

/** Shows the current organization; a menu appears only for people in more than one. */
export function OrganizationSwitcher({ organizations, current, onSelect }: OrganizationSwitcherProps) {
  if (organizations.length < 2) {
    return (
      <div aria-label="Current organization">
        <OrganizationLabel organization={current} />
      </div>
    );
  }
  return (
    <Menu position="bottom-start" width={260} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={`Current organization: ${current.name}. Switch organization`}>
          <Group gap={4} wrap="nowrap">
            <OrganizationLabel organization={current} />
            <IconSelector size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Organizations</Menu.Label>
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
              <Badge size="xs" variant="light" color="gray">
                {organization.role === 'org_admin' ? 'Admin' : 'Viewer'}
              </Badge>
            </Group>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
