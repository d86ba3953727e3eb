import { Anchor, Stack } from '@mantine/core';
import { Link } from 'react-router';
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
          description={
            <>
              Licenses your organizations have given you. To activate a product with your account, use the product&apos;s sign-in, or an{' '}
              <Anchor component={Link} to="/account/security" inherit>
                app password
              </Anchor>{' '}
              from your security settings.
            </>
          }
        />
        <LicensesList />
      </section>
      <ProfileSection user={me.user} />
    </Stack>
  );
}
