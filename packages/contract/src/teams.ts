import { z } from 'zod';
import { timestamp } from './common.js';

export const productCount = z.object({
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  total: z.number().int(),
  assigned: z.number().int(),
  free: z.number().int(),
});

export const team = z.object({
  id: z.string(),
  name: z.string(),
  organizationId: z.string(),
  organizationName: z.string(),
  createdAt: timestamp,
  canManage: z.boolean(),
  products: z.array(productCount),
  totals: z.object({ total: z.number().int(), assigned: z.number().int(), free: z.number().int() }),
});

export const teamList = z.object({ items: z.array(team) });
export const teamName = z.string().trim().min(1, 'Enter a team name').max(200);
export const teamBody = z.object({ name: teamName });
export const organizationParams = z.object({ organizationId: z.uuid() });
export const teamParams = z.object({ teamId: z.uuid() });
