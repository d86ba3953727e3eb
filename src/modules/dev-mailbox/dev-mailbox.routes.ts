import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { mailboxReply } from '@allot/contract/dev-mailbox';
import type { Mailer } from '../../mail/mailer.js';

/**
 * The outbox, readable in a browser, so a newcomer without SMTP can still verify an address.
 * Registered only when SMTP is unset and the server listens on loopback (see http/app.ts).
 */
export function devMailboxRoutes(mailer: Pick<Mailer, 'listRecent'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/dev/mailbox', {
      schema: { tags: ['dev'], summary: 'Queued mail (only without SMTP, on loopback)', response: { 200: mailboxReply } },
      handler: async () => {
        const messages = await mailer.listRecent(100);
        return {
          messages: messages.map((m) => ({
            id: String(m.id),
            to: m.to,
            subject: m.subject,
            text: m.text,
            html: m.html,
            status: m.status,
            createdAt: m.createdAt,
          })),
        };
      },
    });
  };
}
