import { z } from 'zod';
import { timestamp } from './common.js';
import { dateUntilInput } from './dates.js';
import { productCode } from './products.js';

/** A date ("2027-01-31": valid through that day, UTC) or an exact instant. */
export const validUntil = dateUntilInput;

export const createOrderBody = z.object({
  reference: z.string().trim().min(1).max(100).describe('Unique per operator, e.g. A-10423'),
  organizationId: z.uuid(),
  productCode,
  quantity: z.number().int().min(0).max(100_000),
  validUntil,
  teamId: z.uuid().optional().describe('Without it, a team named "Order <reference>" is created'),
  renewsReference: z.string().trim().min(1).max(100).optional().describe('The earlier order this one renews: its licenses are extended'),
});

export const order = z.object({
  id: z.string(),
  reference: z.string(),
  organizationId: z.string(),
  organizationName: z.string(),
  productCode: z.string(),
  productName: z.string(),
  quantity: z.number().int(),
  validUntil: timestamp,
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  renewsReference: z.string().nullable(),
  source: z.enum(['api', 'console', 'csv']),
  createdAt: timestamp,
});

export const createOrderReply = z.object({ order, created: z.boolean().describe('false when the same reference was posted before') });
export const orderListQuery = z.object({
  organizationId: z.uuid().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const orderPage = z.object({ items: z.array(order), nextCursor: z.string().nullable() });
