import { z } from 'zod';
import { timestamp } from './common.js';

export const profileReply = z.object({
  user: z.object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    twoFactorEnabled: z.boolean(),
  }),
  isOperator: z.boolean(),
  organizations: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(['org_admin', 'org_viewer']) })),
});

export const twoFactorRequirement = z.object({
  organizationId: z.string(),
  organizationName: z.string(),
  graceUntil: timestamp.nullable().describe('Until then the organization still admits this person without 2FA'),
  blocked: z.boolean().describe("True once the grace period is over: the organization's pages and API answer TWO_FACTOR_REQUIRED"),
});
/** Organizations whose 2FA policy covers this person while they have no second factor. */
export const twoFactorRequirementsReply = z.object({ items: z.array(twoFactorRequirement) });

export const deleteAccountBody = z.object({ password: z.string().min(1).max(1024).describe('The account password, asked again') });

const instant = timestamp;
export const accountDataExport = z.object({
  exportedAt: instant,
  user: z.object({ id: z.string(), name: z.string(), email: z.string(), emailVerified: z.boolean(), twoFactorEnabled: z.boolean(), createdAt: instant }),
  roles: z.array(z.object({ organization: z.string(), team: z.string().nullable(), role: z.string() })),
  licenses: z.array(
    z.object({
      licenseId: z.string(),
      product: z.string(),
      organization: z.string(),
      source: z.string(),
      assignedAt: instant,
      endedAt: instant.nullable(),
      endReason: z.string().nullable(),
    }),
  ),
  machines: z.array(
    z.object({
      licenseId: z.string(),
      machineName: z.string().nullable(),
      kind: z.string(),
      firstSeenAt: instant,
      lastSeenAt: instant,
      deactivatedAt: instant.nullable(),
    }),
  ),
  appPasswords: z.array(z.object({ name: z.string(), createdAt: instant, lastUsedAt: instant.nullable() })),
  sessions: z.array(z.object({ createdAt: instant, expiresAt: instant, ipAddress: z.string().nullable(), userAgent: z.string().nullable() })),
  activity: z.array(z.object({ at: instant, action: z.string(), organizationId: z.string().nullable(), targetType: z.string(), targetId: z.string() })),
});
