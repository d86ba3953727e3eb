import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { organizationParams } from '@allot/contract/organizations';
import { heldLicenseParams, noticePreferences, noticePreferencesBody } from '@allot/contract/seats';
import { requireActor, requireUser } from '../../http/authenticate.js';
import { errorReplies, noContent } from '../../http/error-replies.js';
import type { SeatsService } from './seats.service.js';

export function seatsRoutes(service: SeatsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/organizations/:organizationId/notice-preferences', {
      schema: {
        tags: ['seats'],
        summary: "My expiry notices and low-seat alerts in this organization (administrators')",
        params: organizationParams,
        response: { 200: noticePreferences, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.noticePreferences(request.actor!, request.params.organizationId),
    });

    app.put('/organizations/:organizationId/notice-preferences', {
      schema: {
        tags: ['seats'],
        summary: 'Turn my expiry notices or low-seat alerts on or off',
        params: organizationParams,
        body: noticePreferencesBody,
        response: { 200: noticePreferences, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.setNoticePreferences(request.actor!, request.params.organizationId, request.body),
    });

    app.post('/me/licenses/:licenseId/keep', {
      schema: {
        tags: ['accounts'],
        summary: '"I still use it": keeps an idle license from the idle-seat policy',
        params: heldLicenseParams,
        response: { 204: noContent, ...errorReplies },
      },
      preHandler: requireUser,
      handler: async (request, reply) => {
        await service.keep(request.viewer!.user, request.params.licenseId, request.ip);
        return reply.status(204).send();
      },
    });

    app.post('/me/licenses/:licenseId/give-back', {
      schema: {
        tags: ['accounts'],
        summary: 'Give my license back: the seat is free at once and the administrators are told',
        params: heldLicenseParams,
        response: { 204: noContent, ...errorReplies },
      },
      preHandler: requireUser,
      handler: async (request, reply) => {
        await service.giveBack(request.viewer!.user, request.params.licenseId, request.ip);
        return reply.status(204).send();
      },
    });
  };
}
