import { z } from 'zod';
import { timestamp } from './common.js';

const access = z.enum(['admin', 'viewer', 'team', 'operator']);
export const organizationParams = z.object({ organizationId: z.uuid() });
export const organizationList = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), access })) });
export const twoFactorPolicy = z.enum(['off', 'admins', 'everyone']).describe('Who must use two-factor authentication in this organization');
export const organizationPolicies = z.object({
  minDaysBeforeRevoke: z.number().int(),
  lowSeatThreshold: z.number().int().describe("Admins are emailed once when a pool's free seats fall to this many (0: when it runs out)"),
  reclaimIdleDays: z.number().int().nullable().describe('Seats not used for this many days are released (holders are warned 7 days before); null: never'),
  requireTwoFactor: twoFactorPolicy,
  twoFactorGraceUntil: timestamp.nullable().describe('Until then, people the 2FA policy covers may work without it'),
});
export const organizationDetails = z.object({ id: z.string(), name: z.string(), access, canManage: z.boolean() }).extend(organizationPolicies.shape);
export const createOrganizationBody = z.object({ name: z.string().trim().min(1).max(200), adminEmail: z.email().max(254) });
export const updateOrganizationBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  minDaysBeforeRevoke: z.number().int().min(0).max(365).optional().describe('Days an assignment must last before it can be revoked (JetBrains uses 30)'),
  lowSeatThreshold: z.number().int().min(0).max(100_000).optional(),
  reclaimIdleDays: z.number().int().min(14).max(365).nullable().optional().describe('At least 14: holders are warned 7 days before a release'),
  requireTwoFactor: twoFactorPolicy.optional(),
  twoFactorGraceDays: z.number().int().min(0).max(90).optional().describe('With requireTwoFactor: days from now before the policy blocks anyone'),
});

export const createdOrganization = z.object({ id: z.string(), name: z.string() });
