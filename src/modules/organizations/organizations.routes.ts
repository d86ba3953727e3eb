import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/authenticate.js';
import { errorReplies } from '../../http/error-replies.js';
import {
  createOrganizationBody,
  organizationDetails,
  organizationList,
  organizationParams,
  updateOrganizationBody,
  createdOrganization,
} from '@allot/contract/organizations';
import type { OrganizationsService } from './organizations.service.js';

export function organizationsRoutes(service: OrganizationsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/organizations', {
      schema: { tags: ['organizations'], summary: 'Organizations the caller works in (operators: all)', response: { 200: organizationList, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request) => ({ items: await service.list(request.actor!) }),
    });

    app.post('/organizations', {
      schema: {
        tags: ['organizations'],
        summary: 'Create an organization and name its admin (operator)',
        body: createOrganizationBody,
        response: { 201: createdOrganization, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(201).send(await service.create(request.actor!, request.body)),
    });

    app.get('/organizations/:organizationId', {
      schema: {
        tags: ['organizations'],
        summary: 'One organization and its settings',
        params: organizationParams,
        response: { 200: organizationDetails, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.get(request.actor!, request.params.organizationId),
    });

    app.patch('/organizations/:organizationId', {
      schema: {
        tags: ['organizations'],
        summary: 'Rename or change settings (organization admin)',
        params: organizationParams,
        body: updateOrganizationBody,
        response: { 200: organizationDetails, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.update(request.actor!, request.params.organizationId, request.body),
    });
  };
}
