import { z } from 'zod';

/** dev-mailbox: no SMTP, served on loopback; log-only: no SMTP and reachable from the network, so mail is only noted in the log. */
export const mailMode = z.enum(['smtp', 'dev-mailbox', 'log-only']);

export const instanceReply = z.object({
  name: z.string(),
  setupRequired: z.boolean(),
  mailMode: mailMode.describe('dev-mailbox: no SMTP, messages readable at /dev/mailbox'),
});
