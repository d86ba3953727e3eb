import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PROTECTED_PREFIXES = ['/api/v1/', '/api/auth/'];

/**
 * Cookie-authenticated writes must come from our own pages. Browsers always send Origin on
 * cross-site POSTs (and on same-origin fetches), so a missing or foreign Origin/Referer on a
 * request that carries cookies is refused. Better Auth checks the origin on some of its own
 * endpoints (sign-in, those with callback URLs); we apply the rule to all of /api/auth as well.
 */
export function registerCsrfProtection(app: FastifyInstance, { baseUrl }: { baseUrl: string }): void {
  const allowedOrigin = new URL(baseUrl).origin;
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || !PROTECTED_PREFIXES.some((prefix) => request.url.startsWith(prefix))) return;
    if (!request.headers.cookie) return;
    const origin = request.headers.origin ?? originOf(request.headers.referer);
    if (origin !== allowedOrigin) throw new AppError('CSRF_REJECTED');
  });
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
