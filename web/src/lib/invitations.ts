import dayjs from 'dayjs';
import type { ClaimNotificationMode, Invitation, InvitationStatus, NotificationSettings } from '@allot/contract';
import { pluralize } from './format';

export const INVITATION_STATUS_LABELS: Record<InvitationStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  disabled: 'Disabled',
  exhausted: 'Used up',
};

export const INVITATION_STATUS_COLORS: Record<InvitationStatus, string> = {
  active: 'teal',
  expired: 'orange',
  disabled: 'gray',
  exhausted: 'grape',
};

export const INVITATION_STATUS_HINTS: Record<InvitationStatus, string> = {
  active: 'People with the link can claim a license.',
  expired: 'Its active period is over; the link no longer works.',
  disabled: 'Turned off: the link does not work until it is enabled again.',
  exhausted: 'It reached its maximum number of claims.',
};

/** The invitation's name, or "<product> for <team>" when it has none. */
export function invitationTitle(invitation: Pick<Invitation, 'name' | 'productName' | 'teamName'>): string {
  return invitation.name ?? `${invitation.productName} for ${invitation.teamName}`;
}

/** "Active for" choices of Create Invitation; `days: null` is "No expiry". */
export const ACTIVE_FOR_OPTIONS = [
  { value: '1', label: '1 day', days: 1 },
  { value: '7', label: '7 days', days: 7 },
  { value: '30', label: '30 days', days: 30 },
  { value: '90', label: '90 days', days: 90 },
  { value: 'custom', label: 'Custom date', days: null },
  { value: 'never', label: 'No expiry', days: null },
] as const;

export type ActiveFor = (typeof ACTIVE_FOR_OPTIONS)[number]['value'];

export const DEFAULT_ACTIVE_FOR: ActiveFor = '30';

/** The end of a picked calendar day (`YYYY-MM-DD`), in the viewer's time zone, as an ISO instant. */
export function endOfDay(date: string): string {
  return dayjs(date).endOf('day').toISOString();
}

/** When an invitation made now with this choice stops working; null for no expiry. */
export function expiryFor(activeFor: ActiveFor, customDate: string | null, now: Date = new Date()): string | null {
  if (activeFor === 'never') return null;
  if (activeFor === 'custom') return customDate ? endOfDay(customDate) : null;
  const option = ACTIVE_FOR_OPTIONS.find((candidate) => candidate.value === activeFor);
  return dayjs(now)
    .add(option?.days ?? 30, 'day')
    .toISOString();
}

/** Reads the "Maximum claims" field: empty means no limit. */
export function parseMaxClaims(value: number | string): number | null {
  if (value === '' || value === null) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

export function validateMaxClaims(value: number | string): string | null {
  if (value === '') return null;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 100_000
    ? null
    : 'Enter a whole number from 1 to 100,000, or leave it empty for no limit.';
}

type ClaimEmailReach = NotificationSettings['reach'];

function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Where "every team you manage" reaches for this person. */
function managedTeams(reach: ClaimEmailReach, organizationName: string): string {
  return reach.organizationAdmin
    ? `every team of ${organizationName}`
    : reach.teamsAdministered.length > 0
      ? listNames(reach.teamsAdministered)
      : 'the teams you manage';
}

/** The claim-email choices, each with exactly what it sends this person (the server's rule: claim-emails.ts). */
export const CLAIM_NOTIFICATION_OPTIONS: Array<{
  value: ClaimNotificationMode;
  label: string;
  describe: (reach: ClaimEmailReach, organizationName: string) => string;
}> = [
  {
    value: 'mine',
    label: 'My invitations',
    describe: ({ invitationsCreated, teamsAdministered }) => {
      const created = invitationsCreated === 0 ? 'invitations you create' : `the ${pluralize(invitationsCreated, 'invitation')} you created`;
      const teams = teamsAdministered.length > 0 ? ` and in ${listNames(teamsAdministered)}, which you administer` : '';
      return `An email for each claim on ${created}${teams}. The default.`;
    },
  },
  {
    value: 'each',
    label: 'Every claim',
    describe: (reach, organizationName) => `An email for each claim in ${managedTeams(reach, organizationName)}, whoever created the invitation.`,
  },
  {
    value: 'digest',
    label: 'Daily digest',
    describe: (reach, organizationName) => `At most one email a day, listing the claims in ${managedTeams(reach, organizationName)}.`,
  },
  { value: 'off', label: 'Off', describe: () => 'No emails about claims. You still hear when someone is waiting for licenses.' },
];
