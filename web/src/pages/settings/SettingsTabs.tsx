import { Tabs } from '@mantine/core';
import { IconAdjustments, IconKey, IconWebhook } from '@tabler/icons-react';
import { useNavigate } from 'react-router';

/** The sections of an organization's settings, each at its own address. */
const SETTINGS_SECTIONS = [
  { value: 'general', label: 'General', to: '/settings', icon: IconAdjustments },
  { value: 'api-tokens', label: 'API tokens', to: '/settings/api-tokens', icon: IconKey },
  { value: 'webhooks', label: 'Webhooks', to: '/settings/webhooks', icon: IconWebhook },
] as const;

export type SettingsSection = (typeof SETTINGS_SECTIONS)[number]['value'];

export function SettingsTabs({ active }: { active: SettingsSection }) {
  const navigate = useNavigate();
  return (
    <Tabs value={active} onChange={(value) => void navigate(SETTINGS_SECTIONS.find((section) => section.value === value)?.to ?? '/settings')} mb="xl">
      <Tabs.List>
        {SETTINGS_SECTIONS.map((section) => (
          <Tabs.Tab key={section.value} value={section.value} leftSection={<section.icon size={16} />}>
            {section.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
