import { Alert, Button, Card, EmptyState, Group, List, Stack, Text } from '@mantine/core';
import { IconShieldExclamation, IconShieldLock } from '@tabler/icons-react';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { api, onTwoFactorEnrolmentRequired } from '../api';
import type { TwoFactorRequirements } from '@allot/contract';
import { usePageTitle } from '../hooks/use-page-title';
import { formatDate } from '../lib/format';

type TwoFactorRequirement = TwoFactorRequirements['items'][number];

type TwoFactorPolicyValue = {
  /** Organizations whose policy covers this person while they have no second factor. */
  requirements: TwoFactorRequirement[];
  /** The page at this path was refused for want of a second factor: show what to do instead. */
  refusedPath: string | null;
};

const TwoFactorPolicyContext = createContext<TwoFactorPolicyValue>({ requirements: [], refusedPath: null });

const SECURITY_PATH = '/account/security';

/**
 * Loads GET /api/v1/me/two-factor-requirements for the signed-in shell, again whenever the person
 * turns two-factor on or off, and whenever an answer says a policy now shuts them out.
 */
export function TwoFactorPolicyProvider({ twoFactorEnabled, children }: { twoFactorEnabled: boolean; children: ReactNode }) {
  const { pathname } = useLocation();
  const [requirements, setRequirements] = useState<TwoFactorRequirement[]>([]);
  const [refused, setRefused] = useState<{ path: string; twoFactorEnabled: boolean } | null>(null);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const answer = await api<TwoFactorRequirements>('/me/two-factor-requirements', signal ? { signal } : {});
      setRequirements(answer.items);
    } catch {
      // Advisory: without the list there is no banner, and refused pages still say why.
    }
  }, []);

  // Loaded again when two-factor is turned on or off: the list changes with it.
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, twoFactorEnabled]);

  // A page's requests refused together (a page makes several) read the list once; another page,
  // or two-factor turned on or off, reads it again.
  const lastRefusedPath = useRef<string | null>(null);
  useEffect(() => {
    lastRefusedPath.current = null;
  }, [pathname, twoFactorEnabled]);
  useEffect(
    () =>
      onTwoFactorEnrolmentRequired(() => {
        // The address bar, not the rendered path: the answer may belong to a page still rendering.
        const path = window.location.pathname;
        setRefused({ path, twoFactorEnabled });
        if (lastRefusedPath.current === path) return;
        lastRefusedPath.current = path;
        void load();
      }),
    [load, twoFactorEnabled],
  );

  // A refusal holds for the page it came from, and until the person turns two-factor on.
  const refusedPath = refused && refused.path === pathname && refused.twoFactorEnabled === twoFactorEnabled ? refused.path : null;
  const value = useMemo(() => ({ requirements, refusedPath }), [requirements, refusedPath]);
  return <TwoFactorPolicyContext.Provider value={value}>{children}</TwoFactorPolicyContext.Provider>;
}

export function useTwoFactorPolicy(): TwoFactorPolicyValue {
  return useContext(TwoFactorPolicyContext);
}

/** What the person must do for one organization, as a sentence. */
function deadline(requirement: TwoFactorRequirement): string {
  if (requirement.blocked) return 'Its pages are closed to you until you turn it on.';
  return requirement.graceUntil ? `Turn it on by ${formatDate(requirement.graceUntil)} to keep working with it.` : 'Turn it on to keep working with it.';
}

/** Above every page while an organization's 2FA policy covers this person: who asks, and by when. */
export function TwoFactorBanner() {
  const { requirements } = useTwoFactorPolicy();
  const { pathname } = useLocation();
  if (requirements.length === 0) return null;
  const blocked = requirements.some((requirement) => requirement.blocked);
  const [only] = requirements;
  return (
    <Alert
      color={blocked ? 'red' : 'orange'}
      variant="light"
      icon={<IconShieldExclamation size={18} />}
      title={
        requirements.length === 1 && only
          ? `${only.organizationName} requires two-factor authentication`
          : 'Your organizations require two-factor authentication'
      }
      mb="xl"
    >
      <Stack gap="sm">
        {requirements.length === 1 && only ? (
          <Text size="sm">{deadline(only)}</Text>
        ) : (
          <List size="sm" spacing={4}>
            {requirements.map((requirement) => (
              <List.Item key={requirement.organizationId}>
                {requirement.organizationName}: {deadline(requirement)}
              </List.Item>
            ))}
          </List>
        )}
        {pathname === SECURITY_PATH ? null : (
          <Group>
            <Button component={Link} to={SECURITY_PATH} size="xs" color={blocked ? 'red' : undefined}>
              Set up two-factor authentication
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** In place of a page its organization refused: what happened, and the way out. */
export function TwoFactorRequiredPanel({ organizationName }: { organizationName: string | null }) {
  usePageTitle('Two-factor authentication required');
  const who = organizationName ?? 'This organization';
  return (
    <Card padding="xl" mt="md">
      <EmptyState icon={<IconShieldLock size={28} stroke={1.6} />} variant="light" color="red" py="lg">
        {/* The panel stands in for the page: its title is the page's h1. */}
        <EmptyState.Title order={1} m={0}>
          Two-factor authentication required
        </EmptyState.Title>
        <EmptyState.Description>
          {who} asks everyone who works with it to sign in with a second factor, and its grace period is over. Turn on two-factor authentication for your
          account: this page opens again as soon as it is on.
        </EmptyState.Description>
        <EmptyState.Actions>
          <Button component={Link} to={SECURITY_PATH} leftSection={<IconShieldLock size={16} />}>
            Set up two-factor authentication
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}
