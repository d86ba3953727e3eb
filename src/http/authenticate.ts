import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionResolver } from '../auth/session-resolver.js';
import type { ActiveSession } from '../auth/sessions.repository.js';
import { AppError } from '../errors.js';
import type { Actor } from '../modules/access/actor.js';
import type { AccessService } from '../modules/access/access.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    resolveSession: SessionResolver;
    access: Pick<AccessService, 'actorForUser' | 'actorForApiToken'>;
  }
  interface FastifyRequest {
    /** Set by requireUser / requireActor; undefined on routes that do not ask for a user. */
    viewer: ActiveSession | undefined;
    /** Set by requireActor: the user (with roles) or API token behind the request. */
    actor: Actor | undefined;
  }
}

/** preHandler for routes that need a signed-in user with a verified email. */
export async function requireUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireSession(request, reply);
  if (!request.viewer!.user.emailVerified) throw new AppError('UNAUTHENTICATED');
}

/** preHandler for routes that answer an unverified address themselves (with EMAIL_NOT_VERIFIED). */
export async function requireSession(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const session = await request.server.resolveSession(request.headers.cookie);
  if (!session) throw new AppError('UNAUTHENTICATED');
  request.viewer = session;
}

/** preHandler for public routes that answer more to a signed-in person; never refuses. */
export async function optionalSession(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  request.viewer = (await request.server.resolveSession(request.headers.cookie)) ?? undefined;
}

/**
 * preHandler for routes that act on organizations: a signed-in user with their roles, or an
 * operator API token (`Authorization: Bearer allot_…`). Roles are read per request, so a removed
 * role stops working at once.
 */
export async function requireActor(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    const actor = await request.server.access.actorForApiToken(authorization.slice('Bearer '.length).trim(), request.ip);
    if (!actor) throw new AppError('UNAUTHENTICATED', { message: 'This API token is unknown or revoked.' });
    request.actor = actor;
    return;
  }
  await requireUser(request, _reply);
  request.actor = await request.server.access.actorForUser(request.viewer!.user, request.ip);
}
