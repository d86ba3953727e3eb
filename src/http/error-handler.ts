import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/database.js';
import { AppError, errorCatalogue, type ErrorCode } from '../errors.js';

/** The one place where errors become HTTP answers. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendError(request, reply, error.code, { message: error.message, details: error.details });

    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields: Record<string, string> = {};
      for (const issue of error.validation) {
        const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || error.validationContext || 'body';
        fields[path] ??= issue.message ?? 'Invalid value';
      }
      return sendError(request, reply, 'VALIDATION_FAILED', { fields });
    }

    // PostgreSQL refuses text it cannot store (a NUL character, an invalid byte sequence): that is
    // bad input, not a server fault. SQLite stores such text, so the same request gets the same
    // answer it would get otherwise.
    if (isUnstorableText(error))
      return sendError(request, reply, 'VALIDATION_FAILED', { message: 'Text must not contain NUL or other unstorable characters.' });

    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: error }, 'database unavailable');
      return sendError(request, reply, 'DATABASE_UNAVAILABLE');
    }

    // Fastify's own client errors: malformed JSON, wrong content type, oversized body.
    if (error.statusCode === 413) return sendError(request, reply, 'PAYLOAD_TOO_LARGE');
    if (error.statusCode === 415) return sendError(request, reply, 'UNSUPPORTED_MEDIA_TYPE');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(request, reply, 'VALIDATION_FAILED', { message: error.message });
    }

    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, 'INTERNAL');
  });
}

function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  extra: { message?: string; fields?: Record<string, string>; details?: Record<string, unknown> | undefined } = {},
) {
  const entry = errorCatalogue[code];
  // Services say how long to wait in details; HTTP clients read it from Retry-After.
  const retryAfterSeconds = extra.details?.retryAfterSeconds;
  if (typeof retryAfterSeconds === 'number') reply.header('retry-after', String(retryAfterSeconds));
  return reply.status(entry.status).send({
    code,
    message: extra.message ?? entry.message,
    requestId: String(request.id),
    ...(extra.fields ? { fields: extra.fields } : {}),
    ...(extra.details ? { details: extra.details } : {}),
  });
}
