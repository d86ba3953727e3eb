import { z } from 'zod';

export const setupTokenSchema = z.string().min(16).max(200);

export const checkSetupTokenBody = z.object({ token: setupTokenSchema });
export const checkSetupTokenReply = z.object({ valid: z.boolean(), setupRequired: z.boolean() });

export const completeSetupBody = z.object({
  token: setupTokenSchema,
  organizationName: z.string().trim().min(1, 'Enter the organization name').max(200),
  adminEmail: z.email('Enter a valid email address').max(254),
});
export const completeSetupReply = z.object({
  organization: z.object({ id: z.string(), name: z.string() }),
  adminEmail: z.string(),
  adminAccountExists: z.boolean(),
});
