import { z } from 'zod';
import { timestamp } from './common.js';

export const role = z.enum(['org_admin', 'org_viewer', 'team_admin', 'team_viewer']);
export const organizationParams = z.object({ organizationId: z.uuid() });
export const invitationParams = organizationParams.extend({ invitationId: z.uuid() });

export const invitation = z.object({
  id: z.string(),
  email: z.string(),
  role,
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  createdAt: timestamp,
  expiresAt: timestamp,
  invitedByName: z.string().nullable(),
});

export const adminsReply = z.object({
  roles: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      email: z.string(),
      role,
      teamId: z.string().nullable(),
      teamName: z.string().nullable(),
      since: timestamp,
      twoFactorEnabled: z.boolean().describe('Whether this person signs in with a second factor'),
    }),
  ),
  invitations: z.array(invitation),
});

export const inviteBody = z.object({ email: z.email('Enter a valid email address').max(254), role, teamId: z.uuid().optional() });
export const inviteReply = z.object({ invitation, link: z.string().describe('The one-time link; shown once, only its hash is stored') });
export const removeRoleBody = z.object({ userId: z.uuid(), role, teamId: z.uuid().optional() });
export const tokenBody = z.object({ token: z.string().min(16).max(200) });
export const previewReply = z.object({ organizationName: z.string(), role, teamName: z.string().nullable(), email: z.string(), expiresAt: timestamp });
export const acceptReply = z.object({
  organizationId: z.string(),
  organizationName: z.string(),
  role,
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
});
