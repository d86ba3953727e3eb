import type { Clock } from '../lib/clock.js';
import type { Db, Executor } from '../db/database.js';
import type { OutboxRepository } from './outbox.repository.js';
import type { MailContent } from './templates.js';

export type Mailer = ReturnType<typeof createMailer>;

/**
 * The only way the application sends mail: it writes an outbox row. Pass the transaction of the
 * change the message reports, so the message exists if and only if the change committed.
 */
export function createMailer(deps: { db: Db; outbox: Pick<OutboxRepository, 'insert' | 'countPending' | 'listRecent' | 'findById' | 'sealPlaintextBodies'>; clock: Clock }) {
  return {
    /**
     * @param dedupKey identifies the event (for example `claim:<id>:admin:<userId>`); a second
     *   enqueue with the same key is ignored, so retries never send twice.
     */
    async enqueue(input: { to: string; dedupKey: string; content: MailContent; executor?: Executor }): Promise<boolean> {
      return deps.outbox.insert(
        input.executor ?? deps.db,
        { dedupKey: input.dedupKey, to: input.to, subject: input.content.subject, text: input.content.text, html: input.content.html },
        deps.clock.now(),
      );
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
