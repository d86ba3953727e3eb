import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAt, IconCircleCheck, IconKey } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { MeUser } from '@allot/contract';
import { SectionCard } from '../../components/SectionCard';
import { ChangeEmailModal } from './ChangeEmailModal';
import { ChangePasswordModal } from './ChangePasswordModal';

function ProfileRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="md" wrap="nowrap" align="baseline">
      <Text size="sm" c="dimmed" w={72} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <div style={{ minWidth: 0 }}>{children}</div>
    </Group>
  );
}

export function ProfileSection({ user }: { user: MeUser }) {
  const [emailModalOpened, emailModal] = useDisclosure(false);
  const [passwordModalOpened, passwordModal] = useDisclosure(false);

  return (
    <SectionCard title="Profile" description="The name and email address administrators see when they share licenses with you.">
      <Stack gap="sm">
        <ProfileRow label="Name">
          <Text size="sm" fw={500}>
            {user.name}
          </Text>
        </ProfileRow>
        <ProfileRow label="Email">
          <Group gap="xs" wrap="wrap">
            <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
              {user.email}
            </Text>
            {user.emailVerified ? (
              <Badge color="teal" variant="light" size="sm" leftSection={<IconCircleCheck size={12} />}>
                Verified
              </Badge>
            ) : (
              <Badge color="yellow" variant="light" size="sm">
                Not verified
              </Badge>
            )}
          </Group>
        </ProfileRow>
      </Stack>
      <Group gap="sm">
        <Button variant="default" leftSection={<IconAt size={16} />} onClick={emailModal.open}>
          Change email
        </Button>
        <Button variant="default" leftSection={<IconKey size={16} />} onClick={passwordModal.open}>
          Change password
        </Button>
      </Group>
      <ChangeEmailModal opened={emailModalOpened} onClose={emailModal.close} currentEmail={user.email} />
      <ChangePasswordModal opened={passwordModalOpened} onClose={passwordModal.close} />
    </SectionCard>
  );
}
