import { hashToken } from '../lib/tokens.js';
import type { Mailer } from '../mail/mailer.js';
import { mailTemplates } from '../mail/templates.js';
import type { AuthMailer } from './auth.js';

/** Better Auth's mail callbacks, written to the outbox. Each link is unique, so it keys its own message. */
export function authMailer({ mailer, baseUrl }: { mailer: Pick<Mailer, 'enqueue'>; baseUrl: string }): AuthMailer {
  return {
    async sendVerificationEmail({ to, name, url }) {
      await mailer.enqueue({ to, dedupKey: `verify-email:${hashToken(url)}`, content: mailTemplates.verifyEmail({ name, url }) });
    },
    async sendPasswordReset({ to, name, url }) {
      await mailer.enqueue({ to, dedupKey: `password-reset:${hashToken(url)}`, content: mailTemplates.passwordReset({ name, url }) });
    },
    async sendExistingAccountNotice({ to, name }) {
      // One notice per address per hour is plenty, and keeps a sign-up loop from flooding a mailbox.
      const hour = new Date().toISOString().slice(0, 13);
      await mailer.enqueue({
        to,
        dedupKey: `existing-account:${hashToken(to)}:${hour}`,
        content: mailTemplates.existingAccountNotice({ name, signInUrl: `${baseUrl}/sign-in`, resetUrl: `${baseUrl}/forgot-password` }),
      });
    },
  };
}
