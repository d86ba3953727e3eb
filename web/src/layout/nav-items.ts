import {
  IconBuilding,
  IconBuildings,
  IconChartAreaLine,
  IconHistory,
  IconKey,
  IconMailbox,
  IconPackage,
  IconReceipt,
  IconSettings,
  IconShieldLock,
  IconUserCircle,
  IconUserShield,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import type { Instance, Me, OrganizationSummary } from '@allot/contract';

export type NavContext = {
  me: Me;
  instance: Instance | null;
  /** The organization picked in the top bar (null while loading, or when there is none). */
  organization: OrganizationSummary | null;
};

export type NavItem = {
  /** A text, or one read from the context (the organization's name). */
  label: string | ((context: NavContext) => string);
  /** A second line under the label. */
  description?: string;
  to: string;
  icon: Icon;
  /** Highlight only on this exact path (for parents of other items). */
  exact?: boolean;
  /** Other sections that belong under this item (an invitation page belongs to Teams). */
  alsoActiveUnder?: string[];
  /** Leave out to show the item to everyone signed in. */
  visible?: (context: NavContext) => boolean;
};

export type NavSection = { label?: string; items: NavItem[]; visible?: (context: NavContext) => boolean };

const hasOrganization = ({ organization }: NavContext) => organization !== null;
const isOperator = ({ me }: NavContext) => me.isOperator;

/** The left navigation. Add a page by adding an entry here. */
export const NAV_SECTIONS: NavSection[] = [
  {
    items: [
      // "My account" rather than "My licenses", so it is never confused with the organization's Licenses.
      { label: 'My account', to: '/account', icon: IconUserCircle, exact: true },
      { label: 'Security', to: '/account/security', icon: IconShieldLock },
    ],
  },
  {
    label: 'Organization',
    visible: hasOrganization,
    items: [
      // The organization's name leads to its home, the license list ("click on your organization's name").
      { label: ({ organization }) => organization?.name ?? 'Organization', description: 'Licenses', to: '/licenses', icon: IconBuilding },
      { label: 'Usage', to: '/usage', icon: IconChartAreaLine },
      { label: 'Teams', to: '/teams', icon: IconUsersGroup, alsoActiveUnder: ['/invitations'] },
      { label: 'Administrators', to: '/admins', icon: IconUserShield },
      { label: 'Audit log', to: '/audit', icon: IconHistory },
      // Everyone with a role: administrators change the settings, the others read the policies and set their own notices.
      { label: 'Settings', to: '/settings', icon: IconSettings, visible: ({ organization }) => organization !== null && organization.access !== 'operator' },
    ],
  },
  {
    label: 'Operator',
    visible: isOperator,
    items: [
      { label: 'Organizations', to: '/operator/organizations', icon: IconBuildings },
      { label: 'Products', to: '/operator/products', icon: IconPackage },
      { label: 'Orders', to: '/operator/orders', icon: IconReceipt },
      { label: 'API tokens', to: '/operator/api-tokens', icon: IconKey },
      {
        label: 'Dev mailbox',
        to: '/dev/mailbox',
        icon: IconMailbox,
        visible: ({ instance }) => instance?.mailMode === 'dev-mailbox',
      },
    ],
  },
];

/** An item as shown: its label read from the context. */
export type ShownNavItem = Omit<NavItem, 'label'> & { label: string };
export type ShownNavSection = { label?: string; items: ShownNavItem[] };

export function visibleNavSections(context: NavContext): ShownNavSection[] {
  return NAV_SECTIONS.filter((section) => section.visible?.(context) ?? true)
    .map((section) => ({
      ...(section.label ? { label: section.label } : {}),
      items: section.items
        .filter((item) => item.visible?.(context) ?? true)
        .map((item) => ({ ...item, label: typeof item.label === 'function' ? item.label(context) : item.label })),
    }))
    .filter((section) => section.items.length > 0);
}

function isUnder(pathname: string, root: string): boolean {
  return pathname === root || pathname.startsWith(`${root}/`);
}

export function isNavItemActive(item: Pick<NavItem, 'to' | 'exact' | 'alsoActiveUnder'>, pathname: string): boolean {
  if (item.exact) return pathname === item.to || pathname === `${item.to}/`;
  return isUnder(pathname, item.to) || (item.alsoActiveUnder ?? []).some((root) => isUnder(pathname, root));
}

/** Pages that show one organization's data, and the list page to land on after switching. */
const ORGANIZATION_PAGES: Array<{ root: string; landing: string }> = [
  { root: '/licenses', landing: '/licenses' },
  { root: '/usage', landing: '/usage' },
  { root: '/teams', landing: '/teams' },
  // An invitation belongs to a team of the previous organization.
  { root: '/invitations', landing: '/teams' },
  { root: '/admins', landing: '/admins' },
  { root: '/audit', landing: '/audit' },
  { root: '/settings', landing: '/settings' },
];

/** Pages that show the current organization's data (refused as a whole when its 2FA policy shuts the person out). */
export function isOrganizationPage(pathname: string): boolean {
  return ORGANIZATION_PAGES.some(({ root }) => isUnder(pathname, root));
}

/** Where to go after switching organization: the section's first page, without filters; null to stay. */
export function pageAfterOrganizationSwitch(pathname: string): string | null {
  return ORGANIZATION_PAGES.find(({ root }) => isUnder(pathname, root))?.landing ?? null;
}
