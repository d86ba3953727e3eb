/** "/" sends organization administrators to their licenses and everyone else to their account. */
export const DEFAULT_AFTER_SIGN_IN = '/';

/**
 * Accepts only same-origin relative paths ("/x", not "//host" or "/\\host"), so a crafted
 * `?redirect=` can never send someone to another site after they sign in.
 */
export function safeRedirect(value: string | null | undefined, fallback: string = DEFAULT_AFTER_SIGN_IN): string {
  if (!value) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // Control characters (tabs, newlines) are stripped by URL parsers and can smuggle "//".
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value;
}

/**
 * Builds `path?key=value&…`, leaving out empty values. Slashes stay readable
 * (`/sign-in?redirect=/invite/…`): they are allowed in a query and parse back the same.
 */
export function pathWithQuery(path: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value) params.set(key, value);
  }
  const search = params.toString().replace(/%2F/gi, '/');
  return search ? `${path}?${search}` : path;
}

/** Where a verification link should land: the email-verified page, then on to `redirect`. */
export function emailVerifiedCallback(redirect: string): string {
  return pathWithQuery('/email-verified', { redirect });
}
