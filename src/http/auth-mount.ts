import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/auth.js';
import { CLIENT_IP_HEADER, SESSION_COOKIE_NAME } from '../auth/auth.js';
import {
  cookieTokenForDigest,
  cookieValue,
  rememberSessionToken,
  sessionTokenDigest,
  signCookieValue,
  verifySignedValue,
  withSessionTokenMapping,
} from '../auth/session-tokens.js';
import { authRateLimits, type RateLimiter } from '../auth/rate-limiter.js';
import { bodyEmail, canonicalAuthRequest } from './auth-request.js';
import { sendError } from './error-handler.js';

/**
 * Mounts Better Auth at /api/auth. Requests reach it as Fetch Requests in canonical form (the
 * path and JSON body our rate limits read; see auth-request.ts), with the client address in a
 * header only we set: Better Auth reads the IP from that header, so a spoofed X-Forwarded-For buys
 * nothing unless TRUST_PROXY made Fastify honour it.
 */
export async function mountAuth(
  app: FastifyInstance,
  deps: { auth: Auth; baseUrl: string; rateLimiter: RateLimiter; secret: string; secureCookies: boolean },
): Promise<void> {
  const sessionCookie = deps.secureCookies ? `__Secure-${SESSION_COOKIE_NAME}` : SESSION_COOKIE_NAME;
  const tokens = sessionTokenTranslation({ cookieName: sessionCookie, secret: deps.secret });
  await app.register(async (scope) => {
    // We parse bodies ourselves (auth-request.ts): take the raw bytes, whatever their type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));

    scope.route({
      method: ['GET', 'POST'],
      url: '/api/auth/*',
      schema: { hide: true },
      handler: async (request, reply) => {
        const canonical = canonicalAuthRequest({
          url: request.url,
          contentType: request.headers['content-type'],
          body: request.body instanceof Buffer ? request.body : undefined,
        });
        if (!canonical.ok) {
          const { code, message, fields } = canonical.refusal;
          return sendError(request, reply, code, { message, ...(fields ? { fields } : {}) });
        }
        const { path, search, body, parsedBody } = canonical.request;

        const limits = request.method === 'POST' ? (authRateLimits[path.toLowerCase()] ?? []) : [];
        const limitInput = { ip: request.ip, email: bodyEmail(parsedBody), newEmail: bodyEmail(parsedBody, 'newEmail') };
        for (const limit of limits) {
          const key = limit.key(limitInput);
          const verdict = key ? await deps.rateLimiter.hit(key, limit) : { allowed: true as const };
          if (!verdict.allowed) {
            return sendError(request, reply, 'RATE_LIMITED', { details: { retryAfterSeconds: verdict.retryAfterSeconds } });
          }
        }

        return withSessionTokenMapping(async () => {
          const response = await deps.auth.handler(
            toFetchRequest(request, { url: new URL(`/api/auth${path}${search}`, deps.baseUrl), body, translateCookies: tokens.inbound }),
          );
          reply.status(response.status);
          response.headers.forEach((value, name) => {
            if (name !== 'set-cookie') reply.header(name, value);
          });
          const cookies = response.headers.getSetCookie().map(tokens.outbound);
          if (cookies.length > 0) reply.header('set-cookie', cookies);
          return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
        });
      },
    });
  });
}

/**
 * Better Auth sees the stored digest of a session token, the browser the secret behind it
 * (auth/session-tokens.ts): the session cookie is translated on the way in and on the way out.
 */
function sessionTokenTranslation({ cookieName, secret }: { cookieName: string; secret: string }) {
  return {
    /**
     * The Cookie header with the browser's secret swapped for its digest, signed as Better Auth
     * expects. A session cookie that does not verify is dropped: passed on, a stored digest
     * (quoted, say, which Better Auth unquotes) would reach Better Auth as a valid session.
     */
    inbound(cookieHeader: string): string {
      return cookieHeader
        .split(';')
        .flatMap((part) => {
          const separator = part.indexOf('=');
          if (separator === -1 || part.slice(0, separator).trim() !== cookieName) return [part];
          const signed = cookieValue(part.slice(separator + 1));
          const cookieToken = signed ? verifySignedValue(signed, secret) : undefined;
          if (!cookieToken) return [];
          const digest = sessionTokenDigest(cookieToken);
          rememberSessionToken(digest, cookieToken);
          return [` ${cookieName}=${encodeURIComponent(signCookieValue(digest, secret))}`];
        })
        .join(';')
        .trim();
    },
    /** A Set-Cookie of the session with the digest Better Auth wrote swapped back for the browser's secret. */
    outbound(setCookie: string): string {
      const separator = setCookie.indexOf('=');
      if (separator === -1 || setCookie.slice(0, separator).trim() !== cookieName) return setCookie;
      const end = setCookie.indexOf(';', separator);
      const value = cookieValue(setCookie.slice(separator + 1, end === -1 ? undefined : end)) ?? '';
      const digest = value.slice(0, value.lastIndexOf('.'));
      const cookieToken = digest ? cookieTokenForDigest(digest) : undefined;
      // An emptied cookie (sign-out) has nothing to translate.
      if (!cookieToken) return setCookie;
      return `${cookieName}=${encodeURIComponent(signCookieValue(cookieToken, secret))}${end === -1 ? '' : setCookie.slice(end)}`;
    },
  };
}

function toFetchRequest(request: FastifyRequest, forward: { url: URL; body: string | undefined; translateCookies: (header: string) => string }): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === CLIENT_IP_HEADER || name === 'host' || name === 'content-length' || name === 'transfer-encoding') continue;
    const joined = Array.isArray(value) ? value.join(', ') : value;
    headers.set(name, name === 'cookie' ? forward.translateCookies(joined) : joined);
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  if (forward.body === undefined) headers.delete('content-type');
  else headers.set('content-type', 'application/json');
  return new Request(forward.url, {
    method: request.method,
    headers,
    ...(forward.body === undefined ? {} : { body: forward.body }),
  });
}
