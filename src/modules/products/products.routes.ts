import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/authenticate.js';
import { errorReplies } from '../../http/error-replies.js';
import { createProductBody, idParams, product, productList, updateProductBody } from '@allot/contract/products';
import type { ProductsService } from './products.service.js';

export function productsRoutes(service: ProductsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/products', {
      schema: { tags: ['products'], summary: 'The product catalog', response: { 200: productList, ...errorReplies } },
      preHandler: requireActor,
      handler: async () => ({ items: await service.list() }),
    });

    app.post('/products', {
      schema: { tags: ['products'], summary: 'Add a product (operator)', body: createProductBody, response: { 201: product, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(201).send(await service.create(request.actor!, request.body)),
    });

    app.patch('/products/:id', {
      schema: {
        tags: ['products'],
        summary: 'Rename or describe a product (operator)',
        params: idParams,
        body: updateProductBody,
        response: { 200: product, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.update(request.actor!, request.params.id, request.body),
    });
  };
}
