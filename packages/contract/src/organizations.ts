import { z } from 'zod';

const access = z.enum(['admin', 'viewer', 'team', 'operator']);
export const organizationParams = z.object({ organizationId: z.uuid() });
export const organizationList = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), access })) });
export const organizationDetails = z.object({ id: z.string(), name: z.string(), minDaysBeforeRevoke: z.number().int(), access, canManage: z.boolean() });
export const createOrganizationBody = z.object({ name: z.string().trim().min(1).max(200), adminEmail: z.email().max(254) });
export const updateOrganizationBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  minDaysBeforeRevoke: z.number().int().min(0).max(365).optional().describe('Days an assignment must last before it can be revoked (JetBrains uses 30)'),
});

export const createdOrganization = z.object({ id: z.string(), name: z.string() });
