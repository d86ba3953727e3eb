import { z } from 'zod';

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
