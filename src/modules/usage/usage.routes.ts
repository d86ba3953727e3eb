import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { organizationParams } from '@allot/contract/organizations';
import { usageQuery, usageReport } from '@allot/contract/usage';
import { requireActor } from '../../http/authenticate.js';
import { sendCsv } from '../../http/csv.js';
import { errorReplies } from '../../http/error-replies.js';
import type { UsageService } from './usage.service.js';

export function usageRoutes(service: UsageService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/organizations/:organizationId/usage', {
      schema: {
        tags: ['usage'],
        summary: 'Seats over time: total, assigned, free and active per day, by product and by team',
        params: organizationParams,
        querystring: usageQuery,
        response: { 200: usageReport, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.report(request.actor!, { organizationId: request.params.organizationId, ...request.query }),
    });

    app.get('/organizations/:organizationId/usage.csv', {
      schema: { tags: ['usage'], summary: 'The same days as CSV, one line per day, product and team', params: organizationParams, querystring: usageQuery },
      preHandler: requireActor,
      handler: async (request, reply) => {
        const input = { organizationId: request.params.organizationId, ...request.query };
        return sendCsv(reply, {
          filename: `usage-${request.query.days}-days.csv`,
          header: ['Day', 'Product code', 'Product', 'Team', 'Total', 'Assigned', 'Free', 'Active'],
          // One page: a year of one organization's days fits in memory; sendCsv reads it before answering, so a refusal is a proper error.
          pages: (async function* () {
            yield await service.rows(request.actor!, input);
          })(),
          row: (row) => [row.day, row.productCode, row.productName, row.teamName, row.total, row.assigned, row.free, row.active],
        });
      },
    });
  };
}
