import type { TwoFactorPolicy } from '../../db/tables.js';

/** An organization's 2FA policy, as it stands for one person without a second factor. */
export type TwoFactorRequirement = { organizationId: string; organizationName: string; graceUntil: Date | null; blocked: boolean };

/** The policy blocks once its grace period is over (no grace period: at once). */
export const twoFactorPolicyBinds = (graceUntil: Date | null, now: Date): boolean => graceUntil === null || graceUntil.getTime() <= now.getTime();

/**
 * Whom a policy covers: 'admins' covers everyone with a role in the organization (they use its
 * pages and API); 'everyone' also covers the people who hold its licenses.
 */
export function policyCovers(policy: TwoFactorPolicy, person: { hasRole: boolean; holdsLicense: boolean }): boolean {
  if (policy === 'admins') return person.hasRole;
  if (policy === 'everyone') return person.hasRole || person.holdsLicense;
  return false;
}
