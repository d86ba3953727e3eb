import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { createWebhookBody, updateWebhookBody } from '@allot/contract/webhooks';
import type { Db, Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Mailer } from '../../mail/mailer.js';
import { webhookTemplates } from '../../mail/templates.js';
import { requireOrgAdmin, requirePerson, type Actor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { organizationsRepository } from '../organizations/organizations.repository.js';
import type { WebhookPublisher } from './webhook-events.js';
import { createWebhookSecret } from './webhook-signing.js';
import { assertDeliverableUrl, type UrlPolicy } from './webhook-urls.js';
import type { WebhookEndpoint, WebhooksRepository } from './webhooks.repository.js';

type CreateWebhookInput = z.output<typeof createWebhookBody>;
type UpdateWebhookInput = z.output<typeof updateWebhookBody>;

/** After a rotation, deliveries carry the old signature too for this long, so consumers can switch without a gap. */
const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The system acting on its own (an endpoint turned off after failing): named so in the audit log. */
const systemActor: Actor = { userId: null, label: 'Allot', isOperator: false, ip: null, orgRoles: new Map(), teamRoles: new Map() };

/**
 * Webhook endpoints of an organization: managed by its administrators, signed in (never by an
 * API token: a token that could add an endpoint could copy every event out).
 */
export function webhooksService(deps: {
  db: Db;
  repo: WebhooksRepository;
  publisher: Pick<WebhookPublisher, 'publish' | 'forget'>;
  organizations: Pick<typeof organizationsRepository, 'findById' | 'listAdmins'>;
  audit: Pick<typeof auditRepository, 'record'>;
  mailer: Pick<Mailer, 'enqueue'>;
  policy: UrlPolicy;
  clock: Clock;
  baseUrl: string;
}) {
  async function managed(actor: Actor, webhookId: string): Promise<WebhookEndpoint> {
    const endpoint = await deps.repo.findEndpoint(deps.db, webhookId);
    if (!endpoint) throw new AppError('NOT_FOUND');
    requireOrgAdmin(actor, endpoint.organizationId);
    requirePerson(actor);
    return endpoint;
  }

  async function audited(
    actor: Actor,
    endpoint: { id: string; organizationId: string },
    action: 'webhook.created' | 'webhook.updated' | 'webhook.deleted' | 'webhook.secret_rotated',
    details: Record<string, unknown>,
    change: (trx: Executor) => Promise<void>,
  ) {
    const now = deps.clock.now();
    await deps.db.transaction().execute(async (trx) => {
      await change(trx);
      await deps.audit.record(trx, actor, { action, targetType: 'webhook', targetId: endpoint.id, organizationId: endpoint.organizationId, details }, now);
    });
    deps.publisher.forget(endpoint.organizationId);
  }

  return {
    async list(actor: Actor, organizationId: string): Promise<WebhookEndpoint[]> {
      requireOrgAdmin(actor, organizationId);
      requirePerson(actor);
      return deps.repo.listEndpoints(deps.db, organizationId);
    },

    async get(actor: Actor, webhookId: string): Promise<WebhookEndpoint> {
      return managed(actor, webhookId);
    },

    /** Registers an endpoint; the answer carries its signing secret, shown this once. */
    async create(actor: Actor, organizationId: string, input: CreateWebhookInput) {
      requireOrgAdmin(actor, organizationId);
      requirePerson(actor);
      await assertDeliverableUrl(input.url, deps.policy);
      const id = randomUUID();
      const secret = createWebhookSecret();
      const now = deps.clock.now();
      await audited(actor, { id, organizationId }, 'webhook.created', { url: input.url, events: input.events }, (trx) =>
        deps.repo.insertEndpoint(trx, {
          id,
          organizationId,
          url: input.url,
          description: input.description ?? null,
          events: input.events,
          secret,
          createdByUserId: actor.userId,
          now,
        }),
      );
      return { ...(await deps.repo.findEndpoint(deps.db, id))!, secret };
    },

    async update(actor: Actor, webhookId: string, changes: UpdateWebhookInput): Promise<WebhookEndpoint> {
      const endpoint = await managed(actor, webhookId);
      if (changes.url !== undefined) await assertDeliverableUrl(changes.url, deps.policy);
      const now = deps.clock.now();
      await audited(actor, endpoint, 'webhook.updated', { ...changes }, (trx) =>
        deps.repo.updateEndpoint(trx, webhookId, { ...changes, ...(changes.enabled === true ? { disabledReason: null } : {}) }, now),
      );
      return (await deps.repo.findEndpoint(deps.db, webhookId))!;
    },

    async remove(actor: Actor, webhookId: string): Promise<void> {
      const endpoint = await managed(actor, webhookId);
      await audited(actor, endpoint, 'webhook.deleted', { url: endpoint.url }, (trx) => deps.repo.deleteEndpoint(trx, webhookId));
    },

    /** A new signing secret; the old one keeps signing alongside it for a day. */
    async rotateSecret(actor: Actor, webhookId: string) {
      const endpoint = await managed(actor, webhookId);
      const secret = createWebhookSecret();
      const now = deps.clock.now();
      const previousUntil = new Date(now.getTime() + SECRET_OVERLAP_MS);
      await audited(actor, endpoint, 'webhook.secret_rotated', { previousValidUntil: previousUntil.toISOString() }, (trx) =>
        deps.repo.rotateSecret(trx, { id: webhookId, secret, previousUntil, now }),
      );
      return { ...(await deps.repo.findEndpoint(deps.db, webhookId))!, secret };
    },

    async deliveries(actor: Actor, webhookId: string, page: { cursor?: string | undefined; limit: number }) {
      await managed(actor, webhookId);
      const items = await deps.repo.listDeliveries(deps.db, { endpointId: webhookId, beforeId: page.cursor, limit: page.limit + 1 });
      const shown = items.slice(0, page.limit);
      return { items: shown, nextCursor: items.length > page.limit ? shown.at(-1)!.id : null };
    },

    async attempts(actor: Actor, webhookId: string, deliveryId: string) {
      await managed(actor, webhookId);
      if (!(await deps.repo.findDelivery(deps.db, { endpointId: webhookId, id: deliveryId }))) throw new AppError('NOT_FOUND');
      return deps.repo.listAttempts(deps.db, deliveryId);
    },

    /** Sends a delivery again, as it was, under the same webhook-id (consumers deduplicate on it). */
    async redeliver(actor: Actor, webhookId: string, deliveryId: string) {
      await managed(actor, webhookId);
      if (!(await deps.repo.findDelivery(deps.db, { endpointId: webhookId, id: deliveryId }))) throw new AppError('NOT_FOUND');
      await deps.repo.redeliver(deps.db, { id: deliveryId, now: deps.clock.now() });
      return (await deps.repo.findDelivery(deps.db, { endpointId: webhookId, id: deliveryId }))!;
    },

    /** A `webhook.test` event to this endpoint alone, to try a receiver. */
    async sendTest(actor: Actor, webhookId: string) {
      const endpoint = await managed(actor, webhookId);
      const now = deps.clock.now();
      await deps.db.transaction().execute((trx) =>
        deps.publisher.publish(
          trx,
          {
            type: 'webhook.test',
            organizationId: endpoint.organizationId,
            teamId: null,
            target: null,
            actor: actor.label,
            details: { endpointId: endpoint.id },
          },
          now,
          endpoint.id,
        ),
      );
      const [latest] = await deps.repo.listDeliveries(deps.db, { endpointId: webhookId, limit: 1 });
      return latest!;
    },

    /** The worker turned an endpoint off: the audit log says so and every administrator of the organization is emailed. */
    async onDisabled(executor: Executor, endpoint: { id: string; organizationId: string; url: string }, now: Date): Promise<void> {
      const organization = await deps.organizations.findById(executor, endpoint.organizationId);
      const reason = (await deps.repo.findEndpoint(executor, endpoint.id))?.disabledReason ?? '';
      await deps.audit.record(
        executor,
        systemActor,
        {
          action: 'webhook.disabled',
          targetType: 'webhook',
          targetId: endpoint.id,
          organizationId: endpoint.organizationId,
          details: { url: endpoint.url, reason },
        },
        now,
      );
      for (const admin of await deps.organizations.listAdmins(executor, endpoint.organizationId)) {
        await deps.mailer.enqueue({
          executor,
          to: admin.email,
          dedupKey: `webhook-disabled:${endpoint.id}:${now.getTime()}:${admin.userId}`,
          content: webhookTemplates.endpointDisabled({
            adminName: admin.name,
            organizationName: organization?.name ?? 'your organization',
            url: endpoint.url,
            reason,
            link: `${deps.baseUrl}/settings/webhooks/${endpoint.id}`,
          }),
        });
      }
      deps.publisher.forget(endpoint.organizationId);
    },
  };
}

export type WebhooksService = ReturnType<typeof webhooksService>;
