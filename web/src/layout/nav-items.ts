import { IconLicense, IconMailbox, IconShieldLock, type Icon } from '@tabler/icons-react';
import type { Instance, Me } from '../api-types';

export type NavContext = { me: Me; instance: Instance | null };

export type NavItem = {
  label: string;
  to: string;
  icon: Icon;
  /** Highlight only on this exact path (for parents of other items). */
  exact?: boolean;
  /** Leave out to show the item to everyone signed in. */
  visible?: (context: NavContext) => boolean;
};

export type NavSection = { label?: string; items: NavItem[] };

/**
 * The left navigation. Add a page by adding an entry here (e.g. Licenses, Teams, Invitations
 * and Audit log as an "Organization" section shown to org members).
 */
export const NAV_SECTIONS: NavSection[] = [
  {
    items: [
      { label: 'My licenses', to: '/account', icon: IconLicense, exact: true },
      { label: 'Security', to: '/account/security', icon: IconShieldLock },
    ],
  },
  {
    label: 'Operator',
    items: [
      {
        label: 'Dev mailbox',
        to: '/dev/mailbox',
        icon: IconMailbox,
        visible: ({ me, instance }) => me.isOperator && instance?.mailMode === 'dev-mailbox',
      },
    ],
  },
];

export function visibleNavSections(context: NavContext): NavSection[] {
  return NAV_SECTIONS.map((section) => ({
    ...section,
    items: section.items.filter((item) => item.visible?.(context) ?? true),
  })).filter((section) => section.items.length > 0);
}

export function isNavItemActive(item: NavItem, pathname: string): boolean {
  if (item.exact) return pathname === item.to || pathname === `${item.to}/`;
  return pathname === item.to || pathname.startsWith(`${item.to}/`);
}
