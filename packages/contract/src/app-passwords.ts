import { z } from 'zod';
import { timestamp } from './common.js';

export const appPassword = z.object({
  id: z.string(),
  name: z.string(),
  hint: z.string().describe('The last four characters of the password'),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
});

export const appPasswordList = z.object({ items: z.array(appPassword) });
export const createAppPasswordBody = z.object({
  name: z.string().trim().min(1).max(100),
  currentPassword: z.string().min(1).max(256).describe('The account password, asked again'),
});
export const createdAppPassword = appPassword.extend({ password: z.string().describe('Shown once; only its hash is kept') });
export const appPasswordParams = z.object({ id: z.uuid() });
