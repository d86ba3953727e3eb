import type { FastifyInstance } from 'fastify';

/**
 * The routes a product calls, from a browser page on any origin too (@allot/client runs in
 * browsers). They take no cookies — credentials travel in the body — so allowing every origin
 * gives a foreign page nothing it could not do from a server. Cookie routes get no CORS at all.
 */
const PRODUCT_PATHS = new Set(['/api/v1/activations', '/api/v1/activations/refresh', '/api/v1/device-authorizations', '/.well-known/jwks.json']);

export function registerProductCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!PRODUCT_PATHS.has(request.url.split('?')[0]!)) return;
    reply.header('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') {
      return reply
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'content-type, accept')
        .header('access-control-max-age', '600')
        .status(204)
        .send();
    }
  });
}
