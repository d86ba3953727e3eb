import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../../http/authenticate.js';
import { errorReplies } from '../../http/error-replies.js';
import { profileReply } from '@allot/contract/accounts';
import type { AccountsService } from './accounts.service.js';

export function accountsRoutes(service: AccountsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/me', {
      schema: { tags: ['accounts'], summary: 'The signed-in user, their roles and organizations', response: { 200: profileReply, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request) => service.getProfile(request.viewer!.user),
    });
  };
}
