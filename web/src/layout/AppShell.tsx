import {
  ActionIcon,
  Avatar,
  Burger,
  Button,
  Divider,
  Group,
  AppShell as MantineAppShell,
  ScrollArea,
  Stack,
  Text,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout, IconMoon, IconSun } from '@tabler/icons-react';
import { Suspense, useEffect, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { Me, OrganizationSummary } from '@allot/contract';
import { FullPageLoader } from '../components/FullPageLoader';
import { Logo } from '../components/Logo';
import { RouteErrorBoundary } from '../components/RouteErrorBoundary';
import { OrganizationsProvider, useOrganizations } from './current-organization';
import { Navigation } from './Navigation';
import { isOrganizationPage, pageAfterOrganizationSwitch } from './nav-items';
import { OpenTeamProvider } from './open-team';
import { OrganizationSwitcher } from './OrganizationSwitcher';
import { useSignOut } from './sign-out';
import { TwoFactorBanner, TwoFactorPolicyProvider, TwoFactorRequiredPanel, useTwoFactorPolicy } from './two-factor-policy';
import { initialsOf, UserMenu } from './UserMenu';

type AppShellProps = { me: Me; children: ReactNode };

/** The signed-in frame: top bar, left navigation (a burger drawer on phones) and the page. */
export function AppShell({ me, children }: AppShellProps) {
  return (
    <OrganizationsProvider>
      <TwoFactorPolicyProvider twoFactorEnabled={me.user.twoFactorEnabled}>
        <OpenTeamProvider>
          <ShellFrame me={me}>{children}</ShellFrame>
        </OpenTeamProvider>
      </TwoFactorPolicyProvider>
    </OrganizationsProvider>
  );
}

function ShellFrame({ me, children }: AppShellProps) {
  const [navbarOpened, navbar] = useDisclosure(false);
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const { signOut, signingOut } = useSignOut();
  const { organizations, current: currentOrganization, select } = useOrganizations();
  const { requirements, refusedPath } = useTwoFactorPolicy();
  // An organization page is refused when one of its requests was answered TWO_FACTOR_ENROLMENT_REQUIRED,
  // or when the current organization is known to refuse (its grace period is over). Other pages
  // (the account's) stay open: that is where the person turns two-factor on.
  const blockedHere = requirements.find((requirement) => requirement.blocked && requirement.organizationId === currentOrganization?.id);
  const refused = isOrganizationPage(pathname) && (refusedPath !== null || blockedHere !== undefined);

  const closeNavbar = navbar.close;
  useEffect(() => closeNavbar(), [pathname, closeNavbar]);

  function selectOrganization(organization: OrganizationSummary) {
    select(organization.id);
    // Filters and team pages belong to the previous organization: start over on the section's list.
    // (The address bar, not the rendered location: a navigation may still be rendering.)
    const landing = pageAfterOrganizationSwitch(window.location.pathname);
    if (landing) void navigate(landing);
  }

  return (
    <MantineAppShell header={{ height: 60 }} navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !navbarOpened } }} padding={{ base: 'md', sm: 'xl' }}>
      <MantineAppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger opened={navbarOpened} onClick={navbar.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Link to="/" aria-label="Allot home" style={{ color: 'inherit', textDecoration: 'none' }}>
              <Logo />
            </Link>
            {currentOrganization ? (
              <>
                <Divider orientation="vertical" my={18} visibleFrom="xs" />
                <Group visibleFrom="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                  <OrganizationSwitcher organizations={organizations} current={currentOrganization} onSelect={selectOrganization} />
                </Group>
              </>
            ) : null}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <ColorSchemeToggle />
            <UserMenu user={me.user} onSignOut={() => void signOut()} signingOut={signingOut} />
          </Group>
        </Group>
      </MantineAppShell.Header>

      <MantineAppShell.Navbar p="sm" aria-label="Main navigation">
        <MantineAppShell.Section grow component={ScrollArea} scrollbars="y">
          <Navigation me={me} pathname={pathname} />
        </MantineAppShell.Section>
        <MantineAppShell.Section>
          <Divider mb="sm" />
          <Stack gap="sm">
            <Group gap="sm" wrap="nowrap" px={4}>
              <Avatar size={36} radius="xl" color="indigo" variant="light">
                {initialsOf(me.user.name, me.user.email)}
              </Avatar>
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} truncate="end">
                  {me.user.name}
                </Text>
                <Text size="xs" c="dimmed" truncate="end">
                  {me.user.email}
                </Text>
              </div>
            </Group>
            <Button variant="default" fullWidth leftSection={<IconLogout size={16} />} onClick={() => void signOut()} loading={signingOut}>
              Sign out
            </Button>
          </Stack>
        </MantineAppShell.Section>
      </MantineAppShell.Navbar>

      <MantineAppShell.Main>
        <div style={{ maxWidth: 1200, marginInline: 'auto' }}>
          {currentOrganization ? (
            <Group hiddenFrom="xs" mb="md">
              <OrganizationSwitcher organizations={organizations} current={currentOrganization} onSelect={selectOrganization} />
            </Group>
          ) : null}
          {refused ? null : <TwoFactorBanner />}
          <RouteErrorBoundary key={pathname}>
            {refused ? (
              <TwoFactorRequiredPanel organizationName={(blockedHere ?? requirements.find((requirement) => requirement.blocked))?.organizationName ?? null} />
            ) : (
              <Suspense fallback={<FullPageLoader />}>{children}</Suspense>
            )}
          </RouteErrorBoundary>
        </div>
      </MantineAppShell.Main>
    </MantineAppShell>
  );
}

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: true });
  const next = computed === 'dark' ? 'light' : 'dark';
  const label = `Switch to ${next} theme`;
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label} onClick={() => setColorScheme(next)}>
        {computed === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}
