import { z } from 'zod';
import { timestamp } from './common.js';

export const usageQuery = z.object({
  days: z.coerce
    .number()
    .pipe(z.union([z.literal(30), z.literal(90), z.literal(365)]))
    .default(30)
    .describe('The period: the last 30, 90 or 365 days, today included'),
  productId: z.uuid().optional(),
  teamId: z.uuid().optional(),
});

const seats = {
  day: z.string().describe('UTC calendar day, YYYY-MM-DD'),
  total: z.number().int().describe('Seats bought and not expired'),
  assigned: z.number().int(),
  free: z.number().int(),
  active: z.number().int().describe('Assigned seats a product used in the 30 days before'),
};

export const usageReport = z.object({
  from: z.string(),
  to: z.string(),
  products: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  overall: z.array(z.object(seats)).describe('One point per recorded day, all pools summed'),
  byProduct: z.array(z.object({ productId: z.string(), ...seats })),
  byTeam: z.array(z.object({ teamId: z.string(), ...seats })),
  reclaimed: z
    .array(
      z.object({
        licenseId: z.string(),
        email: z.string(),
        productName: z.string(),
        teamName: z.string(),
        releasedAt: timestamp,
        lastUsedAt: timestamp.nullable(),
      }),
    )
    .describe('Seats the idle-seat policy released in the period, newest first (up to 200)'),
});
