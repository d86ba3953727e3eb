/**
 * NUL, which PostgreSQL refuses in text and SQLite cuts strings at, and UTF-16 surrogates without
 * their pair, which cannot be encoded as UTF-8 (PostgreSQL refuses them in jsonb, and every
 * driver on the way would mangle them). No field of ours has a use for either.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text);
}

/**
 * The dotted path of the first string (value or object key) in a parsed request part that holds
 * unstorable text ('' for the part itself), or undefined when all of it can be stored.
 */
export function findUnstorableText(value: unknown, prefix = ''): string | undefined {
  const child = (key: string | number) => (prefix ? `${prefix}.${key}` : String(key));
  if (typeof value === 'string') return isUnstorableText(value) ? prefix : undefined;
  if (value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findUnstorableText(value[index], child(index));
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (isUnstorableText(key)) return prefix;
      const found = findUnstorableText(item, child(key));
      if (found) return found;
    }
  }
  return undefined;
}
