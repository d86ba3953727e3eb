import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Executor } from '../db/database.js';
import { AppError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import type { sealerFor } from '../lib/sealing.js';
import type { idempotencyKeysRepository } from './idempotency-keys.repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while this request holds an Idempotency-Key: its answer is stored when it is sent. */
    idempotency: { principal: string; key: string } | undefined;
  }
}

/** How long an answer is replayed. */
const REPLAY_MS = 24 * 60 * 60 * 1000;
/** A first request that has not answered after this long died with its process: the key may be taken over. */
const ABANDONED_MS = 60 * 1000;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Answers that say nothing about the request itself: a retry must run it again. */
const NOT_KEPT = new Set([401, 408, 429]);
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?allot\.session_token=([^;]+)/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * `Idempotency-Key` on every write of /api/v1 (the IETF draft's semantics, as Stripe's API has
 * them): the first answer to a key is kept for 24 hours and replayed, byte for byte, to the same
 * caller sending the same request; the same key with another request answers 422; a key whose
 * first request is still running answers 409. Keys belong to the credential that sent them (a
 * digest of the token or session), so two callers never see each other's answers. Answers are
 * sealed at rest: the answer to "create an API token" holds the token.
 *
 * What it cannot promise: the answer is stored after the change committed, so a crash between the
 * two lets a retry run the request again — which the writes themselves absorb (assigning an
 * address that holds a license, revoking a revoked one and claiming twice change nothing).
 */
export function registerIdempotency(
  app: FastifyInstance,
  deps: { db: Executor; repo: typeof idempotencyKeysRepository; sealer: ReturnType<typeof sealerFor>; clock: Clock },
): void {
  let requestsSincePrune = 0;
  app.decorateRequest('idempotency', undefined);

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !WRITES.has(request.method) || !request.url.startsWith('/api/v1/')) return;
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) throw new AppError('IDEMPOTENCY_KEY_INVALID');
    const credential = request.headers.authorization ?? request.headers.cookie?.match(SESSION_COOKIE)?.[1];
    // Without a credential the route answers 401 whatever the key: nothing to remember.
    if (!credential) return;

    const principal = sha256(credential);
    const requestHash = sha256(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`);
    const now = deps.clock.now();
    if (++requestsSincePrune >= 500) {
      requestsSincePrune = 0;
      await deps.repo.deleteOlderThan(deps.db, new Date(now.getTime() - REPLAY_MS));
    }

    const entry = { principal, key, requestHash, now };
    if (!(await deps.repo.reserve(deps.db, entry))) {
      const stored = await deps.repo.find(deps.db, { principal, key });
      const expired = stored && stored.createdAt.getTime() <= now.getTime() - REPLAY_MS;
      const abandoned = stored?.statusCode === null && stored.createdAt.getTime() <= now.getTime() - ABANDONED_MS;
      if (stored && !expired && !abandoned) return answerFromStore(reply, stored, requestHash);
      const staleBefore = new Date(now.getTime() - (expired ? REPLAY_MS : ABANDONED_MS) + 1);
      // Another retry may take it over at the same moment: only one update wins.
      if (!(await deps.repo.restart(deps.db, { ...entry, staleBefore }))) throw new AppError('IDEMPOTENCY_KEY_IN_USE');
    }
    request.idempotency = { principal, key };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const held = request.idempotency;
    if (!held) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 500 || NOT_KEPT.has(reply.statusCode)) {
      await deps.repo.release(deps.db, held);
      return payload;
    }
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? '' : null;
    if (body === null) {
      // A streamed answer cannot be replayed: let a retry run again rather than replay nothing.
      await deps.repo.release(deps.db, held);
      return payload;
    }
    const stored = JSON.stringify({ contentType: reply.getHeader('content-type') ?? null, body });
    await deps.repo.complete(deps.db, { ...held, statusCode: reply.statusCode, responseSealed: deps.sealer.seal(stored) });
    return payload;
  });

  function answerFromStore(reply: FastifyReply, stored: NonNullable<Awaited<ReturnType<typeof deps.repo.find>>>, requestHash: string) {
    if (stored.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (stored.statusCode === null || stored.responseSealed === null) throw new AppError('IDEMPOTENCY_KEY_IN_USE');
    const { contentType, body } = JSON.parse(deps.sealer.unseal(stored.responseSealed)) as { contentType: string | null; body: string };
    if (contentType) reply.header('content-type', contentType);
    return reply.status(stored.statusCode).header('idempotent-replayed', 'true').send(body);
  }
}
