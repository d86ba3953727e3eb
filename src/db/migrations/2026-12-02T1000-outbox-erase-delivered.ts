import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Mail bodies hold links that act as their recipient (verification, reset, invitations). From now
 * on they are stored sealed and erased once delivered (mail/outbox.repository.ts); this erases
 * the bodies of messages already delivered or given up on. Bodies still waiting are sealed by
 * the server at start, since sealing needs the instance secret and migrations never see it.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.updateTable('outbox').set({ text_body: '', html_body: null }).where('status', 'in', ['sent', 'failed']).execute();
}
