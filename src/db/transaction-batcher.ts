import type { ControlledTransaction, Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Tables } from './tables.js';

/** What the works of one batch share, valid for the batch's transaction only. Keys name what is kept. */
export type BatchMemo = {
  /** A read the works would each repeat (an invitation, its admins): done once per batch. */
  once<T>(key: string, read: () => Promise<T>): Promise<T>;
  /**
   * A write that can wait for the end of the batch: `write` runs once, just before COMMIT, with
   * the items of every work that registered under `key` and succeeded. Counters shared by every
   * work (a license pool's) are then locked only from there to the commit.
   */
  beforeCommit<T>(key: string, item: T, write: (trx: Transaction<Tables>, items: T[]) => Promise<void>): void;
  /** How many earlier works of this batch, that succeeded, registered under `key` (what the shared counters do not show yet). */
  countBefore(key: string): number;
};

/** A unit of work that would otherwise be its own transaction. */
export type BatchedWork<T> = (trx: Transaction<Tables>, memo: BatchMemo) => Promise<T>;

export type TransactionBatcher = {
  /** Runs `work` inside the next batch's transaction; settles only after that transaction commits. */
  run<T>(work: BatchedWork<T>): Promise<T>;
};

type Pending = { work: BatchedWork<unknown>; resolve(value: unknown): void; reject(error: unknown): void };

/**
 * Group commit. Callers that arrive while a batch runs wait for the next one, and each batch is
 * one database transaction: one commit (one fsync on SQLite, one WAL flush and one hold of the
 * shared pool-counter row on PostgreSQL) for every caller in it. Each caller's work runs inside a
 * savepoint of its own, so a work that fails undoes only its own writes, and gets its own error.
 * Nobody is answered before COMMIT returns: a success that was reported survives a crash; if the
 * commit fails, everyone in the batch gets that failure and nothing of the batch was written.
 *
 * There is no timer. A batch starts on the event loop's next turn (setImmediate), after the
 * requests that arrived meanwhile have been read and have queued their work, and takes what is
 * queued once it holds its connection. With SQLite that turn is what makes batches at all: its
 * driver answers synchronously, so without it each request would run start to commit before the
 * next one is even parsed. An idle server adds one turn of delay (microseconds). `lanes` batches
 * may run at once (PostgreSQL has a pool; SQLite one writer).
 */
export function createTransactionBatcher(db: Db, { maxBatch = 64, lanes = 1 }: { maxBatch?: number; lanes?: number } = {}): TransactionBatcher {
  const queue: Pending[] = [];
  let running = 0;

  async function runBatch(): Promise<void> {
    let trx: ControlledTransaction<Tables> | undefined;
    let batch: Pending[] = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      trx = await db.startTransaction().execute();
    } catch (connectionError) {
      // No transaction to be had (the database is away, or closing): those waiting hear so now,
      // rather than wait for a database that may not come back.
      for (const pending of queue.splice(0)) pending.reject(connectionError);
      return;
    }
    try {
      batch = queue.splice(0, maxBatch);
      if (batch.length === 0) {
        await trx.rollback().execute();
        return;
      }
      const memos = new Map<string, Promise<unknown>>();
      const deferred = new Map<string, { items: unknown[]; write: (trx: Transaction<Tables>, items: unknown[]) => Promise<void> }>();
      let pendingOfWork: Array<{ key: string; item: unknown; write: (trx: Transaction<Tables>, items: unknown[]) => Promise<void> }> = [];
      const memo: BatchMemo = {
        once<T>(key: string, read: () => Promise<T>): Promise<T> {
          if (!memos.has(key)) memos.set(key, read());
          return memos.get(key) as Promise<T>;
        },
        beforeCommit(key, item, write) {
          pendingOfWork.push({ key, item, write: write as (trx: Transaction<Tables>, items: unknown[]) => Promise<void> });
        },
        countBefore: (key) => deferred.get(key)?.items.length ?? 0,
      };
      for (const [index, pending] of batch.entries()) {
        const name = `work_${index}`;
        const inSavepoint = await trx.savepoint(name).execute();
        pendingOfWork = [];
        try {
          outcomes.push({ ok: true, value: await pending.work(inSavepoint, memo) });
          // Only a work that succeeded keeps what it left for the commit.
          for (const { key, item, write } of pendingOfWork) {
            const entry = deferred.get(key) ?? { items: [], write };
            entry.items.push(item);
            deferred.set(key, entry);
          }
        } catch (error) {
          outcomes.push({ ok: false, error });
          await inSavepoint.rollbackToSavepoint(name).execute();
          // What a rolled-back work read may describe its own writes: read it again.
          memos.clear();
        }
        // No RELEASE: COMMIT ends every savepoint, and on PostgreSQL a RELEASE is one more round
        // trip per work. Each later savepoint nests inside the earlier ones, and rolling back to
        // one undoes only the work that made it (works run one after another).
      }
      for (const { items, write } of deferred.values()) await write(trx, items);
      await trx.commit().execute();
    } catch (batchError) {
      // The transaction itself failed (the connection, a savepoint, or the commit): nothing of
      // the batch is written, and everyone in it hears so.
      await trx
        ?.rollback()
        .execute()
        .catch(() => {});
      for (const pending of batch) pending.reject(batchError);
      return;
    }
    for (const [index, pending] of batch.entries()) {
      const outcome = outcomes[index]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    }
  }

  async function lane(): Promise<void> {
    try {
      // Checked after every batch, with no await in between: work queued meanwhile is never stranded.
      while (queue.length > 0) await runBatch();
    } finally {
      running -= 1;
    }
  }

  return {
    run<T>(work: BatchedWork<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work: work as BatchedWork<unknown>, resolve: resolve as (value: unknown) => void, reject });
        if (running < lanes) {
          running += 1;
          setImmediate(() => void lane());
        }
      });
    },
  };
}
