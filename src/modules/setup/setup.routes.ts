import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorReplies } from '../../http/error-replies.js';
import { checkSetupTokenBody, checkSetupTokenReply, completeSetupBody, completeSetupReply } from '@allot/contract/setup';
import type { SetupService } from './setup.service.js';

export function setupRoutes(service: SetupService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/setup/check', {
      schema: { tags: ['setup'], summary: 'Check a first-run setup link', body: checkSetupTokenBody, response: { 200: checkSetupTokenReply, ...errorReplies } },
      handler: async (request) => service.checkToken(request.body.token),
    });

    app.post('/setup', {
      schema: {
        tags: ['setup'],
        summary: 'Create the first organization and name its admin',
        body: completeSetupBody,
        response: { 201: completeSetupReply, ...errorReplies },
      },
      handler: async (request, reply) => {
        const result = await service.completeWithToken(request.body);
        request.log.info({ organizationId: result.organization.id }, 'first-run setup completed');
        return reply.status(201).send(result);
      },
    });
  };
}
