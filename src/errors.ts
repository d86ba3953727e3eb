import { errorCatalogue, type ErrorCode } from '@allot/contract/errors';

export { errorCatalogue, type ErrorCode };

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
