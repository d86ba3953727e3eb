import { toDbTime, fromDbTime } from '../db/column-types.js';
import type { Executor } from '../db/database.js';

export type StoredIdempotentRequest = { requestHash: string; statusCode: number | null; responseSealed: string | null; createdAt: Date };

/** The first answer to each write sent with an Idempotency-Key (http/idempotency.ts). */
export const idempotencyKeysRepository = {
  async find(executor: Executor, { principal, key }: { principal: string; key: string }): Promise<StoredIdempotentRequest | undefined> {
    const row = await executor
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response_sealed', 'created_at'])
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { requestHash: row.request_hash, statusCode: row.status_code, responseSealed: row.response_sealed, createdAt: fromDbTime(row.created_at) };
  },

  /** Claims the key for a request in progress; false when a row for it exists already. */
  async reserve(executor: Executor, entry: { principal: string; key: string; requestHash: string; now: Date }): Promise<boolean> {
    const result = await executor
      .insertInto('idempotency_keys')
      .values({ principal: entry.principal, key: entry.key, request_hash: entry.requestHash, created_at: toDbTime(entry.now) })
      .onConflict((conflict) => conflict.columns(['principal', 'key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  /** Takes over a key whose stored row is past its life, or whose first request never answered. */
  async restart(executor: Executor, entry: { principal: string; key: string; requestHash: string; now: Date; staleBefore: Date }): Promise<boolean> {
    const result = await executor
      .updateTable('idempotency_keys')
      .set({ request_hash: entry.requestHash, status_code: null, response_sealed: null, created_at: toDbTime(entry.now) })
      .where('principal', '=', entry.principal)
      .where('key', '=', entry.key)
      .where('created_at', '<', toDbTime(entry.staleBefore))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async complete(executor: Executor, entry: { principal: string; key: string; statusCode: number; responseSealed: string }): Promise<void> {
    await executor
      .updateTable('idempotency_keys')
      .set({ status_code: entry.statusCode, response_sealed: entry.responseSealed })
      .where('principal', '=', entry.principal)
      .where('key', '=', entry.key)
      .execute();
  },

  async release(executor: Executor, { principal, key }: { principal: string; key: string }): Promise<void> {
    await executor.deleteFrom('idempotency_keys').where('principal', '=', principal).where('key', '=', key).execute();
  },

  async deleteOlderThan(executor: Executor, before: Date): Promise<void> {
    await executor.deleteFrom('idempotency_keys').where('created_at', '<', toDbTime(before)).execute();
  },
};
