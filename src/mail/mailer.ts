import type { Clock } from '../lib/clock.js';
import type { Db, Executor } from '../db/database.js';
import type { BatchMemo } from '../db/transaction-batcher.js';
import type { OutboxRepository } from './outbox.repository.js';
import type { MailContent } from './templates.js';

export type Mailer = ReturnType<typeof createMailer>;

/**
 * One message: `dedupKey` identifies the event (for example `claim:<id>:admin:<userId>`); a
 * second enqueue with the same key is ignored, so retries never send twice.
 */
export type OutgoingMessage = { to: string; dedupKey: string; content: MailContent };

/**
 * The only way the application sends mail: it writes an outbox row. Pass the transaction of the
 * change the message reports, so the message exists if and only if the change committed.
 */
export function createMailer(deps: {
  db: Db;
  outbox: Pick<OutboxRepository, 'insert' | 'countPending' | 'listRecent' | 'findById' | 'sealPlaintextBodies'>;
  clock: Clock;
}) {
  /** Several messages in one statement (a claim's confirmation and its admins' notices); returns how many were new. */
  const enqueueAll = (input: { messages: OutgoingMessage[]; executor?: Executor }): Promise<number> =>
    deps.outbox.insert(
      input.executor ?? deps.db,
      input.messages.map((message) => ({
        dedupKey: message.dedupKey,
        to: message.to,
        subject: message.content.subject,
        text: message.content.text,
        html: message.content.html,
      })),
      deps.clock.now(),
    );

  return {
    /** Returns whether the message was new (false: its dedup key was enqueued before). */
    async enqueue(input: OutgoingMessage & { executor?: Executor }): Promise<boolean> {
      return (await enqueueAll({ messages: [input], ...(input.executor ? { executor: input.executor } : {}) })) === 1;
    },

    enqueueAll,

    /**
     * enqueueAll for work inside a group-commit batch: the messages of every work of the batch
     * that succeeded are written in one statement, just before the batch's COMMIT.
     */
    enqueueAtCommit(batch: BatchMemo, messages: OutgoingMessage[]): void {
      batch.beforeCommit('outbox', messages, async (trx, lists) => void (await enqueueAll({ executor: trx, messages: lists.flat() })));
    },

    /** Messages not yet delivered (the outbox-depth metric). */
    countPending: () => deps.outbox.countPending(deps.db),

    /** The newest messages, bodies opened, for the dev mailbox and `allot mail`. */
    listRecent: (limit: number) => deps.outbox.listRecent(deps.db, limit),

    /** One message, body opened (`allot mail show`). */
    find: (id: number) => deps.outbox.findById(deps.db, id),

    /** Seals bodies stored in plain text by a version before sealing (run at start). */
    sealPlaintextBodies: () => deps.outbox.sealPlaintextBodies(deps.db),
  };
}
