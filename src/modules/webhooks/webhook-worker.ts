import type { Logger } from 'pino';
import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { createPollingLoop } from '../../lib/periodic-task.js';
import { isSuccess, sendWebhook } from './webhook-sender.js';
import { signWebhook } from './webhook-signing.js';
import type { UrlPolicy } from './webhook-urls.js';
import type { WebhooksRepository } from './webhooks.repository.js';

/**
 * Standard Webhooks' retry schedule: at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
 * 10 h — about 28 hours in all, so a consumer down for a day still gets every event.
 */
export const DEFAULT_RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
/** An endpoint failing this long is turned off and its organization's administrators are told. */
const DISABLE_AFTER_MS = 24 * 60 * 60 * 1000;
/** A send takes at most 10 s; the lease leaves room for it and the bookkeeping. */
const LEASE_MS = 60_000;

export type WebhookWorkerOptions = {
  db: Db;
  repo: WebhooksRepository;
  clock: Clock;
  logger: Logger;
  policy: UrlPolicy;
  /** Waits after each failed attempt; the delivery fails for good after the last. */
  retryDelaysMs?: number[];
  pollIntervalMs?: number;
  /** Called in the transaction that turned an endpoint off after a day of failures. */
  onDisabled(executor: Executor, endpoint: { id: string; organizationId: string; url: string }, now: Date): Promise<void>;
};

/** Delivers what webhookPublisher queued: one attempt per due delivery per pass, with backoff. */
export function createWebhookWorker(options: WebhookWorkerOptions) {
  const { db, repo, clock, logger, policy } = options;
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = 20;

  async function attempt(id: string): Promise<void> {
    const now = clock.now();
    const delivery = await repo.lease(db, { id, now, until: new Date(now.getTime() + LEASE_MS) });
    if (!delivery) return;
    const timestampSeconds = Math.floor(now.getTime() / 1000);
    const secrets = await repo.signingSecrets(db, delivery.endpoint_id, now);
    const result = await sendWebhook(
      {
        url: delivery.url,
        body: delivery.payload,
        headers: {
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestampSeconds),
          'webhook-signature': signWebhook({ id: delivery.id, timestampSeconds, body: delivery.payload, secrets }),
        },
      },
      policy,
      () => clock.now(),
    );
    await db.transaction().execute(async (trx) => {
      await repo.recordAttempt(trx, delivery.id, result);
      const after = clock.now();
      if (isSuccess(result)) {
        await repo.markDelivered(trx, { id: delivery.id, endpointId: delivery.endpoint_id, now: after });
        return;
      }
      const delay = retryDelaysMs[delivery.attempts];
      const retryAt = delay === undefined ? null : new Date(after.getTime() + delay);
      const failingSince = await repo.markFailedAttempt(trx, { id: delivery.id, endpointId: delivery.endpoint_id, retryAt, now: after });
      if (after.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS) {
        const reason = `Turned off on ${after.toISOString().slice(0, 16).replace('T', ' ')} UTC: every delivery failed for a day (last: ${result.statusCode ?? result.error}).`;
        if (await repo.disableFailing(trx, { endpointId: delivery.endpoint_id, reason, now: after })) {
          await options.onDisabled(trx, { id: delivery.endpoint_id, organizationId: delivery.organization_id, url: delivery.url }, after);
          logger.warn({ endpointId: delivery.endpoint_id }, 'webhook endpoint disabled after a day of failed deliveries');
        }
      }
    });
  }

  async function runOnce(): Promise<number> {
    const due = await repo.dueDeliveries(db, clock.now(), batchSize);
    // Endpoints are independent: a slow one must not hold the others back.
    await Promise.all(due.map((id) => attempt(id).catch((error: unknown) => logger.error({ err: error, deliveryId: id }, 'webhook attempt failed to run'))));
    return due.length;
  }

  const loop = createPollingLoop('webhook worker', runOnce, { intervalMs: pollIntervalMs, logger, batchSize });

  return {
    start: loop.start,
    stop: loop.stop,
    runOnce,
  };
}
