import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor, requireUser } from '../../http/authenticate.js';
import { sendCsv } from '../../http/csv.js';
import { errorReplies } from '../../http/error-replies.js';
import {
  assignBody,
  assignReply,
  history,
  licenseFiltersQuery,
  licenseListQuery,
  licensePage,
  licenseParams,
  myLicensesReply,
  organizationParams,
  revokeBody,
  revokeReply,
  subscriptions,
  teamParams,
  transferBody,
  transferReply,
} from '@allot/contract/licenses';
import type { LicensesService } from './licenses.service.js';

export function licensesRoutes(service: LicensesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/organizations/:organizationId/subscriptions', {
      schema: {
        tags: ['licenses'],
        summary: 'Active subscriptions: licenses per product (total, assigned, free)',
        params: organizationParams,
        response: { 200: subscriptions, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => ({ items: await service.subscriptions(request.actor!, request.params.organizationId) }),
    });

    app.get('/organizations/:organizationId/licenses', {
      schema: {
        tags: ['licenses'],
        summary: 'Licenses, filtered, one keyset page at a time',
        params: organizationParams,
        querystring: licenseListQuery,
        response: { 200: licensePage, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => {
        const { cursor, ...filters } = request.query;
        return service.list(request.actor!, { organizationId: request.params.organizationId, ...filters, afterId: cursor });
      },
    });

    app.get('/organizations/:organizationId/licenses/export.csv', {
      schema: { tags: ['licenses'], summary: 'The filtered license list as CSV', params: organizationParams, querystring: licenseFiltersQuery },
      preHandler: requireActor,
      handler: async (request, reply) => {
        const pages = service.listAll(request.actor!, { organizationId: request.params.organizationId, ...request.query });
        return sendCsv(reply, {
          filename: 'licenses.csv',
          header: ['License ID', 'Product', 'Team', 'Assignee name', 'Assignee email', 'Assigned since', 'Valid until', 'Last seen', 'Order'],
          pages,
          row: (l) => [l.id, l.productName, l.teamName, l.assignee?.name, l.assignee?.email, l.assignedAt, l.validUntil, l.lastSeenAt, l.orderReference],
        });
      },
    });

    app.get('/licenses/:licenseId/history', {
      schema: {
        tags: ['licenses'],
        summary: 'Who held a license, from when to when, and how they got it',
        params: licenseParams,
        response: { 200: history, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => ({ items: (await service.history(request.actor!, request.params.licenseId)).items }),
    });

    app.post('/teams/:teamId/assignments', {
      schema: {
        tags: ['licenses'],
        summary: 'Assign free licenses of a product to addresses (up to 1,000), one result per line',
        params: teamParams,
        body: assignBody,
        response: { 200: assignReply, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => ({ results: await service.assign(request.actor!, { teamId: request.params.teamId, ...request.body }) }),
    });

    app.post('/organizations/:organizationId/licenses/revoke', {
      schema: {
        tags: ['licenses'],
        summary: 'Revoke licenses: they become free at once',
        params: organizationParams,
        body: revokeBody,
        response: { 200: revokeReply, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => ({ revoked: await service.revoke(request.actor!, request.params.organizationId, request.body.licenseIds) }),
    });

    app.post('/organizations/:organizationId/licenses/transfer', {
      schema: {
        tags: ['licenses'],
        summary: 'Move licenses to another team; assignees keep them',
        params: organizationParams,
        body: transferBody,
        response: { 200: transferReply, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => ({ transferred: await service.transfer(request.actor!, request.params.organizationId, request.body) }),
    });

    app.get('/me/licenses', {
      schema: { tags: ['accounts'], summary: 'Licenses assigned to the signed-in user ("My licenses")', response: { 200: myLicensesReply, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request) => service.listForUser(request.viewer!.user.id),
    });
  };
}
