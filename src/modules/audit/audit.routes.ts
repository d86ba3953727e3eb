import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/authenticate.js';
import { sendCsv } from '../../http/csv.js';
import { errorReplies } from '../../http/error-replies.js';
import { auditFiltersQuery, auditListQuery, auditPage, organizationParams } from '@allot/contract/audit';
import type { AuditService } from './audit.service.js';

export function auditRoutes(service: AuditService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/organizations/:organizationId/audit', {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first',
        params: organizationParams,
        querystring: auditListQuery,
        response: { 200: auditPage, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.list(request.actor!, { organizationId: request.params.organizationId, ...request.query }),
    });

    app.get('/organizations/:organizationId/audit/export.csv', {
      schema: { tags: ['audit'], summary: 'The filtered audit log as CSV', params: organizationParams, querystring: auditFiltersQuery },
      preHandler: requireActor,
      handler: async (request, reply) => {
        const pages = service.listAll(request.actor!, { organizationId: request.params.organizationId, ...request.query });
        return sendCsv(reply, {
          filename: 'audit-log.csv',
          header: ['Time', 'Actor', 'Action', 'Target type', 'Target', 'Team', 'IP', 'Details'],
          pages,
          row: (e) => [e.createdAt, e.actorLabel, e.action, e.targetType, e.targetId, e.teamName, e.ip, e.details ? JSON.stringify(e.details) : null],
        });
      },
    });
  };
}
