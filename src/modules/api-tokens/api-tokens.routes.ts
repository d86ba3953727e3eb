import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiTokenList, apiTokenParams, createApiTokenBody, createdApiToken, createOperatorTokenBody } from '@allot/contract/api-tokens';
import { organizationParams } from '@allot/contract/common';
import { requireActor } from '../../http/authenticate.js';
import { errorReplies, noContent } from '../../http/error-replies.js';
import type { ApiTokensService } from './api-tokens.service.js';

export function apiTokensRoutes(service: ApiTokensService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/organizations/:organizationId/api-tokens', {
      schema: {
        tags: ['api-tokens'],
        summary: "The organization's API tokens, revoked and expired ones included (organization admins, signed in)",
        params: organizationParams,
        response: { 200: apiTokenList, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => ({ items: await service.listForOrganization(request.actor!, request.params.organizationId) }),
    });

    app.post('/organizations/:organizationId/api-tokens', {
      schema: {
        tags: ['api-tokens'],
        summary: 'Create an API token for this organization; the answer shows it once',
        params: organizationParams,
        body: createApiTokenBody,
        response: { 201: createdApiToken, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) =>
        reply.status(201).send(await service.createForOrganization(request.actor!, request.params.organizationId, request.body)),
    });

    app.delete('/organizations/:organizationId/api-tokens/:tokenId', {
      schema: {
        tags: ['api-tokens'],
        summary: 'Revoke an API token: its next request is refused',
        params: organizationParams.extend(apiTokenParams.shape),
        response: { 204: noContent, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => {
        await service.revokeForOrganization(request.actor!, request.params.organizationId, request.params.tokenId);
        return reply.status(204).send();
      },
    });

    app.get('/operator/api-tokens', {
      schema: { tags: ['api-tokens'], summary: 'Operator API tokens (operators, signed in)', response: { 200: apiTokenList, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request) => ({ items: await service.listOperatorTokens(request.actor!) }),
    });

    app.post('/operator/api-tokens', {
      schema: {
        tags: ['api-tokens'],
        summary: 'Create an operator API token; the answer shows it once',
        body: createOperatorTokenBody,
        response: { 201: createdApiToken, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(201).send(await service.createOperatorToken(request.actor!, request.body.name)),
    });

    app.delete('/operator/api-tokens/:tokenId', {
      schema: { tags: ['api-tokens'], summary: 'Revoke an operator API token', params: apiTokenParams, response: { 204: noContent, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request, reply) => {
        await service.revokeOperatorToken(request.actor!, request.params.tokenId);
        return reply.status(204).send();
      },
    });
  };
}
