import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../../http/authenticate.js';
import { errorReplies, noContent } from '../../http/error-replies.js';
import { appPasswordList, appPasswordParams, createAppPasswordBody, createdAppPassword } from '@allot/contract/app-passwords';
import type { AppPasswordsService } from './app-passwords.service.js';

export function appPasswordsRoutes(service: AppPasswordsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/me/app-passwords', {
      schema: { tags: ['activation'], summary: "The signed-in user's app passwords (never the secrets)", response: { 200: appPasswordList, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request) => ({ items: await service.list(request.viewer!.user) }),
    });

    app.post('/me/app-passwords', {
      schema: {
        tags: ['activation'],
        summary: 'Create an app password for a product (shown once)',
        body: createAppPasswordBody,
        response: { 201: createdAppPassword, ...errorReplies },
      },
      preHandler: requireUser,
      handler: async (request, reply) => reply.status(201).send(await service.create(request.viewer!.user, request.body, request.ip)),
    });

    app.delete('/me/app-passwords/:id', {
      schema: { tags: ['activation'], summary: 'Revoke an app password', params: appPasswordParams, response: { 204: noContent, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request, reply) => {
        await service.remove(request.viewer!.user, request.params.id, request.ip);
        return reply.status(204).send();
      },
    });
  };
}
