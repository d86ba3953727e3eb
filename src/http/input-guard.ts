import type { FastifyInstance } from 'fastify';
import { findUnstorableText } from '../lib/unstorable-text.js';
import { sendError } from './error-handler.js';

/**
 * Refuses text no database of ours stores faithfully (NUL, unpaired surrogates) anywhere in a
 * request's body, query or path parameters, before any schema or service sees it: one rule for
 * every route, so neither SQLite nor PostgreSQL ever gets the chance to fail on it.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    for (const part of ['params', 'query', 'body'] as const) {
      const field = findUnstorableText(request[part]);
      if (field !== undefined) {
        return sendError(request, reply, 'VALIDATION_FAILED', {
          message: 'Text must not contain NUL or unpaired surrogate characters.',
          fields: { [field || part]: 'Must not contain NUL or unpaired surrogate characters.' },
        });
      }
    }
  });
}
