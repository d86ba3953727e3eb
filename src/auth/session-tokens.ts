import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Session tokens are stored only as a digest. Better Auth keeps whatever token it is given in
 * the `sessions` table and puts that same value in the cookie, and it has no hashing option; so:
 *
 * - when it creates a session, a database hook replaces its token with the digest of a secret
 *   we make, and remembers digest → secret for the request being answered;
 * - on the way in, the mount swaps the browser's secret for its digest (re-signed) before Better
 *   Auth reads the cookie; on the way out, it swaps the digest back for the secret.
 *
 * The browser holds the secret, the database only its SHA-256: a copy of the table holds no
 * working session, even with the cookie-signing key.
 */
export function sessionTokenDigest(cookieToken: string): string {
  return createHash('sha256').update(cookieToken).digest('base64url');
}

/** better-call's signed-cookie form: `value.base64(HMAC-SHA256(secret, value))`. */
export function signCookieValue(value: string, secret: string): string {
  return `${value}.${createHmac('sha256', secret).update(value).digest('base64')}`;
}

/** Digest → browser secret, for the sessions one request creates or presents. */
const secretsOfThisRequest = new AsyncLocalStorage<Map<string, string>>();

export function withSessionTokenMapping<T>(work: () => Promise<T>): Promise<T> {
  return secretsOfThisRequest.run(new Map(), work);
}

/** Records that the browser's `cookieToken` stands for the stored `digest` in this request. */
export function rememberSessionToken(digest: string, cookieToken: string): void {
  secretsOfThisRequest.getStore()?.set(digest, cookieToken);
}

/** The browser secret behind a stored digest, if this request created or presented it. */
export function cookieTokenForDigest(digest: string): string | undefined {
  return secretsOfThisRequest.getStore()?.get(digest);
}

/** For Better Auth's `databaseHooks.session.create.before`: the token it will store becomes a digest. */
export function newStoredSessionToken(): string {
  const secrets = secretsOfThisRequest.getStore();
  // Outside the mount nobody would swap the digest back, and the browser would get a dead cookie.
  if (!secrets) throw new Error('sessions are created only through the /api/auth mount (withSessionTokenMapping)');
  const cookieToken = randomBytes(32).toString('base64url');
  const digest = sessionTokenDigest(cookieToken);
  secrets.set(digest, cookieToken);
  return digest;
}

/** A cookie value as better-call reads it: URI-decoded, without surrounding double quotes. */
export function cookieValue(raw: string): string | undefined {
  const trimmed = raw.trim();
  const unquoted = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  try {
    return decodeURIComponent(unquoted);
  } catch {
    return undefined;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    return cookieValue(part.slice(separator + 1));
  }
  return undefined;
}

/** Returns the token when the signature matches, as better-call's signed cookies define it. */
export function verifySignedValue(signed: string, secret: string): string | undefined {
  const separator = signed.lastIndexOf('.');
  if (separator < 1) return undefined;
  const value = signed.slice(0, separator);
  const signature = Buffer.from(signed.slice(separator + 1), 'base64');
  const expected = createHmac('sha256', secret).update(value).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return undefined;
  return value;
}
