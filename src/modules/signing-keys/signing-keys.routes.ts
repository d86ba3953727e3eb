import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { jwks, rotation } from '@allot/contract/signing-keys';
import { requireActor } from '../../http/authenticate.js';
import { errorReplies } from '../../http/error-replies.js';
import type { SigningKeysService } from './signing-keys.service.js';

/** `/.well-known/jwks.json`, outside the /api/v1 prefix where verifiers look for it. */
export function jwksRoute(service: SigningKeysService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/.well-known/jwks.json', {
      schema: { tags: ['activation'], summary: 'Public keys that verify license tickets (JWKS)', response: { 200: jwks } },
      handler: async (_request, reply) => {
        // Short, so a verifier sees a rotated-in key soon after it starts signing (@allot/client
        // also answers TICKET_UNKNOWN_KEY so products fetch again).
        reply.header('cache-control', 'public, max-age=60');
        return service.jwks();
      },
    });
  };
}

export function signingKeysRoutes(service: SigningKeysService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/signing-keys/rotate', {
      schema: {
        tags: ['activation'],
        summary: 'Add a signing key; older keys keep verifying what they signed (operator)',
        response: { 201: rotation, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(201).send(await service.rotate(request.actor!)),
    });
  };
}
