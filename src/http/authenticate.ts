import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionResolver } from '../auth/session-resolver.js';
import type { ActiveSession } from '../auth/sessions.repository.js';
import { AppError } from '../errors.js';
import type { Actor } from '../modules/access/actor.js';
import type { AccessService } from '../modules/access/access.service.js';
import type { ApiTokensService } from '../modules/api-tokens/api-tokens.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    resolveSession: SessionResolver;
    access: Pick<AccessService, 'actorForUser'>;
    apiTokens: Pick<ApiTokensService, 'actorFor' | 'rateLimit'>;
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
 * preHandler for routes that act on organizations: a signed-in user with their roles, or an API
 * token (`Authorization: Bearer allot_…`: an operator's, or an organization's within its scope).
 * Roles and tokens are read per request, so a removed role or a revoked token stops at once.
 * Token requests count against the token's limit per minute and say so in RateLimit-* headers.
 */
export async function requireActor(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    const found = await request.server.apiTokens.actorFor(authorization.slice('Bearer '.length).trim(), request.ip);
    if (!found) throw new AppError('UNAUTHENTICATED', { message: 'This API token is unknown, expired or revoked.' });
    const verdict = await request.server.apiTokens.rateLimit(found.tokenId);
    reply.header('ratelimit-limit', String(verdict.limit));
    reply.header('ratelimit-remaining', String(verdict.remaining));
    reply.header('ratelimit-reset', String(verdict.resetSeconds));
    if (!verdict.allowed) {
      throw new AppError('RATE_LIMITED', {
        message: `This API token made too many requests. Retry in ${verdict.retryAfterSeconds} s.`,
        details: { retryAfterSeconds: verdict.retryAfterSeconds },
      });
    }
    request.actor = found.actor;
    return;
  }
  await requireUser(request, reply);
  request.actor = await request.server.access.actorForUser(request.viewer!, request.ip);
}
