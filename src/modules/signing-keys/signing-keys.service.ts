import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Db, Executor } from '../../db/database.js';
import type { Actor } from '../access/actor.js';
import { requireOperator } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import { seal, unseal } from '../../lib/sealing.js';
import type { signingKeysRepository } from './signing-keys.repository.js';

export const TICKET_ALGORITHM = 'EdDSA';
export const TICKET_TYPE = 'allot-license+jwt';

/** Other instances pick up a key rotated elsewhere (by `allot keys rotate`) within this time. */
const RELOAD_AFTER_MS = 30_000;
const HOUR_MS = 60 * 60 * 1000;

type CurrentKey = { kid: string; privateKey: KeyObject };
type Loaded = { current: CurrentKey; jwks: { keys: JWK[] }; keySet: ReturnType<typeof createLocalJWKSet>; loadedAtMs: number };

/** Signs tickets inside the caller's transaction; obtained from `signer()` before that transaction opens. */
export type TicketSigner = {
  kid: string;
  sign(executor: Executor, claims: JWTPayload, expiresAt: Date): Promise<string>;
};

/**
 * The instance's Ed25519 signing keys. The newest unretired key signs; every key that signed a
 * ticket which has not expired yet stays in the JWKS, so rotation never breaks a live ticket.
 */
export function signingKeysService(deps: { db: Db; repo: typeof signingKeysRepository; audit: typeof auditRepository; clock: Clock; instanceSecret: string }) {
  let loaded: Loaded | undefined;
  let loading: Promise<Loaded> | undefined;

  async function createKey(executor: Executor, now: Date): Promise<string> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const publicJwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(publicJwk);
    const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await deps.repo.insert(executor, {
      kid,
      publicJwk: { ...publicJwk, kid, alg: TICKET_ALGORITHM, use: 'sig' },
      privateKeySealed: seal(pkcs8, deps.instanceSecret, 'signing-key-sealing'),
      createdAt: now,
    });
    return kid;
  }

  async function load(): Promise<Loaded> {
    const now = deps.clock.now();
    const keys = await deps.repo.listPublished(deps.db, now);
    const signer = keys.find((key) => key.retiredAt === null);
    if (!signer) throw new Error('no signing key: the server creates one at start (ensureKey)');
    const jwks = { keys: keys.map((key) => key.publicJwk as JWK) };
    loaded = {
      current: { kid: signer.kid, privateKey: createPrivateKey(unseal(signer.privateKeySealed, deps.instanceSecret, 'signing-key-sealing')) },
      jwks,
      keySet: createLocalJWKSet(jwks),
      loadedAtMs: now.getTime(),
    };
    return loaded;
  }

  /**
   * The keys, reloaded when older than RELOAD_AFTER_MS; concurrent callers share one reload.
   * Reads through the pool, so it must never run inside an open transaction (SQLite has one
   * connection, and PostgreSQL's pool can be full of transactions waiting on it).
   */
  async function fresh(): Promise<Loaded> {
    if (loaded && deps.clock.now().getTime() - loaded.loadedAtMs < RELOAD_AFTER_MS) return loaded;
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  return {
    /** Called at start: the first start of an instance makes its first key. */
    async ensureKey(): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        if ((await deps.repo.countActive(trx)) === 0) await createKey(trx, deps.clock.now());
      });
      await load();
    },

    /** Adds a key that signs from now on; the others keep verifying what they signed. */
    async rotate(actor: Actor): Promise<{ kid: string; retired: string[] }> {
      requireOperator(actor);
      const now = deps.clock.now();
      const result = await deps.db.transaction().execute(async (trx) => {
        const kid = await createKey(trx, now);
        const retired = await deps.repo.retireAllBut(trx, kid, now);
        await deps.audit.record(
          trx,
          actor,
          { action: 'signing_key.rotated', targetType: 'signing_key', targetId: kid, organizationId: null, details: { retired } },
          now,
        );
        return { kid, retired };
      });
      await load();
      return result;
    },

    /** The public keys, for `/.well-known/jwks.json`. */
    async jwks(): Promise<{ keys: JWK[] }> {
      return (await fresh()).jwks;
    },

    /** The claims of a ticket this instance signed, or TICKET_INVALID (bad signature, form, or expired). */
    async verify(token: string): Promise<JWTPayload> {
      const { keySet } = await fresh();
      try {
        const { payload } = await jwtVerify(token, keySet, { algorithms: [TICKET_ALGORITHM], typ: TICKET_TYPE, currentDate: deps.clock.now() });
        return payload;
      } catch (error) {
        throw new AppError('TICKET_INVALID', { cause: error });
      }
    },

    /** The current signing key, ready to sign inside a transaction the caller opens afterwards. */
    async signer(): Promise<TicketSigner> {
      const { current } = await fresh();
      return {
        kid: current.kid,
        async sign(executor, claims, expiresAt) {
          // In the ticket's transaction: the key stays published as long as this ticket lives.
          // Rounded up to the hour, so most calls find nothing to move.
          const until = new Date(Math.ceil(expiresAt.getTime() / HOUR_MS) * HOUR_MS);
          await deps.repo.extendVerifiesUntil(executor, current.kid, until);
          return new SignJWT(claims)
            .setProtectedHeader({ alg: TICKET_ALGORITHM, kid: current.kid, typ: TICKET_TYPE })
            .setIssuedAt(Math.floor(deps.clock.now().getTime() / 1000))
            .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
            .sign(current.privateKey);
        },
      };
    },
  };
}

export type SigningKeysService = ReturnType<typeof signingKeysService>;
