import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/authenticate.js';
import { errorReplies } from '../../http/error-replies.js';
import { createOrderBody, createOrderReply, orderListQuery, orderPage } from '@allot/contract/orders';
import type { OrdersService } from './orders.service.js';

export function ordersRoutes(service: OrdersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/orders', {
      schema: {
        tags: ['orders'],
        summary: 'Place an order (operator session or operator API token); idempotent on the reference',
        body: createOrderBody,
        response: { 200: createOrderReply, 201: createOrderReply, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => {
        const source = request.actor!.userId ? 'console' : 'api';
        const result = await service.create(request.actor!, request.body, source);
        return reply.status(result.created ? 201 : 200).send(result);
      },
    });

    app.get('/orders', {
      schema: { tags: ['orders'], summary: 'Orders, newest first', querystring: orderListQuery, response: { 200: orderPage, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request) => service.list(request.actor!, request.query),
    });
  };
}
