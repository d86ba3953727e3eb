import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/auth.js';
import { CLIENT_IP_HEADER } from '../auth/auth.js';
import { authRateLimits, type RateLimiter } from '../auth/rate-limiter.js';
import { sendError } from './error-handler.js';

/**
 * Mounts Better Auth at /api/auth. Requests reach it as Fetch Requests with the body untouched,
 * and with the client address in a header only we set: Better Auth reads the IP from that header,
 * so a spoofed X-Forwarded-For buys nothing unless TRUST_PROXY made Fastify honour it.
 */
export async function mountAuth(app: FastifyInstance, deps: { auth: Auth; baseUrl: string; rateLimiter: RateLimiter }): Promise<void> {
  await app.register(async (scope) => {
    // Better Auth parses bodies itself; hand it the raw bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));

    scope.route({
      method: ['GET', 'POST'],
      url: '/api/auth/*',
      schema: { hide: true },
      handler: async (request, reply) => {
        const path = normalizePath(request.url.slice('/api/auth'.length).split('?')[0]!);
        const body = request.body instanceof Buffer ? request.body : undefined;

        const rule = request.method === 'POST' ? authRateLimits[path] : undefined;
        if (rule) {
          const key = rule.key({ ip: request.ip, email: emailFrom(body) });
          const verdict = key ? await deps.rateLimiter.hit(key, rule) : { allowed: true as const };
          if (!verdict.allowed) {
            return sendError(request, reply, 'RATE_LIMITED', { details: { retryAfterSeconds: verdict.retryAfterSeconds } });
          }
        }

        const response = await deps.auth.handler(toFetchRequest(request, deps.baseUrl, body));
        reply.status(response.status);
        response.headers.forEach((value, name) => {
          if (name !== 'set-cookie') reply.header(name, value);
        });
        const cookies = response.headers.getSetCookie();
        if (cookies.length > 0) reply.header('set-cookie', cookies);
        return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
      },
    });
  });
}

function toFetchRequest(request: FastifyRequest, baseUrl: string, body: Buffer | undefined): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === CLIENT_IP_HEADER || name === 'host') continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  return new Request(new URL(request.url, baseUrl), {
    method: request.method,
    headers,
    ...(body && body.length > 0 ? { body } : {}),
  });
}

/** The normalized email of a JSON body, for rate-limit keys; Better Auth lower-cases it the same way. */
function emailFrom(body: Buffer | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const email = (parsed as { email?: unknown } | null)?.email;
    return typeof email === 'string' ? email.trim().toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** "/sign-in/%65mail/" and "/sign-in/email" are one endpoint to the router, so one rate-limit rule. */
function normalizePath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Malformed escapes: Better Auth will answer 404; keep the raw path.
  }
  return decoded.replace(/\/+$/, '') || '/';
}
