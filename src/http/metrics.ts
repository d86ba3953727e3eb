import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendError } from './error-handler.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Route timings and queue depths tell an outsider how the service is used: scrapers only. */
function mayScrape(request: FastifyRequest, token: string | undefined): boolean {
  if (!token) return LOOPBACK.has(request.ip);
  const presented = request.headers.authorization?.startsWith('Bearer ') ? request.headers.authorization.slice('Bearer '.length) : '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics: request durations by route, and the depth of the mail outbox. */
export function registerMetrics(app: FastifyInstance, deps: { countPendingMail(): Promise<number>; token: string | undefined }): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'allot_' });

  const requestDuration = new Histogram({
    name: 'allot_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'allot_outbox_pending_messages',
    help: 'Mail messages waiting in the outbox',
    registers: [registry],
    async collect() {
      this.set(await deps.countPendingMail());
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, so tokens and ids never become label values.
    const route = request.routeOptions.url ?? 'unmatched';
    requestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!mayScrape(request, deps.token)) return sendError(request, reply, 'NOT_FOUND');
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
