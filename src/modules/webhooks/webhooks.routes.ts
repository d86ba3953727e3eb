import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { organizationParams } from '@allot/contract/common';
import {
  createWebhookBody,
  deliveriesQuery,
  deliveryParams,
  updateWebhookBody,
  webhookAttemptList,
  webhookDelivery,
  webhookDeliveryList,
  webhookEndpoint,
  webhookEventDescriptions,
  webhookEventPayload,
  webhookEventTypes,
  webhookList,
  webhookParams,
  webhookWithSecret,
} from '@allot/contract/webhooks';
import { requireActor } from '../../http/authenticate.js';
import { errorReplies, noContent } from '../../http/error-replies.js';
import type { WebhooksService } from './webhooks.service.js';

const tags = ['webhooks'];

export function webhooksRoutes(service: WebhooksService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/organizations/:organizationId/webhooks', {
      schema: {
        tags,
        summary: "The organization's webhook endpoints (organization admins, signed in)",
        params: organizationParams,
        response: { 200: webhookList, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => ({ items: await service.list(request.actor!, request.params.organizationId) }),
    });

    app.post('/organizations/:organizationId/webhooks', {
      schema: {
        tags,
        summary: 'Register an endpoint; the answer shows its signing secret once',
        params: organizationParams,
        body: createWebhookBody,
        response: { 201: webhookWithSecret, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(201).send(await service.create(request.actor!, request.params.organizationId, request.body)),
    });

    app.get('/webhooks/:webhookId', {
      schema: { tags, summary: 'One endpoint', params: webhookParams, response: { 200: webhookEndpoint, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request) => service.get(request.actor!, request.params.webhookId),
    });

    app.patch('/webhooks/:webhookId', {
      schema: {
        tags,
        summary: 'Change an endpoint, or turn it on or off',
        params: webhookParams,
        body: updateWebhookBody,
        response: { 200: webhookEndpoint, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.update(request.actor!, request.params.webhookId, request.body),
    });

    app.delete('/webhooks/:webhookId', {
      schema: { tags, summary: 'Delete an endpoint and its delivery log', params: webhookParams, response: { 204: noContent, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request, reply) => {
        await service.remove(request.actor!, request.params.webhookId);
        return reply.status(204).send();
      },
    });

    app.post('/webhooks/:webhookId/rotate-secret', {
      schema: {
        tags,
        summary: 'A new signing secret (shown once); the old one keeps signing beside it for 24 hours',
        params: webhookParams,
        response: { 200: webhookWithSecret, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.rotateSecret(request.actor!, request.params.webhookId),
    });

    app.post('/webhooks/:webhookId/test', {
      schema: { tags, summary: 'Send a webhook.test event to this endpoint', params: webhookParams, response: { 202: webhookDelivery, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(202).send(await service.sendTest(request.actor!, request.params.webhookId)),
    });

    app.get('/webhooks/:webhookId/deliveries', {
      schema: {
        tags,
        summary: 'The delivery log: newest first, with the last attempt of each',
        params: webhookParams,
        querystring: deliveriesQuery,
        response: { 200: webhookDeliveryList, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.deliveries(request.actor!, request.params.webhookId, request.query),
    });

    app.get('/webhooks/:webhookId/deliveries/:deliveryId/attempts', {
      schema: { tags, summary: 'Every attempt of one delivery, newest first', params: deliveryParams, response: { 200: webhookAttemptList, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request) => ({ items: await service.attempts(request.actor!, request.params.webhookId, request.params.deliveryId) }),
    });

    app.post('/webhooks/:webhookId/deliveries/:deliveryId/redeliver', {
      schema: {
        tags,
        summary: 'Send a delivery again, under the same webhook-id',
        params: deliveryParams,
        response: { 202: webhookDelivery, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(202).send(await service.redeliver(request.actor!, request.params.webhookId, request.params.deliveryId)),
    });
  };
}

/** The `webhooks` section of the OpenAPI document: each event, its body, and how deliveries are signed. */
export function openApiWebhooks(): Record<string, unknown> {
  const signed =
    "Delivered as a POST with `webhook-id`, `webhook-timestamp` and `webhook-signature` headers (Standard Webhooks): verify with the `standardwebhooks` library and the endpoint's secret, and deduplicate on `webhook-id`. Answer 2xx within 10 s; anything else is retried with backoff for about a day.";
  return Object.fromEntries(
    [...webhookEventTypes, 'webhook.test' as const].map((type) => [
      type,
      {
        post: {
          summary: webhookEventDescriptions[type],
          description: signed,
          requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(webhookEventPayload(type), { io: 'input' }) } } },
          responses: { '2XX': { description: 'Received' } },
        },
      },
    ]),
  );
}
