import { Tabs } from '@mantine/core';
import { IconAdjustments, IconKey, IconWebhook } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useOrganizations } from '../../layout/current-organization';

/** The sections of an organization's settings, each at its own address; tokens and webhooks are the organization admins' alone. */
const SETTINGS_SECTIONS = [
  { value: 'general', label: 'General', to: '/settings', icon: IconAdjustments, adminOnly: false },
  { value: 'api-tokens', label: 'API tokens', to: '/settings/api-tokens', icon: IconKey, adminOnly: true },
  { value: 'webhooks', label: 'Webhooks', to: '/settings/webhooks', icon: IconWebhook, adminOnly: true },
] as const;

export type SettingsSection = (typeof SETTINGS_SECTIONS)[number]['value'];

export function SettingsTabs({ active }: { active: SettingsSection }) {
  const navigate = useNavigate();
  const { current } = useOrganizations();
  const sections = SETTINGS_SECTIONS.filter((section) => !section.adminOnly || current?.access === 'admin');
  return (
    <Tabs value={active} onChange={(value) => void navigate(SETTINGS_SECTIONS.find((section) => section.value === value)?.to ?? '/settings')} mb="xl">
      <Tabs.List>
        {sections.map((section) => (
          <Tabs.Tab key={section.value} value={section.value} leftSection={<section.icon size={16} />}>
            {section.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
