/**
 * The one way the UI talks to our own `/api/v1` endpoints. Every failure becomes an ApiError
 * carrying the server's `{ code, message, fields }` answer, so pages can show `message` inline
 * and map `fields` onto form inputs. Codes are the contract's catalogue: comparing with a code
 * the server does not have is a compile error.
 */
import type { ErrorCode } from '@allot/contract';
import type { authClient } from './auth-client';

/** Better Auth's own codes (its routes answer with them), its plugins' included. */
type AuthErrorCode = Extract<keyof typeof authClient.$ERROR_CODES, string>;

/** The server's codes, Better Auth's, and the two this client makes up when there is no answer to read. */
export type ApiErrorCode = ErrorCode | AuthErrorCode | 'NETWORK_ERROR' | `HTTP_${number}`;

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly fields: Record<string, string>;
  readonly requestId: string | undefined;
  /** Extra facts some errors carry (e.g. RECENTLY_ASSIGNED lists the license ids it refused). */
  readonly details: Record<string, unknown>;
  /** Seconds to wait before retrying, from the Retry-After header of a 429 answer. */
  readonly retryAfter: number | undefined;

  constructor(input: {
    status: number;
    code: ApiErrorCode;
    message: string;
    fields?: Record<string, string> | undefined;
    details?: Record<string, unknown> | undefined;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
  }) {
    super(input.message);
    this.status = input.status;
    this.code = input.code;
    this.fields = input.fields ?? {};
    this.details = input.details ?? {};
    this.requestId = input.requestId;
    this.retryAfter = input.retryAfter;
  }
}

const NETWORK_ERROR_MESSAGE = 'Could not reach the server. Check your connection and try again.';

/** Reads `Retry-After` (seconds or HTTP date); Better Auth's limiter uses `X-Retry-After`. */
export function readRetryAfter(headers: Headers): number | undefined {
  const raw = headers.get('retry-after') ?? headers.get('x-retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function readFields(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const fields: Record<string, string> = {};
  for (const [key, message] of Object.entries(value)) {
    if (typeof message === 'string') fields[key] = message;
  }
  return fields;
}

function defaultMessageFor(status: number): string {
  if (status === 429) return 'Too many attempts. Try again later.';
  if (status >= 500) return 'Something went wrong on our side. Try again shortly.';
  return `The request failed (HTTP ${status}).`;
}

async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy error page, for example): fall back to the status.
  }
  const record = isRecord(body) ? body : {};
  return new ApiError({
    status: response.status,
    code: typeof record.code === 'string' ? (record.code as ErrorCode) : `HTTP_${response.status}`,
    message: typeof record.message === 'string' && record.message ? record.message : defaultMessageFor(response.status),
    fields: readFields(record.fields),
    details: isRecord(record.details) ? record.details : undefined,
    requestId: typeof record.requestId === 'string' ? record.requestId : undefined,
    retryAfter: readRetryAfter(response.headers),
  });
}

type EnrolmentListener = (path: string) => void;
const enrolmentListeners = new Set<EnrolmentListener>();

/**
 * Tells `listener` the path of every answer saying an organization's 2FA policy now shuts this
 * person out (TWO_FACTOR_ENROLMENT_REQUIRED): the shell then shows what to do instead of the
 * page's error. Claims (`/invite/…`) are left out: the claim page explains the refusal itself.
 * Returns the unsubscribe function.
 */
export function onTwoFactorEnrolmentRequired(listener: EnrolmentListener): () => void {
  enrolmentListeners.add(listener);
  return () => enrolmentListeners.delete(listener);
}

export type ApiRequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
};

/**
 * Calls `/api/v1{path}` and resolves with the parsed JSON body (or undefined for 204).
 * The type parameter is the documented answer shape; the server is trusted to honour it.
 */
export async function api<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    credentials: 'same-origin',
    headers,
  };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
  }

  if (!response.ok) {
    const error = await errorFromResponse(response);
    if (error.code === 'TWO_FACTOR_ENROLMENT_REQUIRED' && !path.startsWith('/invite/')) for (const listener of enrolmentListeners) listener(path);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** The sentence to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429) return tooManyAttemptsMessage(error.retryAfter);
    return error.message;
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

export function tooManyAttemptsMessage(retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined || retryAfterSeconds <= 0) return 'Too many attempts. Try again later.';
  const unit = retryAfterSeconds === 1 ? 'second' : 'seconds';
  return `Too many attempts. Try again in ${retryAfterSeconds} ${unit}.`;
}

/** The address of an `/api/v1` resource for a plain link (CSV exports), empty query values left out. */
export function apiHref(path: string, query: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value) params.set(key, value);
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}
