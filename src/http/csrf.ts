import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must come from our own pages. Browsers always send Origin on
 * cross-site POSTs (and on same-origin fetches), so a missing or foreign Origin/Referer on a
 * request that carries cookies is refused. Better Auth checks the origin on some of its own
 * endpoints (sign-in, those with callback URLs); this rule covers every write, theirs and ours.
 */
export function registerCsrfProtection(app: FastifyInstance, { baseUrl }: { baseUrl: string }): void {
  const allowedOrigin = new URL(baseUrl).origin;
  app.addHook('onRequest', async (request) => {
    // Every path, not a list of prefixes: the router decodes paths, so "/api/%761/…" would slip past one.
    if (SAFE_METHODS.has(request.method)) return;
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
