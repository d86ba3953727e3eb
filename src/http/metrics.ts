import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics: request durations by route, and the depth of the mail outbox. */
export function registerMetrics(app: FastifyInstance, deps: { countPendingMail(): Promise<number> }): void {
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

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
