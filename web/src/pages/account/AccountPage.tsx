import { Stack } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader';
import { PendingInviteBanner } from '../../components/PendingInviteBanner';
import { useMe } from '../../hooks/use-me';
import { LicensesList } from './LicensesList';
import { ProfileSection } from './ProfileSection';

export function AccountPage() {
  const { me } = useMe();
  return (
    <Stack gap={48}>
      <section aria-labelledby="licenses-heading">
        <PendingInviteBanner />
        <PageHeader
          title="My licenses"
          titleId="licenses-heading"
          description="Licenses your organizations have given you. Use them to activate products on your devices."
        />
        <LicensesList />
      </section>
      <ProfileSection user={me.user} />
    </Stack>
  );
}
