import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { listensOnLoopbackOnly } from '../config.js';
import type { ResolvedConfig, Services } from '../compose.js';
import type { Database } from '../db/database.js';
import { migrationsAreCurrent } from '../db/migrate.js';
import { accountsRoutes } from '../modules/accounts/accounts.routes.js';
import { apiTokensRoutes } from '../modules/api-tokens/api-tokens.routes.js';
import { openApiWebhooks, webhooksRoutes } from '../modules/webhooks/webhooks.routes.js';
import { adminsRoutes } from '../modules/admins/admins.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { invitationsRoutes } from '../modules/invitations/invitations.routes.js';
import { licensesRoutes } from '../modules/licenses/licenses.routes.js';
import { ordersRoutes } from '../modules/orders/orders.routes.js';
import { organizationsRoutes } from '../modules/organizations/organizations.routes.js';
import { productsRoutes } from '../modules/products/products.routes.js';
import { teamsRoutes } from '../modules/teams/teams.routes.js';
import { usageRoutes } from '../modules/usage/usage.routes.js';
import { seatsRoutes } from '../modules/seats/seats.routes.js';
import { devMailboxRoutes } from '../modules/dev-mailbox/dev-mailbox.routes.js';
import { instanceRoutes } from '../modules/instance/instance.routes.js';
import { setupRoutes } from '../modules/setup/setup.routes.js';
import { activationsRoutes } from '../modules/activations/activations.routes.js';
import { appPasswordsRoutes } from '../modules/app-passwords/app-passwords.routes.js';
import { jwksRoute, signingKeysRoutes } from '../modules/signing-keys/signing-keys.routes.js';
import { mountAuth } from './auth-mount.js';
import { registerProductCors } from './cors.js';
import { registerCsrfProtection } from './csrf.js';
import { registerErrorHandler, sendError } from './error-handler.js';
import { registerInputGuard } from './input-guard.js';
import { registerIdempotency } from './idempotency.js';
import { idempotencyKeysRepository } from './idempotency-keys.repository.js';
import { sealerFor } from '../lib/sealing.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerMetrics } from './metrics.js';

export type AppDependencies = {
  config: ResolvedConfig;
  database: Database;
  services: Services;
  logger: Logger;
  /** Where the built web UI lives; the default is web/dist in the project. */
  webRoot?: string;
  /** Whether SMTP is configured; decides the dev mailbox. */
  smtpConfigured: boolean;
};

const defaultWebRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, database, services } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    logController: new OneLinePerRequest(),
    bodyLimit: 1024 * 1024,
    // Keep-alive sockets would otherwise hold a shutdown open until they time out.
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('resolveSession', services.resolveSession);
  app.decorate('access', services.access);
  app.decorate('apiTokens', services.apiTokens);
  app.decorateRequest('viewer', undefined);
  app.decorateRequest('actor', undefined);
  // Keep-alive connections that fall idle after close() began would hold the shutdown open, so
  // answers given while closing ask the client to drop the connection.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });

  registerErrorHandler(app);
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine injects its CSS variables at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
  });
  registerProductCors(app);
  registerCsrfProtection(app, { baseUrl: config.baseUrl });
  registerInputGuard(app);
  registerIdempotency(app, {
    db: database.db,
    repo: idempotencyKeysRepository,
    sealer: sealerFor(config.authSecret, 'idempotent-answer'),
    clock: services.clock,
  });
  registerMetrics(app, { countPendingMail: services.mailer.countPending, token: config.metricsToken });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Allot API', version: '1', description: 'License distribution: organizations, licenses, bulk invitations and activation.' },
      servers: [{ url: config.baseUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'allot.session_token' },
          apiToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              "An API token: an organization's (Settings → API tokens, scoped read or write, to all teams or some) or an operator's (`allot tokens create --operator`)",
          },
        },
      },
      webhooks: openApiWebhooks(),
    } as Record<string, unknown>,
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    try {
      await database.ping();
      if (!(await migrationsAreCurrent(database.db, database.dialect))) {
        return reply.status(503).send({ status: 'migrations pending' });
      }
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.status(503).send({ status: 'database unavailable' });
    }
  });

  await app.register(jwksRoute(services.signingKeys));
  await mountAuth(app, {
    auth: services.auth,
    baseUrl: config.baseUrl,
    rateLimiter: services.rateLimiter,
    secret: config.authSecret,
    secureCookies: config.secureCookies,
  });

  const devMailboxEnabled = !deps.smtpConfigured && listensOnLoopbackOnly(config);
  await app.register(
    async (api) => {
      await api.register(instanceRoutes({ setup: services.setup, mailMode: deps.smtpConfigured ? 'smtp' : devMailboxEnabled ? 'dev-mailbox' : 'log-only' }));
      await api.register(setupRoutes(services.setup));
      await api.register(accountsRoutes(services.accounts));
      await api.register(organizationsRoutes(services.organizations));
      await api.register(productsRoutes(services.products));
      await api.register(ordersRoutes(services.orders));
      await api.register(teamsRoutes(services.teams));
      await api.register(licensesRoutes(services.licenses));
      await api.register(adminsRoutes(services.admins));
      await api.register(apiTokensRoutes(services.apiTokens));
      await api.register(webhooksRoutes(services.webhooks));
      await api.register(auditRoutes(services.audit));
      await api.register(usageRoutes(services.usage));
      await api.register(seatsRoutes(services.seats));
      await api.register(invitationsRoutes(services.invitations));
      await api.register(activationsRoutes(services.activations));
      await api.register(appPasswordsRoutes(services.appPasswords));
      await api.register(signingKeysRoutes(services.signingKeys));
      if (devMailboxEnabled) await api.register(devMailboxRoutes(services.mailer));
    },
    { prefix: '/api/v1' },
  );

  await serveWebUi(app, deps.webRoot ?? defaultWebRoot);
  return app;
}

/**
 * One log line per request, when it completes, with the request in it; the line Fastify writes on
 * arrival comes only at debug level. Two synchronous-looking lines per request were a fifth of a
 * plain request's time.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (request.log.level === 'debug' || request.log.level === 'trace') request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** The built React app, with client-side routes falling back to index.html. */
async function serveWebUi(app: FastifyInstance, webRoot: string): Promise<void> {
  const hasWebUi = fs.existsSync(`${webRoot}/index.html`);
  if (hasWebUi) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false, maxAge: '1h', immutable: false });
  }
  app.setNotFoundHandler((request, reply) => {
    if (hasWebUi && isPageRequest(request)) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return sendError(request, reply, 'NOT_FOUND');
  });
}

/**
 * A client-side route of the web app: any GET or HEAD outside the API that does not name a file
 * (curl with no Accept header included). Clients that say they want JSON get the JSON 404.
 */
function isPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0]!;
  if (path.startsWith('/api/') || path === '/api') return false;
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  if (lastSegment.includes('.')) return false;
  const accept = request.headers.accept ?? '*/*';
  return accept.includes('text/html') || accept.includes('*/*');
}
