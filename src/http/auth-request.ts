import type { ErrorCode } from '../errors.js';
import { findUnstorableText } from '../lib/unstorable-text.js';

/**
 * What reaches Better Auth is what our rate limits and checks read, and nothing else: the path in
 * one canonical spelling, and a body that we parsed and serialized again as plain JSON. Better
 * Auth (better-call) would otherwise read bodies we do not (form posts, multipart, JSON with a
 * byte-order mark or under a `+json` type) and route paths we spell differently.
 */
export type AuthRequestInput = { url: string; contentType: string | undefined; body: Buffer | undefined };

export type CanonicalAuthRequest = {
  /** The path after /api/auth, decoded once, dot segments resolved, repeated and trailing slashes dropped. */
  path: string;
  /** The query string as sent, with its leading '?', or ''. */
  search: string;
  /** The JSON text to forward, or undefined for no body. */
  body: string | undefined;
  /** The parsed body, for the rate-limit keys. */
  parsedBody: unknown;
};

export type AuthRequestRefusal = { code: ErrorCode; message: string; fields?: Record<string, string> };

const UTF8_BOM = '\uFEFF';

export function canonicalAuthRequest(input: AuthRequestInput): { ok: true; request: CanonicalAuthRequest } | { ok: false; refusal: AuthRequestRefusal } {
  const queryStart = input.url.indexOf('?');
  const rawPath = (queryStart === -1 ? input.url : input.url.slice(0, queryStart)).slice('/api/auth'.length);
  const search = queryStart === -1 ? '' : input.url.slice(queryStart);
  const path = canonicalPath(rawPath);
  if (path === undefined) return { ok: false, refusal: { code: 'NOT_FOUND', message: 'Not found.' } };
  const badQueryCallback = CALLBACK_FIELDS.find((field) => {
    const value = new URLSearchParams(search).get(field);
    return value !== null && !isLocalCallback(value);
  });
  if (badQueryCallback) return { ok: false, refusal: callbackRefusal(badQueryCallback) };

  if (!input.body || input.body.length === 0) return { ok: true, request: { path, search, body: undefined, parsedBody: undefined } };

  if (!isPlainJsonContentType(input.contentType)) {
    return { ok: false, refusal: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request body as JSON (Content-Type: application/json; UTF-8).' } };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input.body);
  } catch {
    return { ok: false, refusal: { code: 'VALIDATION_FAILED', message: 'The request body is not valid UTF-8.' } };
  }
  if (text.startsWith(UTF8_BOM)) text = text.slice(1);
  let parsedBody: unknown;
  try {
    parsedBody = JSON.parse(text);
  } catch {
    return { ok: false, refusal: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' } };
  }
  const unstorable = findUnstorableText(parsedBody);
  if (unstorable !== undefined) {
    const field = unstorable || 'body';
    return {
      ok: false,
      refusal: {
        code: 'VALIDATION_FAILED',
        message: 'Text must not contain NUL or unpaired surrogate characters.',
        fields: { [field]: 'Must not contain NUL or unpaired surrogate characters.' },
      },
    };
  }
  const badBodyCallback = CALLBACK_FIELDS.find((field) => {
    const value = (parsedBody as Record<string, unknown> | null)?.[field];
    return value !== undefined && (typeof value !== 'string' || !isLocalCallback(value));
  });
  if (badBodyCallback) return { ok: false, refusal: callbackRefusal(badBodyCallback) };
  return { ok: true, request: { path, search, body: JSON.stringify(parsedBody), parsedBody } };
}

/**
 * Where Better Auth sends the browser after a link or a sign-in. Only our own pages: a path on
 * this site. Anything else is an open redirect at best, and Better Auth fails on what it cannot
 * parse as a URL.
 */
const CALLBACK_FIELDS = ['callbackURL', 'errorCallbackURL', 'newUserCallbackURL', 'redirectTo'] as const;

function isLocalCallback(value: string): boolean {
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(value);
}

function callbackRefusal(field: string): AuthRequestRefusal {
  return { code: 'VALIDATION_FAILED', message: 'Some fields are invalid.', fields: { [field]: 'Must be a path on this site, starting with /.' } };
}

/** `application/json`, optionally with charset=utf-8; no other media type or charset. */
function isPlainJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => {
    if (parameter === '') return true;
    const [name, value] = parameter.split('=').map((part) => part.trim());
    return name === 'charset' && (value === 'utf-8' || value === '"utf-8"' || value === 'utf8');
  });
}

/**
 * "/sign-in/%65mail/", "//sign-in/./email" and "/sign-in/email" are one endpoint. Returns
 * undefined for a path that does not decode (Better Auth would answer 404 to it anyway).
 */
function canonicalPath(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('?') || decoded.includes('#') || decoded.includes('\\') || findUnstorableText(decoded) !== undefined) return undefined;
  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** A rate-limit key's email: Better Auth lower-cases addresses; we also trim, so spacing buys nothing. */
export function bodyEmail(body: unknown, field: 'email' | 'newEmail' = 'email'): string | undefined {
  const value = (body as Record<string, unknown> | null | undefined)?.[field];
  return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
}
