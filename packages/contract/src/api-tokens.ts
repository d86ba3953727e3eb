import { z } from 'zod';
import { timestamp } from './common.js';
import { dateUntilInput } from './dates.js';

export const apiTokenParams = z.object({ tokenId: z.uuid() });

export const createApiTokenBody = z.object({
  name: z.string().trim().min(1).max(100).describe('What the token is for, e.g. "HR onboarding"'),
  scope: z.enum(['read', 'write']).describe('read: every GET the console can do; write: also assign, revoke, transfer, invitations, teams'),
  teams: z.union([z.literal('all'), z.array(z.uuid()).min(1).max(500)]).describe('"all", or the ids of the teams it may act in (teams of this organization)'),
  expiresAt: dateUntilInput.nullable().optional().describe('null or absent: never expires'),
});

const person = z.object({ name: z.string(), email: z.string() });

export const apiToken = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(['operator', 'read', 'write']),
  organizationId: z.string().nullable(),
  teams: z.union([z.literal('all'), z.array(z.object({ id: z.string(), name: z.string() }))]),
  status: z.enum(['active', 'expired', 'revoked']),
  createdBy: person.nullable(),
  createdAt: timestamp,
  expiresAt: timestamp.nullable(),
  lastUsedAt: timestamp.nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: timestamp.nullable(),
});
export const apiTokenList = z.object({ items: z.array(apiToken) });
export const createdApiToken = apiToken.extend({
  token: z.string().describe('Shown once: only its digest is kept. Send it as `Authorization: Bearer <token>`.'),
});

export const createOperatorTokenBody = z.object({ name: z.string().trim().min(1).max(100) });
