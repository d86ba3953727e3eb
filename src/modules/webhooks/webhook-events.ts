import type { AuditAction } from '@allot/contract';
import type { WebhookEventType } from '@allot/contract/webhooks';
import type { Executor } from '../../db/database.js';
import type { Actor } from '../access/actor.js';
import { auditWriter, type auditRepository, type NewAuditEvent } from '../audit/audit.repository.js';
import { newMessageId } from './webhook-signing.js';
import type { WebhooksRepository } from './webhooks.repository.js';

/** The audit actions that are also webhook events, and the event each one is. */
const EVENT_OF_ACTION: Partial<Record<AuditAction, WebhookEventType>> = {
  'license.assigned': 'license.assigned',
  'invitation.claimed': 'license.claimed',
  'license.revoked': 'license.revoked',
  'license.reclaimed': 'license.released',
  'license.returned': 'license.released',
  'license.transferred': 'license.transferred',
  'order.created': 'order.created',
  'order.renewed': 'order.renewed',
  'invitation.created': 'invitation.created',
  'invitation.disabled': 'invitation.disabled',
  'activation.created': 'activation.created',
  'activation.refresh_denied': 'activation.refresh_denied',
};

/** How long an organization's endpoint list is reused: an endpoint made on another instance starts receiving within this. */
const ENDPOINT_CACHE_MS = 5_000;

export type WebhookEvent = {
  type: WebhookEventType | 'webhook.test';
  organizationId: string;
  teamId: string | null;
  target: { type: string; id: string } | null;
  actor: string | null;
  details: Record<string, unknown>;
};

/**
 * Turns changes into deliveries, in the transaction of the change: an event is delivered only if
 * its change committed, and every change that committed is delivered (the worker retries).
 * Events come from the audit log's writes — every event a webhook offers is also audited — so no
 * service has to remember to publish; the pool's last license is watched at take-license.
 */
export function webhookPublisher(deps: { repo: Pick<WebhooksRepository, 'subscribedEndpoints' | 'insertDeliveries'> }) {
  const cache = new Map<string, { until: number; endpoints: Array<{ id: string; events: string[] }> }>();

  async function endpointsOf(executor: Executor, organizationId: string, now: Date) {
    const cached = cache.get(organizationId);
    if (cached && cached.until > now.getTime()) return cached.endpoints;
    // Read through the caller's transaction: on SQLite another connection would wait for it.
    const endpoints = await deps.repo.subscribedEndpoints(executor, organizationId);
    cache.set(organizationId, { until: now.getTime() + ENDPOINT_CACHE_MS, endpoints });
    return endpoints;
  }

  async function publish(executor: Executor, event: WebhookEvent, now: Date, onlyEndpointId?: string): Promise<number> {
    const endpoints = onlyEndpointId
      ? [{ id: onlyEndpointId, events: [event.type] }]
      : (await endpointsOf(executor, event.organizationId, now)).filter((endpoint) => endpoint.events.includes(event.type));
    if (endpoints.length === 0) return 0;
    const { type, ...data } = event;
    const payload = JSON.stringify({ type, timestamp: now.toISOString(), data });
    await deps.repo.insertDeliveries(
      executor,
      endpoints.map((endpoint) => ({ id: newMessageId(now), endpointId: endpoint.id, eventType: type, payload, now })),
    );
    return endpoints.length;
  }

  return {
    publish,
    /** After an endpoint was created, changed or deleted here: the next event reads the list again. */
    forget: (organizationId: string) => cache.delete(organizationId),
    async wants(executor: Executor, organizationId: string, type: WebhookEventType, now: Date): Promise<boolean> {
      return (await endpointsOf(executor, organizationId, now)).some((endpoint) => endpoint.events.includes(type));
    },
    /** The audit events that are webhook events, published as they are recorded. */
    async publishAudited(executor: Executor, actor: Actor, events: NewAuditEvent[], now: Date): Promise<void> {
      for (const event of events) {
        const type = EVENT_OF_ACTION[event.action];
        if (!type || !event.organizationId) continue;
        await publish(
          executor,
          {
            type,
            organizationId: event.organizationId,
            teamId: event.teamId ?? null,
            target: { type: event.targetType, id: event.targetId },
            actor: actor.label,
            details: event.details ?? {},
          },
          now,
        );
      }
    },
  };
}

export type WebhookPublisher = ReturnType<typeof webhookPublisher>;

/** The audit log as services use it, publishing the webhook events among its writes. */
export function auditPublishingWebhooks(audit: typeof auditRepository, publisher: Pick<WebhookPublisher, 'publishAudited'>): typeof auditRepository {
  return {
    ...audit,
    ...auditWriter(async (executor, entries) => {
      await audit.recordEntries(executor, entries);
      for (const { actor, event, now } of entries) await publisher.publishAudited(executor, actor, [event], now);
    }),
  };
}
