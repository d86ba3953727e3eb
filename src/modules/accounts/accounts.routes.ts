import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../../http/authenticate.js';
import { errorReplies } from '../../http/error-replies.js';
import { myLicensesReply, profileReply } from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';

export function accountsRoutes(service: AccountsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/me', {
      schema: { tags: ['accounts'], summary: 'The signed-in user, their roles and organizations', response: { 200: profileReply, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request) => service.getProfile(request.viewer!.user),
    });

    app.get('/me/licenses', {
      schema: { tags: ['accounts'], summary: 'Licenses assigned to the signed-in user ("My licenses")', response: { 200: myLicensesReply, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request) => ({ items: await service.listMyLicenses(request.viewer!.user) }),
    });
  };
}
