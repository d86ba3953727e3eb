import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

export const rateLimitsRepository = {
  /**
   * Counts one hit in a fixed window, atomically on both dialects (one upsert), so that several
   * instances sharing a PostgreSQL database share the counters.
   */
  async hit(executor: Executor, { key, nowMs, windowMs }: { key: string; nowMs: number; windowMs: number }) {
    const windowExpired = sql<boolean>`rate_limits.window_started_at <= ${nowMs - windowMs}`;
    const row = await executor
      .insertInto('rate_limits')
      .values({ key, window_started_at: nowMs, hits: 1 })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          hits: sql`case when ${windowExpired} then 1 else rate_limits.hits + 1 end`,
          window_started_at: sql`case when ${windowExpired} then ${nowMs} else rate_limits.window_started_at end`,
        }),
      )
      .returning(['hits', 'window_started_at'])
      .executeTakeFirstOrThrow();
    return { hits: Number(row.hits), windowStartedAtMs: Number(row.window_started_at) };
  },

  async deleteOlderThan(executor: Executor, cutoffMs: number): Promise<void> {
    await executor.deleteFrom('rate_limits').where('window_started_at', '<', cutoffMs).execute();
  },
};
