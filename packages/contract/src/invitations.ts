import { z } from 'zod';
import { timestamp } from './common.js';
import { dateUntilInput } from './dates.js';
import { parseDomainRules } from './email-domains.js';

export const teamParams = z.object({ teamId: z.uuid() });
export const invitationParams = z.object({ invitationId: z.uuid() });
export const organizationParams = z.object({ organizationId: z.uuid() });

/** "acme.com, *.acme.de" or a list; a malformed domain is named in the error. */
const allowedDomains = z
  .union([z.string().max(5000), z.array(z.string().max(253)).max(100)])
  .transform((value, context) => {
    const { domains, invalid } = parseDomainRules(value);
    if (invalid.length) context.addIssue({ code: 'custom', message: `Not a domain: ${invalid.join(', ')}. Use names like acme.com or *.acme.com.` });
    return domains;
  })
  .describe('Exact domains after "@"; *.acme.com also matches subdomains');

const expiresAt = dateUntilInput.nullable().describe('null: no expiry');
const maxClaims = z.number().int().min(1).max(100_000).nullable();

export const createInvitationBody = z.object({
  productId: z.uuid(),
  name: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  expiresAt: expiresAt.optional(),
  allowedDomains: allowedDomains.optional(),
  maxClaims: maxClaims.optional(),
});

export const updateInvitationBody = z.object({
  name: z
    .string()
    .trim()
    .max(200)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v)),
  enabled: z.boolean().optional(),
  expiresAt: expiresAt.optional(),
  allowedDomains: allowedDomains.optional(),
  maxClaims: maxClaims.optional(),
});

export const invitation = z.object({
  id: z.string(),
  name: z.string().nullable(),
  organizationId: z.string(),
  organizationName: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  status: z.enum(['active', 'expired', 'disabled', 'exhausted']),
  enabled: z.boolean(),
  expiresAt: timestamp.nullable(),
  allowedDomains: z.array(z.string()),
  maxClaims: z.number().int().nullable(),
  claims: z.number().int(),
  remaining: z.number().int().describe('Free licenses of this product in the team'),
  link: z.string().nullable().describe('null for readers who cannot manage the invitation: the link is a credential'),
  canManage: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const invitationList = z.object({ items: z.array(invitation) });

export const acceptedInvitationsQuery = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'Not a cursor')
    .optional()
    .describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const acceptedInvitations = z.object({
  items: z.array(
    z.object({ userId: z.string(), userName: z.string(), email: z.string(), claimedAt: timestamp, licenseId: z.string(), stillHeld: z.boolean() }),
  ),
  nextCursor: z.string().nullable().describe('Pass it back as `cursor` for the next (older) page'),
});

export const tokenBody = z.object({ token: z.string().max(200) });
/** Why a signed-in person cannot claim through a link they opened (the claim would answer the same code). */
export const claimRefusal = z.enum([
  'EMAIL_NOT_VERIFIED',
  'EMAIL_DOMAIN_NOT_ALLOWED',
  'TWO_FACTOR_ENROLMENT_REQUIRED',
  'NO_ASSETS_LEFT',
  'LICENSE_ALREADY_HELD',
  'INVITATION_ALREADY_USED',
]);

const claimerTeamName = z
  .string()
  .nullable()
  .describe("null while the team still carries its order's reference as its name: claimers are not shown internal references");

export const previewReply = z.object({
  name: z.string().nullable(),
  productName: z.string(),
  productCode: z.string(),
  organizationName: z.string(),
  teamName: claimerTeamName,
  allowedDomains: z.array(z.string()),
  expiresAt: timestamp.nullable(),
  forYou: z
    .object({
      email: z.string(),
      outcome: z.enum(['claimable', 'claimed', 'refused']),
      refusal: z.object({ code: claimRefusal, message: z.string() }).nullable().describe('Set when outcome is refused: the answer a claim would get now'),
      licenseId: z.string().nullable().describe('Set when outcome is claimed: the license this person holds through the link'),
    })
    .nullable()
    .describe('What happens if the signed-in person claims; null when signed out'),
});
export const claimReply = z.object({
  licenseId: z.string(),
  productName: z.string(),
  organizationName: z.string(),
  teamName: claimerTeamName,
  validUntil: timestamp,
  alreadyClaimed: z.boolean().describe('true when this person had claimed through the link before and still holds the license'),
});
export const notifyReply = z.object({ notified: z.boolean().describe('false when this person had already notified the admins') });

/**
 * A person's claim emails in one organization. 'mine' (the default): each claim on invitations
 * they created and in teams they administer as team administrator; 'each' / 'digest': each claim,
 * or a daily digest, in every team they manage; 'off'.
 */
export const claimEmailChoice = z.enum(['mine', 'each', 'digest', 'off']);
export type ClaimEmailChoice = z.infer<typeof claimEmailChoice>;
export const claimEmailDelivery = z.enum(['each', 'digest']);
export type ClaimEmailDelivery = z.infer<typeof claimEmailDelivery>;

export const notificationPreference = z.object({ claimNotifications: claimEmailChoice });
export const notificationSettings = notificationPreference.extend({
  reach: z
    .object({
      organizationAdmin: z.boolean().describe('Manages every team of the organization'),
      teamsAdministered: z.array(z.string()).describe('Names of the teams this person administers as team administrator'),
      invitationsCreated: z.number().int().describe('Invitations of this organization this person created'),
    })
    .describe('What the choice covers for this person, so the page can say exactly which emails come'),
});

export const claimEmailRecipients = z.object({
  items: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      email: z.string(),
      delivery: claimEmailDelivery,
      reason: z.enum(['created', 'team_admin', 'chose']).describe('created the invitation, administers its team, or chose emails for every team'),
    }),
  ),
});
