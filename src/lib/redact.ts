/**
 * Secrets that travel in URLs (verification and reset links, invitation links, setup and device
 * codes) must not reach a log, where anyone who reads it could use them. These rules find them in
 * any text: a URL, a path, or an error message that quotes one.
 */
export const REDACTED = '[redacted]';

/** Query parameters whose values are credentials, by name. */
const SECRET_PARAMETER = /([?&;][^=&\s#"'<>]*(?:token|code|secret|password|passwd|key|signature|otp|ticket)[^=&\s#"'<>]*=)[^&\s#"'<>]+/gi;

/** Path segments that carry a credential whatever it looks like. */
const SECRET_PATH_PREFIX = /(\/(?:invite|reset-password|verify-email|admin-invitations)\/)[^/?#\s"'<>]+/gi;

/** A segment that looks like a token: a long run of URL-safe characters, or a compact JWS/JWT. */
const TOKEN_LIKE_SEGMENT = /\/([A-Za-z0-9_~%-]{20,}(?:\.[A-Za-z0-9_~%-]+){0,2}|[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})(?=$|[/?#\s"'<>])/g;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Built assets have long hashed names but are public. */
const STATIC_FILE = /\.(?:js|mjs|css|map|png|svg|ico|jpg|jpeg|webp|woff2?|ttf|txt|json|html)$/i;

/** Random tokens mix digits with letters or both cases; route names ("device-authorizations") do not. */
function isTokenLike(segment: string): boolean {
  if (UUID.test(segment) || STATIC_FILE.test(segment)) return false;
  const hasDigit = /\d/.test(segment);
  const hasLower = /[a-z]/.test(segment);
  const hasUpper = /[A-Z]/.test(segment);
  return (hasDigit && (hasLower || hasUpper)) || (hasLower && hasUpper);
}

export function redactSecrets(text: string): string {
  if (!text.includes('/') && !text.includes('=')) return text;
  return text
    .replace(SECRET_PARAMETER, `$1${REDACTED}`)
    .replace(SECRET_PATH_PREFIX, `$1${REDACTED}`)
    .replace(TOKEN_LIKE_SEGMENT, (whole, segment: string) => (isTokenLike(segment) ? `/${REDACTED}` : whole));
}

/** Keys whose values are credentials whatever they look like (a body's password, a header's cookie). */
const SECRET_KEY = /(?:password|passwd|token|secret)$|^(?:cookie|set-cookie|authorization)$/i;

/** A field's value as a log may hold it: censored under a credential's name, otherwise redacted within. */
export const redactField = (key: string, value: unknown, depth = 4): unknown =>
  SECRET_KEY.test(key) && value != null ? REDACTED : redactSecretsDeep(value, depth);

/**
 * A log value with every string in it redacted and every credential-named key's value censored
 * (objects and arrays walked, up to a depth).
 */
export function redactSecretsDeep<T>(value: T, depth = 4): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (depth === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecretsDeep(item, depth - 1)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactField(key, item, depth - 1);
  return copy as T;
}
