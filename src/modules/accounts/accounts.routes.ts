import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../../http/authenticate.js';
import { errorReplies, noContent } from '../../http/error-replies.js';
import { accountDataExport, deleteAccountBody, profileReply, twoFactorRequirementsReply } from '@allot/contract/accounts';
import type { AccountsService } from './accounts.service.js';

export function accountsRoutes(service: AccountsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/me', {
      schema: { tags: ['accounts'], summary: 'The signed-in user, their roles and organizations', response: { 200: profileReply, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request) => service.getProfile(request.viewer!),
    });

    app.get('/me/two-factor-requirements', {
      schema: {
        tags: ['accounts'],
        summary: 'Organizations whose 2FA policy covers me while I have no second factor',
        response: { 200: twoFactorRequirementsReply, ...errorReplies },
      },
      preHandler: requireUser,
      handler: async (request) => ({ items: await service.twoFactorRequirements(request.viewer!.user) }),
    });

    app.get('/me/export', {
      schema: { tags: ['accounts'], summary: 'Download my data (JSON)', response: { 200: accountDataExport, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request, reply) => {
        reply.header('content-disposition', 'attachment; filename="allot-my-data.json"');
        reply.header('cache-control', 'no-store');
        return service.exportData(request.viewer!.user);
      },
    });

    app.delete('/me', {
      schema: {
        tags: ['accounts'],
        summary: 'Delete my account: licenses released, machines deactivated, sessions and app passwords removed, audit log pseudonymized',
        body: deleteAccountBody,
        response: { 204: noContent, ...errorReplies },
      },
      preHandler: requireUser,
      handler: async (request, reply) => {
        await service.deleteAccount(request.viewer!.user, request.body.password, request.ip);
        return reply.status(204).send();
      },
    });
  };
}
