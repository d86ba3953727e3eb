import { z } from 'zod';
import { timestamp } from './common.js';
import { dateFromInput, dateUntilInput } from './dates.js';

export const organizationParams = z.object({ organizationId: z.uuid() });
export const auditFiltersQuery = z.object({
  actor: z.string().trim().min(1).max(254).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  teamId: z.uuid().optional(),
  from: dateFromInput.optional(),
  to: dateUntilInput.optional(),
});
export const auditListQuery = auditFiltersQuery.extend({
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const auditPage = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      createdAt: timestamp,
      actorUserId: z.string().nullable(),
      actorLabel: z.string(),
      action: z.string(),
      targetType: z.string(),
      targetId: z.string(),
      teamId: z.string().nullable(),
      teamName: z.string().nullable(),
      ip: z.string().nullable(),
      details: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  nextCursor: z.number().int().nullable(),
});
