import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor, requireUser } from '../../http/authenticate.js';
import { errorReplies, noContent } from '../../http/error-replies.js';
import {
  acceptReply,
  adminsReply,
  invitationParams,
  inviteBody,
  inviteReply,
  organizationParams,
  previewReply,
  removeRoleBody,
  tokenBody,
} from '@allot/contract/admins';
import type { AdminsService } from './admins.service.js';

export function adminsRoutes(service: AdminsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/organizations/:organizationId/admins', {
      schema: {
        tags: ['admins'],
        summary: 'Administrators and viewers, and pending invitations',
        params: organizationParams,
        response: { 200: adminsReply, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.list(request.actor!, request.params.organizationId),
    });

    app.post('/organizations/:organizationId/admin-invitations', {
      schema: {
        tags: ['admins'],
        summary: 'Invite an admin or viewer by a one-time link (valid 7 days)',
        params: organizationParams,
        body: inviteBody,
        response: { 201: inviteReply, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(201).send(await service.invite(request.actor!, request.params.organizationId, request.body)),
    });

    app.delete('/organizations/:organizationId/admin-invitations/:invitationId', {
      schema: { tags: ['admins'], summary: 'Revoke a pending invitation', params: invitationParams, response: { 204: noContent, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request, reply) => {
        await service.revokeInvitation(request.actor!, request.params.organizationId, request.params.invitationId);
        return reply.status(204).send();
      },
    });

    app.post('/organizations/:organizationId/roles/remove', {
      schema: {
        tags: ['admins'],
        summary: 'Remove a role (never the last organization admin)',
        params: organizationParams,
        body: removeRoleBody,
        response: { 204: noContent, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => {
        await service.removeRole(request.actor!, request.params.organizationId, request.body);
        return reply.status(204).send();
      },
    });

    app.post('/admin-invitations/preview', {
      schema: {
        tags: ['admins'],
        summary: 'What an invitation link offers (for the accept page)',
        body: tokenBody,
        response: { 200: previewReply, ...errorReplies },
      },
      handler: async (request) => service.preview(request.body.token),
    });

    app.post('/admin-invitations/accept', {
      schema: {
        tags: ['admins'],
        summary: 'Accept an invitation as the invited, signed-in address',
        body: tokenBody,
        response: { 200: acceptReply, ...errorReplies },
      },
      preHandler: requireUser,
      handler: async (request) => service.accept(request.viewer!.user, request.body.token, request.ip),
    });
  };
}
