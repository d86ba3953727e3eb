import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';

export type StoredSigningKey = {
  kid: string;
  publicJwk: Record<string, unknown>;
  privateKeySealed: string;
  createdAt: Date;
  retiredAt: Date | null;
  verifiesUntil: Date | null;
};

export const signingKeysRepository = {
  /** Keys that sign or still verify at `now`, newest first. */
  async listPublished(executor: Executor, now: Date): Promise<StoredSigningKey[]> {
    const rows = await executor
      .selectFrom('signing_keys')
      .selectAll()
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('verifies_until', '>', toDbTime(now))]))
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc')
      .execute();
    return rows.map((row) => ({
      kid: row.kid,
      publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
      privateKeySealed: row.private_key_sealed,
      createdAt: fromDbTime(row.created_at),
      retiredAt: fromDbTimeOrNull(row.retired_at),
      verifiesUntil: fromDbTimeOrNull(row.verifies_until),
    }));
  },

  async countActive(executor: Executor): Promise<number> {
    const row = await executor
      .selectFrom('signing_keys')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('retired_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  },

  async insert(executor: Executor, key: { kid: string; publicJwk: Record<string, unknown>; privateKeySealed: string; createdAt: Date }): Promise<void> {
    await executor
      .insertInto('signing_keys')
      .values({ kid: key.kid, public_jwk: JSON.stringify(key.publicJwk), private_key_sealed: key.privateKeySealed, created_at: toDbTime(key.createdAt) })
      .execute();
  },

  /** Retires every signing key except `keepKid`: they stop signing but keep verifying their tickets. */
  async retireAllBut(executor: Executor, keepKid: string, now: Date): Promise<string[]> {
    const rows = await executor
      .updateTable('signing_keys')
      .set({ retired_at: toDbTime(now) })
      .where('retired_at', 'is', null)
      .where('kid', '!=', keepKid)
      .returning('kid')
      .execute();
    return rows.map((row) => row.kid);
  },

  /** Moves `verifies_until` forward only: concurrent signers never shorten a key's life. */
  async extendVerifiesUntil(executor: Executor, kid: string, until: Date): Promise<void> {
    await executor
      .updateTable('signing_keys')
      .set({ verifies_until: toDbTime(until) })
      .where('kid', '=', kid)
      .where((eb) => eb.or([eb('verifies_until', 'is', null), eb('verifies_until', '<', toDbTime(until))]))
      .execute();
  },
};
