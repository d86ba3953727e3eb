import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/authenticate.js';
import { errorReplies, noContent } from '../../http/error-replies.js';
import { organizationParams, team, teamBody, teamList, teamParams } from '@allot/contract/teams';
import type { TeamsService } from './teams.service.js';

export function teamsRoutes(service: TeamsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/organizations/:organizationId/teams', {
      schema: { tags: ['teams'], summary: 'Teams with license counts per product', params: organizationParams, response: { 200: teamList, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request) => ({ items: await service.list(request.actor!, request.params.organizationId) }),
    });

    app.post('/organizations/:organizationId/teams', {
      schema: {
        tags: ['teams'],
        summary: 'Create a team (organization admin)',
        params: organizationParams,
        body: teamBody,
        response: { 201: team, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(201).send(await service.create(request.actor!, request.params.organizationId, request.body.name)),
    });

    app.get('/teams/:teamId', {
      schema: { tags: ['teams'], summary: 'One team with its license counts', params: teamParams, response: { 200: team, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request) => service.get(request.actor!, request.params.teamId),
    });

    app.patch('/teams/:teamId', {
      schema: { tags: ['teams'], summary: 'Rename a team', params: teamParams, body: teamBody, response: { 200: team, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request) => service.rename(request.actor!, request.params.teamId, request.body.name),
    });

    app.delete('/teams/:teamId', {
      schema: { tags: ['teams'], summary: 'Delete an empty team (organization admin)', params: teamParams, response: { 204: noContent, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request, reply) => {
        await service.delete(request.actor!, request.params.teamId);
        return reply.status(204).send();
      },
    });
  };
}
