import { z } from 'zod';
import { timestamp } from './common.js';
import { productCount } from './teams.js';

/** Why a hold ended: an admin revoked it, it expired, the idle-seat policy released it, its holder gave it back or deleted their account. */
export const assignmentEndReason = z.enum(['revoked', 'expired', 'reclaimed', 'returned', 'account_deleted']);

export const organizationParams = z.object({ organizationId: z.uuid() });
export const licenseParams = z.object({ licenseId: z.string().regex(/^[0-9A-Z]{10}$/, 'Not a license id') });
export const teamParams = z.object({ teamId: z.uuid() });

export const licenseFiltersQuery = z.object({
  productId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  status: z
    .enum(['assigned', 'unassigned', 'expired'])
    .optional()
    .describe('assigned and unassigned: licenses that have not expired; expired: those that have'),
  assignee: z.string().trim().min(1).max(254).optional().describe('Start of the assignee email'),
  orderReference: z.string().trim().min(1).max(100).optional(),
  inactiveDays: z.coerce.number().int().min(1).max(3650).optional().describe('Assigned licenses whose product has not been seen for this many days (or never)'),
});
export const licenseListQuery = licenseFiltersQuery.extend({
  cursor: z
    .string()
    .regex(/^[0-9A-Z]{10}$/)
    .optional()
    .describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const license = z.object({
  id: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  orderReference: z.string(),
  assignee: z.object({ userId: z.string().nullable(), name: z.string().nullable(), email: z.string() }).nullable(),
  assignedAt: timestamp.nullable(),
  validUntil: timestamp,
  lastSeenAt: timestamp.nullable(),
});
export const licensePage = z.object({ items: z.array(license), nextCursor: z.string().nullable() });

export const subscriptions = z.object({
  items: z.array(productCount.extend({ earliestValidUntil: timestamp.nullable() })),
});

export const history = z.object({
  items: z.array(
    z.object({
      email: z.string(),
      name: z.string().nullable(),
      source: z.enum(['manual', 'invitation', 'api']),
      assignedAt: timestamp,
      endedAt: timestamp.nullable(),
      endReason: assignmentEndReason.nullable(),
      assignedByName: z.string().nullable(),
    }),
  ),
});

export const assignBody = z.object({
  productId: z.uuid(),
  emails: z.array(z.string().max(100_000)).min(1).max(1000).describe('Addresses, or pasted text split on commas, spaces and newlines'),
});
export const assignReply = z.object({
  results: z.array(
    z.object({
      email: z.string(),
      status: z.enum(['assigned', 'failed']),
      licenseId: z.string().optional(),
      pendingAccount: z.boolean().optional().describe('No verified account with this address yet: it gets an invitation email'),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});

const licenseIds = z
  .array(z.string().regex(/^[0-9A-Z]{10}$/, 'Not a license id'))
  .min(1)
  .max(1000);
export const revokeBody = z.object({ licenseIds });
export const revokeReply = z.object({ revoked: z.array(z.string()) });
export const transferBody = z.object({ licenseIds, targetTeamId: z.uuid() });
export const transferReply = z.object({ transferred: z.array(z.string()) });

export const myLicensesReply = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      productCode: z.string(),
      productName: z.string(),
      organizationName: z.string(),
      teamName: z.string().nullable().describe("null while the team carries its order's reference as its name"),
      validUntil: timestamp,
      assignedAt: timestamp,
    }),
  ),
  ended: z
    .array(
      z.object({
        licenseId: z.string(),
        productName: z.string(),
        organizationName: z.string(),
        endedAt: timestamp,
        reason: assignmentEndReason,
      }),
    )
    .describe('Licenses lost in the last 90 days (newest first), unless the same product is held again'),
});
