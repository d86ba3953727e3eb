import { sql } from 'kysely';
import { fromDbCount, fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/column-types.js';
import type { Dialect, Executor } from '../db/database.js';
import type { OutboxStatus } from '../db/tables.js';

export type OutboxMessage = {
  id: number;
  dedupKey: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

export type NewOutboxMessage = { dedupKey: string; to: string; subject: string; text: string; html: string | null };

type OutboxRow = {
  id: number;
  dedup_key: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
};

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: Number(row.id),
  dedupKey: row.dedup_key,
  to: row.to_address,
  subject: row.subject,
  text: row.text_body,
  html: row.html_body,
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: fromDbTime(row.created_at),
  sentAt: fromDbTimeOrNull(row.sent_at),
});

export type OutboxRepository = ReturnType<typeof outboxRepository>;

export function outboxRepository(dialect: Dialect) {
  return {
    /** Inserts unless a message with the same dedup key exists; returns whether it was new. */
    async insert(executor: Executor, message: NewOutboxMessage, now: Date): Promise<boolean> {
      const result = await executor
        .insertInto('outbox')
        .values({
          dedup_key: message.dedupKey,
          to_address: message.to,
          subject: message.subject,
          text_body: message.text,
          html_body: message.html,
          next_attempt_at: toDbTime(now),
          created_at: toDbTime(now),
        })
        .onConflict((conflict) => conflict.column('dedup_key').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    /**
     * Leases up to `limit` due messages to this worker until `leaseUntil`. On PostgreSQL several
     * instances may poll at once, so rows another worker is claiming are skipped, not waited for.
     * SQLite has a single writer, so the guarded UPDATE alone is enough.
     */
    async leaseDue(executor: Executor, { now, leaseUntil, limit }: { now: Date; leaseUntil: Date; limit: number }): Promise<OutboxMessage[]> {
      const due = executor
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', toDbTime(now))
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', toDbTime(now))]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .$if(dialect === 'postgres', (query) => query.forUpdate().skipLocked());
      const rows = await executor
        .updateTable('outbox')
        .set({ locked_until: toDbTime(leaseUntil), attempts: sql`attempts + 1` })
        .where('id', 'in', due)
        .returningAll()
        .execute();
      return rows.map(toMessage).sort((a, b) => a.id - b.id);
    },

    async markSent(executor: Executor, id: number, now: Date): Promise<void> {
      await executor
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: toDbTime(now), locked_until: null, last_error: null })
        .where('id', '=', id)
        .execute();
    },

    async scheduleRetry(executor: Executor, { id, nextAttemptAt, error }: { id: number; nextAttemptAt: Date; error: string }): Promise<void> {
      await executor
        .updateTable('outbox')
        .set({ next_attempt_at: toDbTime(nextAttemptAt), locked_until: null, last_error: error })
        .where('id', '=', id)
        .execute();
    },

    async markFailed(executor: Executor, { id, error }: { id: number; error: string }): Promise<void> {
      await executor.updateTable('outbox').set({ status: 'failed', locked_until: null, last_error: error }).where('id', '=', id).execute();
    },

    async countPending(executor: Executor): Promise<number> {
      const row = await executor
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      return fromDbCount(row.count as string | number);
    },

    /** Messages the no-SMTP mode has not printed to the log yet. */
    async listUnlogged(executor: Executor, limit: number): Promise<OutboxMessage[]> {
      const rows = await executor
        .selectFrom('outbox')
        .selectAll()
        .where('status', '=', 'pending')
        .where('logged_at', 'is', null)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toMessage);
    },

    async markLogged(executor: Executor, ids: number[], now: Date): Promise<void> {
      if (ids.length === 0) return;
      await executor.updateTable('outbox').set({ logged_at: toDbTime(now) }).where('id', 'in', ids).execute();
    },

    async listRecent(executor: Executor, limit: number): Promise<OutboxMessage[]> {
      const rows = await executor.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toMessage);
    },
  };
}
