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
  /**
   * 'readable' while waiting; 'erased' once delivered or given up (the body is gone);
   * 'unreadable' when it was sealed under another instance secret.
   */
  body: 'readable' | 'erased' | 'unreadable';
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

/** Seals and opens bodies at rest (lib/sealing.ts, under the instance secret). */
export type BodySealer = { seal(plaintext: string): string; unseal(sealed: string): string };

const SEALED_PREFIX = 'sealed:';
const ERASED = { text_body: '', html_body: null } as const;

function sealBody(sealer: BodySealer, body: { text: string; html: string | null }): string {
  return SEALED_PREFIX + sealer.seal(JSON.stringify(body));
}

function openBody(sealer: BodySealer, row: Pick<OutboxRow, 'text_body' | 'html_body'>): Pick<OutboxMessage, 'text' | 'html' | 'body'> {
  if (row.text_body === '') return { text: '', html: null, body: 'erased' };
  // Rows written before bodies were sealed, until the server seals them at start.
  if (!row.text_body.startsWith(SEALED_PREFIX)) return { text: row.text_body, html: row.html_body, body: 'readable' };
  try {
    const { text, html } = JSON.parse(sealer.unseal(row.text_body.slice(SEALED_PREFIX.length))) as { text: string; html: string | null };
    return { text, html, body: 'readable' };
  } catch {
    return { text: '', html: null, body: 'unreadable' };
  }
}

const toMessage = (sealer: BodySealer, row: OutboxRow): OutboxMessage => ({
  id: Number(row.id),
  dedupKey: row.dedup_key,
  to: row.to_address,
  subject: row.subject,
  ...openBody(sealer, row),
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: fromDbTime(row.created_at),
  sentAt: fromDbTimeOrNull(row.sent_at),
});

export type OutboxRepository = ReturnType<typeof outboxRepository>;

/**
 * Message bodies carry links that act as their recipient, so they are stored sealed and erased
 * once delivered or given up: a copy of the database (or of a backup) yields no working link.
 */
export function outboxRepository(dialect: Dialect, sealer: BodySealer) {
  const toDomain = (row: OutboxRow) => toMessage(sealer, row);
  return {
    /** Inserts unless a message with the same dedup key exists; returns how many were new. */
    async insert(executor: Executor, messages: NewOutboxMessage[], now: Date): Promise<number> {
      let inserted = 0;
      // Chunks keep each statement under SQLite's bound-parameter limit (a batch of claims, each with its admins' notices).
      for (let start = 0; start < messages.length; start += 500) {
        const result = await executor
          .insertInto('outbox')
          .values(
            messages.slice(start, start + 500).map((message) => ({
              dedup_key: message.dedupKey,
              to_address: message.to,
              subject: message.subject,
              text_body: sealBody(sealer, { text: message.text, html: message.html }),
              html_body: null,
              next_attempt_at: toDbTime(now),
              created_at: toDbTime(now),
            })),
          )
          .onConflict((conflict) => conflict.column('dedup_key').doNothing())
          .executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return inserted;
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
      return rows.map(toDomain).sort((a, b) => a.id - b.id);
    },

    /** Gives leased messages back before their lease runs out (`ids`), or every lease (at the start of the only instance). */
    async releaseLeases(executor: Executor, ids: number[] | 'all'): Promise<void> {
      if (ids !== 'all' && ids.length === 0) return;
      await executor
        .updateTable('outbox')
        .set({ locked_until: null })
        .where('status', '=', 'pending')
        .$if(ids !== 'all', (query) => query.where('id', 'in', ids as number[]))
        .execute();
    },

    async markSent(executor: Executor, id: number, now: Date): Promise<void> {
      await executor
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: toDbTime(now), logged_at: toDbTime(now), locked_until: null, last_error: null, ...ERASED })
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
      await executor
        .updateTable('outbox')
        .set({ status: 'failed', logged_at: sql`coalesce(logged_at, ${toDbTime(new Date())})`, locked_until: null, last_error: error, ...ERASED })
        .where('id', '=', id)
        .execute();
    },

    async countPending(executor: Executor): Promise<number> {
      const row = await executor
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      return fromDbCount(row.count as string | number);
    },

    /** Messages the no-SMTP mode has not noted in the log yet. */
    async listUnlogged(executor: Executor, limit: number): Promise<OutboxMessage[]> {
      const rows = await executor
        .selectFrom('outbox')
        .selectAll()
        // Exactly the partial index's condition (outbox_unlogged_idx), so the planner reads it in id
        // order; messages that leave 'pending' get logged_at too and drop out of that index.
        .where('logged_at', 'is', null)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toDomain);
    },

    async markLogged(executor: Executor, ids: number[], now: Date): Promise<void> {
      if (ids.length === 0) return;
      await executor
        .updateTable('outbox')
        .set({ logged_at: toDbTime(now) })
        .where('id', 'in', ids)
        .execute();
    },

    async findById(executor: Executor, id: number): Promise<OutboxMessage | undefined> {
      const row = await executor.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toDomain(row) : undefined;
    },

    async listRecent(executor: Executor, limit: number): Promise<OutboxMessage[]> {
      const rows = await executor.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toDomain);
    },

    /** Seals bodies written in plain text before sealing existed; returns how many. */
    async sealPlaintextBodies(executor: Executor): Promise<number> {
      const rows = await executor
        .selectFrom('outbox')
        .select(['id', 'text_body', 'html_body'])
        .where('status', '=', 'pending')
        .where('text_body', '<>', '')
        .where('text_body', 'not like', `${SEALED_PREFIX}%`)
        .execute();
      for (const row of rows) {
        await executor
          .updateTable('outbox')
          .set({ text_body: sealBody(sealer, { text: row.text_body, html: row.html_body }), html_body: null })
          .where('id', '=', row.id)
          .execute();
      }
      return rows.length;
    },

    /** Erases the bodies of messages waiting since before `cutoff` (no SMTP: nobody will deliver them). */
    async eraseBodiesCreatedBefore(executor: Executor, cutoff: Date): Promise<number> {
      const result = await executor
        .updateTable('outbox')
        .set(ERASED)
        .where('created_at', '<', toDbTime(cutoff))
        .where('text_body', '<>', '')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
