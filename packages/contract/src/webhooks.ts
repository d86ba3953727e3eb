import { z } from 'zod';
import { timestamp } from './common.js';

/** The events an endpoint can subscribe to. `webhook.test` is sent by "Send test event" only. */
export const webhookEventTypes = [
  'license.assigned',
  'license.claimed',
  'license.revoked',
  'license.released',
  'license.transferred',
  'order.created',
  'order.renewed',
  'invitation.created',
  'invitation.disabled',
  'activation.created',
  'activation.refresh_denied',
  'pool.exhausted',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookEventDescriptions: Record<WebhookEventType | 'webhook.test', string> = {
  'license.assigned': 'An administrator (or an API token) assigned a license to an email address.',
  'license.claimed': 'Someone claimed a license through a bulk invitation link; `details.invitationId` names the invitation.',
  'license.revoked': 'A license was taken back from its holder.',
  'license.released':
    "A seat went back to its pool without an administrator: the idle-seat policy released it (`details.reason` 'reclaimed') or its holder gave it back ('returned').",
  'license.transferred': 'Licenses moved to another team.',
  'order.created': 'An order added licenses to the organization.',
  'order.renewed': 'An order renewed licenses of an earlier order.',
  'invitation.created': 'A bulk invitation was created.',
  'invitation.disabled': 'A bulk invitation link was turned off.',
  'activation.created': 'A product activated a license on a machine.',
  'activation.refresh_denied': "A machine's license refresh was refused (revoked, expired, or a copied activation).",
  'pool.exhausted': 'The last free license of a product in a team was taken: the next claimer sees No assets left.',
  'webhook.test': 'Sent by "Send test event" on the endpoint\'s page; nothing happened.',
};

export const webhookParams = z.object({ webhookId: z.uuid() });
export const deliveryParams = z.object({ webhookId: z.uuid(), deliveryId: z.string().regex(/^msg_[A-Za-z0-9]{20,40}$/, 'Not a delivery id') });

const url = z
  .string()
  .trim()
  .max(2000)
  .url()
  .describe('An http(s) URL; private, loopback and link-local addresses are refused unless the operator set WEBHOOK_ALLOW_PRIVATE');
const events = z
  .array(z.enum(webhookEventTypes))
  .min(1)
  .max(webhookEventTypes.length)
  .transform((list) => [...new Set(list)]);
const description = z.string().trim().max(200);

export const createWebhookBody = z.object({ url, events, description: description.optional() });
export const updateWebhookBody = z.object({
  url: url.optional(),
  events: events.optional(),
  description: description.nullable().optional(),
  enabled: z.boolean().optional().describe('true re-enables an endpoint that was disabled after failing for a day'),
});

export const webhookEndpoint = z.object({
  id: z.string(),
  organizationId: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.enum(webhookEventTypes)),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: timestamp.nullable().describe('Set while deliveries fail; after a day of failure the endpoint is disabled'),
  previousSecretValidUntil: timestamp.nullable().describe('After a rotation, deliveries carry both signatures until then'),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const webhookList = z.object({ items: z.array(webhookEndpoint) });
export const webhookWithSecret = webhookEndpoint.extend({
  secret: z.string().describe('The signing secret (whsec_…), shown once: verify deliveries with it (Standard Webhooks)'),
});

const attempt = z.object({
  attemptedAt: timestamp,
  statusCode: z.number().int().nullable().describe('null when no HTTP answer came (refused, timed out, address not allowed)'),
  durationMs: z.number().int(),
  responseExcerpt: z.string().nullable().describe('The first bytes of the answer'),
  error: z.string().nullable(),
});
export const webhookDelivery = z.object({
  id: z.string().describe('The webhook-id header: the same on every attempt'),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  createdAt: timestamp,
  deliveredAt: timestamp.nullable(),
  nextAttemptAt: timestamp.nullable(),
  lastAttempt: attempt.nullable(),
  payload: z.string().describe('The body as sent'),
});
export const deliveriesQuery = z.object({
  cursor: z
    .string()
    .regex(/^msg_[A-Za-z0-9]{20,40}$/, 'Not a cursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export const webhookDeliveryList = z.object({ items: z.array(webhookDelivery), nextCursor: z.string().nullable() });
export const webhookAttemptList = z.object({ items: z.array(attempt) });

/** Every delivery's body, as the Standard Webhooks specification shapes it. */
export function webhookEventPayload<Type extends string>(type: Type) {
  return z
    .object({
      type: z.literal(type),
      timestamp: z.iso.datetime({ offset: true }).describe('When it happened'),
      data: z.object({
        organizationId: z.string(),
        teamId: z.string().nullable(),
        target: z.object({ type: z.string(), id: z.string() }).nullable().describe('What the event is about (a license, an order, an invitation, …)'),
        actor: z.string().nullable().describe('Who did it: an email, "API token <name>", "allot CLI"; null for the system'),
        details: z.record(z.string(), z.unknown()).describe("The audit log's details of the event (emails, product, counts)"),
      }),
    })
    .describe(webhookEventDescriptions[type as WebhookEventType] ?? type);
}
