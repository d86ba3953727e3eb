import { Stack } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader';
import { DataExportCard, DeleteAccountCard } from './AccountDataCards';
import { AppPasswordsCard } from './AppPasswordsCard';
import { SessionsCard } from './SessionsCard';
import { TwoFactorCard } from './TwoFactorCard';

export default function SecurityPage() {
  return (
    <>
      <PageHeader
        title="Security"
        description="Protect your account with a second factor, manage the app passwords products sign in with, keep an eye on where you are signed in, and take your data with you."
      />
      <Stack gap="xl">
        <TwoFactorCard />
        <AppPasswordsCard />
        <SessionsCard />
        <DataExportCard />
        <DeleteAccountCard />
      </Stack>
    </>
  );
}
