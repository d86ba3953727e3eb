import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/auth.js';
import { CLIENT_IP_HEADER, SESSION_COOKIE_NAME } from '../auth/auth.js';
import { cookieTokenForDigest, cookieValue, rememberSessionToken, sessionTokenDigest, signCookieValue, verifySignedValue, withSessionTokenMapping } from '../auth/session-tokens.js';
import { authRateLimits, type RateLimiter } from '../auth/rate-limiter.js';
import { sendError } from './error-handler.js';

/**
 * Mounts Better Auth at /api/auth. Requests reach it as Fetch Requests with the body untouched,
 * and with the client address in a header only we set: Better Auth reads the IP from that header,
 * so a spoofed X-Forwarded-For buys nothing unless TRUST_PROXY made Fastify honour it.
 */
export async function mountAuth(app: FastifyInstance, deps: { auth: Auth; baseUrl: string; rateLimiter: RateLimiter; secret: string; secureCookies: boolean }): Promise<void> {
  const sessionCookie = deps.secureCookies ? `__Secure-${SESSION_COOKIE_NAME}` : SESSION_COOKIE_NAME;
  const tokens = sessionTokenTranslation({ cookieName: sessionCookie, secret: deps.secret });
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

        return withSessionTokenMapping(async () => {
          const response = await deps.auth.handler(toFetchRequest(request, deps.baseUrl, body, tokens.inbound));
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

function toFetchRequest(request: FastifyRequest, baseUrl: string, body: Buffer | undefined, translateCookies: (header: string) => string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === CLIENT_IP_HEADER || name === 'host') continue;
    const joined = Array.isArray(value) ? value.join(', ') : value;
    headers.set(name, name === 'cookie' ? translateCookies(joined) : joined);
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
