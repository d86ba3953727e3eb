import { fromDbBool, fromDbTime, fromDbTimeOrNull, toDbBool, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import type { WebhookEndpointsTable } from '../../db/tables.js';
import type { Selectable } from 'kysely';
import type { WebhookEventType } from '@allot/contract/webhooks';

/** What a repository caller needs to seal and open signing secrets (lib/sealing.ts). */
export type SecretSealer = { seal(plaintext: string): string; unseal(sealed: string): string };

export type WebhookEndpoint = {
  id: string;
  organizationId: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  previousSecretValidUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export type DeliveryAttempt = { attemptedAt: Date; statusCode: number | null; durationMs: number; responseExcerpt: string | null; error: string | null };

export type WebhookDelivery = {
  id: string;
  endpointId: string;
  eventType: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: Date;
  deliveredAt: Date | null;
  nextAttemptAt: Date | null;
  lastAttempt: DeliveryAttempt | null;
};

const toEndpoint = (row: Selectable<WebhookEndpointsTable>): WebhookEndpoint => ({
  id: row.id,
  organizationId: row.organization_id,
  url: row.url,
  description: row.description,
  events: JSON.parse(row.events) as WebhookEventType[],
  enabled: fromDbBool(row.enabled),
  disabledReason: row.disabled_reason,
  failingSince: fromDbTimeOrNull(row.failing_since),
  previousSecretValidUntil: fromDbTimeOrNull(row.previous_secret_until),
  createdAt: fromDbTime(row.created_at),
  updatedAt: fromDbTime(row.updated_at),
});

/** Webhook endpoints (secrets sealed), their deliveries (an outbox per endpoint) and each attempt. */
export function webhooksRepository(sealer: SecretSealer) {
  return {
    async insertEndpoint(
      executor: Executor,
      endpoint: {
        id: string;
        organizationId: string;
        url: string;
        description: string | null;
        events: string[];
        secret: string;
        createdByUserId: string | null;
        now: Date;
      },
    ): Promise<void> {
      await executor
        .insertInto('webhook_endpoints')
        .values({
          id: endpoint.id,
          organization_id: endpoint.organizationId,
          url: endpoint.url,
          description: endpoint.description,
          events: JSON.stringify(endpoint.events),
          secret_sealed: sealer.seal(endpoint.secret),
          enabled: toDbBool(true),
          created_by_user_id: endpoint.createdByUserId,
          created_at: toDbTime(endpoint.now),
          updated_at: toDbTime(endpoint.now),
        })
        .execute();
    },

    async findEndpoint(executor: Executor, id: string): Promise<WebhookEndpoint | undefined> {
      const row = await executor.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toEndpoint(row);
    },

    async listEndpoints(executor: Executor, organizationId: string): Promise<WebhookEndpoint[]> {
      const rows = await executor
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toEndpoint);
    },

    /** The enabled endpoints of an organization and their events: what an event is delivered to. */
    async subscribedEndpoints(executor: Executor, organizationId: string): Promise<Array<{ id: string; events: string[] }>> {
      const rows = await executor
        .selectFrom('webhook_endpoints')
        .select(['id', 'events'])
        .where('organization_id', '=', organizationId)
        .where('enabled', '=', toDbBool(true))
        .execute();
      return rows.map((row) => ({ id: row.id, events: JSON.parse(row.events) as string[] }));
    },

    async updateEndpoint(
      executor: Executor,
      id: string,
      changes: { url?: string; events?: string[]; description?: string | null; enabled?: boolean; disabledReason?: string | null },
      now: Date,
    ): Promise<void> {
      await executor
        .updateTable('webhook_endpoints')
        .set({
          updated_at: toDbTime(now),
          ...(changes.url !== undefined ? { url: changes.url } : {}),
          ...(changes.events !== undefined ? { events: JSON.stringify(changes.events) } : {}),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          ...(changes.enabled !== undefined ? { enabled: toDbBool(changes.enabled), ...(changes.enabled ? { failing_since: null } : {}) } : {}),
          ...(changes.disabledReason !== undefined ? { disabled_reason: changes.disabledReason } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async deleteEndpoint(executor: Executor, id: string): Promise<void> {
      await executor.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
    },

    /** The secrets to sign with now: the current one, and the previous one during its overlap. */
    async signingSecrets(executor: Executor, endpointId: string, now: Date): Promise<string[]> {
      const row = await executor
        .selectFrom('webhook_endpoints')
        .select(['secret_sealed', 'previous_secret_sealed', 'previous_secret_until'])
        .where('id', '=', endpointId)
        .executeTakeFirst();
      if (!row) return [];
      const secrets = [sealer.unseal(row.secret_sealed)];
      const previousUntil = fromDbTimeOrNull(row.previous_secret_until);
      if (row.previous_secret_sealed && previousUntil && previousUntil.getTime() > now.getTime()) secrets.push(sealer.unseal(row.previous_secret_sealed));
      return secrets;
    },

    async rotateSecret(executor: Executor, { id, secret, previousUntil, now }: { id: string; secret: string; previousUntil: Date; now: Date }): Promise<void> {
      const current = await executor.selectFrom('webhook_endpoints').select('secret_sealed').where('id', '=', id).executeTakeFirstOrThrow();
      await executor
        .updateTable('webhook_endpoints')
        .set({
          secret_sealed: sealer.seal(secret),
          previous_secret_sealed: current.secret_sealed,
          previous_secret_until: toDbTime(previousUntil),
          updated_at: toDbTime(now),
        })
        .where('id', '=', id)
        .execute();
    },

    async insertDeliveries(
      executor: Executor,
      deliveries: Array<{ id: string; endpointId: string; eventType: string; payload: string; now: Date }>,
    ): Promise<void> {
      if (deliveries.length === 0) return;
      await executor
        .insertInto('webhook_deliveries')
        .values(
          deliveries.map((delivery) => ({
            id: delivery.id,
            endpoint_id: delivery.endpointId,
            event_type: delivery.eventType,
            payload: delivery.payload,
            status: 'pending' as const,
            next_attempt_at: toDbTime(delivery.now),
            created_at: toDbTime(delivery.now),
          })),
        )
        .execute();
    },

    /** Pending deliveries whose time has come and that no worker holds. */
    async dueDeliveries(executor: Executor, now: Date, limit: number): Promise<string[]> {
      const rows = await executor
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', toDbTime(now))
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', toDbTime(now))]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },

    /** Takes a delivery for one attempt; false when another worker took it first. */
    async lease(executor: Executor, { id, now, until }: { id: string; now: Date; until: Date }) {
      const result = await executor
        .updateTable('webhook_deliveries')
        .set({ lease_until: toDbTime(until) })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', toDbTime(now))]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      return executor
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
        .select([
          'webhook_deliveries.id',
          'webhook_deliveries.endpoint_id',
          'webhook_deliveries.payload',
          'webhook_deliveries.attempts',
          'webhook_deliveries.created_at',
          'webhook_endpoints.url',
          'webhook_endpoints.enabled',
          'webhook_endpoints.organization_id',
        ])
        .where('webhook_deliveries.id', '=', id)
        .executeTakeFirst();
    },

    async recordAttempt(executor: Executor, deliveryId: string, attempt: DeliveryAttempt): Promise<void> {
      await executor
        .insertInto('webhook_attempts')
        .values({
          delivery_id: deliveryId,
          attempted_at: toDbTime(attempt.attemptedAt),
          status_code: attempt.statusCode,
          duration_ms: attempt.durationMs,
          response_excerpt: attempt.responseExcerpt,
          error: attempt.error,
        })
        .execute();
    },

    async markDelivered(executor: Executor, { id, endpointId, now }: { id: string; endpointId: string; now: Date }): Promise<void> {
      await executor
        .updateTable('webhook_deliveries')
        .set((eb) => ({ status: 'delivered', delivered_at: toDbTime(now), lease_until: null, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .execute();
      await executor.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', endpointId).execute();
    },

    /** A failed attempt: try again at `retryAt`, or give up (null). Returns since when the endpoint has been failing. */
    async markFailedAttempt(
      executor: Executor,
      { id, endpointId, retryAt, now }: { id: string; endpointId: string; retryAt: Date | null; now: Date },
    ): Promise<Date> {
      await executor
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: retryAt ? 'pending' : 'failed',
          ...(retryAt ? { next_attempt_at: toDbTime(retryAt) } : {}),
          lease_until: null,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
      await executor
        .updateTable('webhook_endpoints')
        .set({ failing_since: toDbTime(now) })
        .where('id', '=', endpointId)
        .where('failing_since', 'is', null)
        .execute();
      const row = await executor.selectFrom('webhook_endpoints').select('failing_since').where('id', '=', endpointId).executeTakeFirst();
      return row?.failing_since ? fromDbTime(row.failing_since) : now;
    },

    /** An endpoint that failed for a day: off, and its waiting deliveries given up. Returns false if it was off already. */
    async disableFailing(executor: Executor, { endpointId, reason, now }: { endpointId: string; reason: string; now: Date }): Promise<boolean> {
      const result = await executor
        .updateTable('webhook_endpoints')
        .set({ enabled: toDbBool(false), disabled_reason: reason, updated_at: toDbTime(now) })
        .where('id', '=', endpointId)
        .where('enabled', '=', toDbBool(true))
        .executeTakeFirst();
      await executor
        .updateTable('webhook_deliveries')
        .set({ status: 'failed', lease_until: null })
        .where('endpoint_id', '=', endpointId)
        .where('status', '=', 'pending')
        .execute();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Sends a delivery again, under the same webhook-id: one more attempt (its count goes on, so no new retry schedule). */
    async redeliver(executor: Executor, { id, now }: { id: string; now: Date }): Promise<void> {
      await executor
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: toDbTime(now), lease_until: null, delivered_at: null })
        .where('id', '=', id)
        .execute();
    },

    async findDelivery(executor: Executor, { endpointId, id }: { endpointId: string; id: string }): Promise<WebhookDelivery | undefined> {
      return (await this.listDeliveries(executor, { endpointId, onlyId: id, limit: 1 }))[0];
    },

    /** An endpoint's deliveries, newest first (ids sort by time), with the last attempt of each. */
    async listDeliveries(
      executor: Executor,
      { endpointId, beforeId, onlyId, limit }: { endpointId: string; beforeId?: string | undefined; onlyId?: string; limit: number },
    ): Promise<WebhookDelivery[]> {
      let query = executor.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
      if (beforeId) query = query.where('id', '<', beforeId);
      if (onlyId) query = query.where('id', '=', onlyId);
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      const last = new Map<string, DeliveryAttempt>();
      if (rows.length > 0) {
        const attempts = await executor
          .selectFrom('webhook_attempts')
          .selectAll()
          .where(
            'id',
            'in',
            executor
              .selectFrom('webhook_attempts')
              .select((eb) => eb.fn.max('id').as('id'))
              .where(
                'delivery_id',
                'in',
                rows.map((row) => row.id),
              )
              .groupBy('delivery_id'),
          )
          .execute();
        for (const attempt of attempts) last.set(attempt.delivery_id, toAttempt(attempt));
      }
      return rows.map((row) => ({
        id: row.id,
        endpointId: row.endpoint_id,
        eventType: row.event_type,
        payload: row.payload,
        status: row.status,
        attempts: row.attempts,
        createdAt: fromDbTime(row.created_at),
        deliveredAt: fromDbTimeOrNull(row.delivered_at),
        nextAttemptAt: row.status === 'pending' ? fromDbTime(row.next_attempt_at) : null,
        lastAttempt: last.get(row.id) ?? null,
      }));
    },

    async listAttempts(executor: Executor, deliveryId: string): Promise<DeliveryAttempt[]> {
      const rows = await executor.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('id', 'desc').limit(100).execute();
      return rows.map(toAttempt);
    },
  };
}

const toAttempt = (row: {
  attempted_at: Date | string;
  status_code: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
}) => ({
  attemptedAt: fromDbTime(row.attempted_at),
  statusCode: row.status_code,
  durationMs: row.duration_ms,
  responseExcerpt: row.response_excerpt,
  error: row.error,
});

export type WebhooksRepository = ReturnType<typeof webhooksRepository>;
