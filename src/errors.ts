/**
 * The one catalogue of error codes. Every module throws AppError with one of these codes;
 * http/error-handler.ts is the only place that turns them into HTTP answers, and the web UI
 * switches on the same codes.
 */
export const errorCatalogue = {
  /** A request body, query or parameter failed its schema. */
  VALIDATION_FAILED: { status: 400, message: 'Some fields are invalid.' },
  /** No valid session or API token came with the request. */
  UNAUTHENTICATED: { status: 401, message: 'Sign in to continue.' },
  /** The caller may see the resource but not change it. */
  FORBIDDEN: { status: 403, message: 'You do not have permission to do this.' },
  /** A state-changing request came from another origin. */
  CSRF_REJECTED: { status: 403, message: 'This request did not come from this site.' },
  /** The resource does not exist, or belongs to someone the caller cannot see. */
  NOT_FOUND: { status: 404, message: 'Not found.' },
  /** The first-run setup link is wrong, already used, or setup is finished. */
  SETUP_TOKEN_INVALID: { status: 404, message: 'This setup link is invalid or has already been used.' },
  /** The instance already has an organization, so first-run setup is closed. */
  SETUP_ALREADY_DONE: { status: 409, message: 'This instance is already set up.' },
  /** Too many attempts in the current window; Retry-After says when to try again. */
  RATE_LIMITED: { status: 429, message: 'Too many attempts. Try again later.' },
  /** The request body is not JSON, or not a type this route accepts. */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the request body as JSON.' },
  /** The request body is larger than the server accepts. */
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request is too large.' },
  /** The database cannot be reached right now; the request can be retried. */
  DATABASE_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable. Try again shortly.' },
  /** The server is shutting down. */
  SHUTTING_DOWN: { status: 503, message: 'The server is restarting. Try again shortly.' },
  /** Anything we did not expect; details go to the log, never to the client. */
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra facts for the client (for example the accepted domains); must never hold secrets. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, options: { message?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(options.message ?? errorCatalogue[code].message, { cause: options.cause });
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = options.details;
  }
}
