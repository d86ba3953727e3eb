import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { optionalSession, requireActor, requireSession } from '../../http/authenticate.js';
import { errorReplies, noContent } from '../../http/error-replies.js';
import {
  acceptedInvitations,
  acceptedInvitationsQuery,
  claimEmailRecipients,
  claimReply,
  createInvitationBody,
  invitation,
  invitationList,
  invitationParams,
  notificationPreference,
  notificationSettings,
  notifyReply,
  organizationParams,
  previewReply,
  teamParams,
  tokenBody,
  updateInvitationBody,
} from '@allot/contract/invitations';
import type { InvitationsService } from './invitations.service.js';

export function invitationsRoutes(service: InvitationsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/teams/:teamId/invitations', {
      schema: { tags: ['invitations'], summary: "A team's bulk invitations", params: teamParams, response: { 200: invitationList, ...errorReplies } },
      preHandler: requireActor,
      handler: async (request) => ({ items: await service.listForTeam(request.actor!, request.params.teamId) }),
    });

    app.post('/teams/:teamId/invitations', {
      schema: {
        tags: ['invitations'],
        summary: 'Create Invitation: a shareable link to claim licenses of one product',
        params: teamParams,
        body: createInvitationBody,
        response: { 201: invitation, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => reply.status(201).send(await service.create(request.actor!, request.params.teamId, request.body)),
    });

    app.get('/invitations/:invitationId', {
      schema: {
        tags: ['invitations'],
        summary: 'An invitation: link, settings, status, licenses remaining, claims',
        params: invitationParams,
        response: { 200: invitation, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.get(request.actor!, request.params.invitationId),
    });

    app.patch('/invitations/:invitationId', {
      schema: {
        tags: ['invitations'],
        summary: 'Edit, disable or re-enable an invitation',
        params: invitationParams,
        body: updateInvitationBody,
        response: { 200: invitation, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.update(request.actor!, request.params.invitationId, request.body),
    });

    app.post('/invitations/:invitationId/regenerate', {
      schema: {
        tags: ['invitations'],
        summary: 'Replace the link; the old one stops working at once',
        params: invitationParams,
        response: { 200: invitation, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.regenerate(request.actor!, request.params.invitationId),
    });

    app.delete('/invitations/:invitationId', {
      schema: {
        tags: ['invitations'],
        summary: 'Delete an invitation (its accepted list stays in the audit log)',
        params: invitationParams,
        response: { 204: noContent, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request, reply) => {
        await service.delete(request.actor!, request.params.invitationId);
        return reply.status(204).send();
      },
    });

    app.get('/invitations/:invitationId/accepted', {
      schema: {
        tags: ['invitations'],
        summary: 'Accepted invitations, newest first',
        params: invitationParams,
        querystring: acceptedInvitationsQuery,
        response: { 200: acceptedInvitations, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.acceptedInvitations(request.actor!, request.params.invitationId, request.query),
    });

    // The token travels in a body, never a URL, so it stays out of access logs.
    app.post('/invite/preview', {
      schema: {
        tags: ['invitations'],
        summary: 'What an invitation link offers (no sign-in needed)',
        body: tokenBody,
        response: { 200: previewReply, ...errorReplies },
      },
      // Signed in, the answer also says what a claim would do for this person.
      preHandler: optionalSession,
      handler: async (request) => service.preview(request.body.token, request.viewer?.user ?? null),
    });

    app.post('/invite/claim', {
      schema: { tags: ['invitations'], summary: 'Claim a license through an invitation link', body: tokenBody, response: { 200: claimReply, ...errorReplies } },
      preHandler: requireSession,
      handler: async (request) => service.claim(request.viewer!.user, request.body.token, request.ip),
    });

    app.post('/invite/notify-admins', {
      schema: {
        tags: ['invitations'],
        summary: 'After "No assets left": tell the team admins someone is waiting (once)',
        body: tokenBody,
        response: { 200: notifyReply, ...errorReplies },
      },
      preHandler: requireSession,
      handler: async (request) => service.notifyAdministrators(request.viewer!.user, request.body.token),
    });

    app.get('/organizations/:organizationId/notification-settings', {
      schema: {
        tags: ['invitations'],
        summary: 'My claim notifications in this organization',
        params: organizationParams,
        response: { 200: notificationSettings, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.getNotificationPreference(request.actor!, request.params.organizationId),
    });

    app.put('/organizations/:organizationId/notification-settings', {
      schema: {
        tags: ['invitations'],
        summary: 'Choose claim notifications: my invitations and teams (default), each claim, a daily digest, or off',
        params: organizationParams,
        body: notificationPreference,
        response: { 200: notificationSettings, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.setNotificationPreference(request.actor!, request.params.organizationId, request.body.claimNotifications),
    });

    app.get('/invitations/:invitationId/claim-emails', {
      schema: {
        tags: ['invitations'],
        summary: 'Who gets an email when someone claims through this invitation, and why',
        params: invitationParams,
        response: { 200: claimEmailRecipients, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => service.claimEmailRecipients(request.actor!, request.params.invitationId),
    });
  };
}
