import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor, requireUser } from '../../http/authenticate.js';
import { errorReplies, noContent } from '../../http/error-replies.js';
import {
  activateBody,
  deviceAuthorizationDetails,
  deviceAuthorizationStart,
  deviceDecisionBody,
  issuedTicket,
  licenseMachineList,
  licenseParams,
  machineParams,
  myMachineList,
  offlineCodeBody,
  refreshBody,
  startDeviceBody,
  userCodeParams,
} from '@allot/contract/activations';
import type { ActivationsService } from './activations.service.js';

export function activationsRoutes(service: ActivationsService): FastifyPluginAsyncZod {
  return async (app) => {
    // Products call these three without a session: they authenticate in the body.
    app.post('/activations', {
      schema: {
        tags: ['activation'],
        summary: 'Activate a product on a machine: email + password, email + app password, or an approved device code',
        body: activateBody,
        response: { 201: issuedTicket, ...errorReplies },
      },
      handler: async (request, reply) => reply.status(201).send(await service.activate(request.body, request.ip)),
    });

    app.post('/activations/refresh', {
      schema: {
        tags: ['activation'],
        summary: 'A new ticket for an activated machine (refresh token), or redeem an offline code once online',
        body: refreshBody,
        response: { 200: issuedTicket, ...errorReplies },
      },
      handler: async (request) =>
        'refreshToken' in request.body ? service.refresh(request.body, request.ip) : service.redeemOfflineCode(request.body, request.ip),
    });

    app.post('/device-authorizations', {
      schema: {
        tags: ['activation'],
        summary: 'Start a device login (RFC 8628): show userCode, then poll POST /activations with the deviceCode',
        body: startDeviceBody,
        response: { 201: deviceAuthorizationStart, ...errorReplies },
      },
      handler: async (request, reply) => reply.status(201).send(await service.startDeviceAuthorization(request.body, request.ip)),
    });

    app.get('/device-authorizations/:userCode', {
      schema: {
        tags: ['activation'],
        summary: 'The product and machine behind a device login code',
        params: userCodeParams,
        response: { 200: deviceAuthorizationDetails, ...errorReplies },
      },
      preHandler: requireUser,
      handler: async (request) => service.describeDeviceAuthorization(request.viewer!.user, request.params.userCode),
    });

    app.post('/device-authorizations/:userCode/decision', {
      schema: {
        tags: ['activation'],
        summary: 'Approve or deny a device login',
        params: userCodeParams,
        body: deviceDecisionBody,
        response: { 204: noContent, ...errorReplies },
      },
      preHandler: requireUser,
      handler: async (request, reply) => {
        await service.decideDeviceAuthorization(request.viewer!.user, request.params.userCode, request.body.decision, request.ip);
        return reply.status(204).send();
      },
    });

    app.get('/me/machines', {
      schema: { tags: ['activation'], summary: "The machines the signed-in user's licenses are active on", response: { 200: myMachineList, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request) => ({ items: await service.listMachines(request.viewer!.user) }),
    });

    app.get('/licenses/:licenseId/machines', {
      schema: {
        tags: ['activation'],
        summary: "The machines a license's holder uses it on (admins and viewers of its team)",
        params: licenseParams,
        response: { 200: licenseMachineList, ...errorReplies },
      },
      preHandler: requireActor,
      handler: async (request) => ({ items: await service.listMachinesOfLicense(request.actor!, request.params.licenseId) }),
    });

    app.delete('/me/machines/:id', {
      schema: { tags: ['activation'], summary: 'Deactivate a machine, freeing its seat', params: machineParams, response: { 204: noContent, ...errorReplies } },
      preHandler: requireUser,
      handler: async (request, reply) => {
        await service.deactivateMachine(request.viewer!.user, request.params.id, request.ip);
        return reply.status(204).send();
      },
    });

    app.post('/me/licenses/:licenseId/offline-code', {
      schema: {
        tags: ['activation'],
        summary: 'An offline activation code for a machine without network (valid until the license ends; cannot be recalled)',
        params: licenseParams,
        body: offlineCodeBody,
        response: { 201: issuedTicket, ...errorReplies },
      },
      preHandler: requireUser,
      handler: async (request, reply) =>
        reply.status(201).send(await service.issueOfflineCode(request.viewer!.user, request.params.licenseId, request.body, request.ip)),
    });
  };
}
