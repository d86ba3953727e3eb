import { z } from 'zod';

export const productCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Use letters, digits, dots, dashes or underscores');

const machineLimit = z.number().int().min(1).max(1000).describe('How many machines may use one license at once');
export const product = z.object({ id: z.string(), code: z.string(), name: z.string(), description: z.string().nullable(), machineLimit: z.number().int() });
export const productList = z.object({ items: z.array(product) });
export const createProductBody = z.object({
  code: productCode,
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).optional(),
  machineLimit: machineLimit.optional().describe('How many machines may use one license at once (default 2)'),
});
export const updateProductBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  machineLimit: machineLimit.optional(),
});
export const idParams = z.object({ id: z.uuid() });
