import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionResolver } from '../auth/session-resolver.js';
import type { ActiveSession } from '../auth/sessions.repository.js';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    resolveSession: SessionResolver;
  }
  interface FastifyRequest {
    /** Set by requireUser; undefined on routes that do not ask for a user. */
    viewer: ActiveSession | undefined;
  }
}

/** preHandler for routes that need a signed-in user with a verified email. */
export async function requireUser(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const session = await request.server.resolveSession(request.headers.cookie);
  if (!session || !session.user.emailVerified) throw new AppError('UNAUTHENTICATED');
  request.viewer = session;
}
