import type { ClaimNotificationMode } from '../../../db/tables.js';
import { AppError } from '../../../errors.js';
import { invitationTemplates } from '../../../mail/templates.js';
import { requireOrgAccess, type Actor } from '../../access/actor.js';
import type { InvitationsDeps } from '../invitation-rules.js';

/** Who hears of claims, and how: a message per claim, a daily digest, or nothing. */
export function claimNotificationsUseCase(deps: InvitationsDeps) {
  return {
    async getNotificationPreference(actor: Actor, organizationId: string): Promise<ClaimNotificationMode> {
      const access = requireOrgAccess(actor, organizationId);
      if (!actor.userId) throw new AppError('FORBIDDEN');
      const stored = await deps.repo.getPreference(deps.db, actor.userId!, organizationId);
      return stored ?? (access.level === 'admin' ? 'off' : 'each');
    },

    async setNotificationPreference(actor: Actor, organizationId: string, mode: ClaimNotificationMode): Promise<ClaimNotificationMode> {
      requireOrgAccess(actor, organizationId);
      if (!actor.userId) throw new AppError('FORBIDDEN');
      await deps.repo.setPreference(deps.db, { userId: actor.userId!, organizationId, mode });
      return mode;
    },

    /** Sends each admin's daily digest once its oldest claim is a day old. Run by the mail worker's clock. */
    async sendDueDigests(): Promise<number> {
      const now = deps.clock.now();
      const due = await deps.repo.dueDigests(deps.db, new Date(now.getTime() - 24 * 60 * 60 * 1000));
      for (const { userId, organizationId } of due) {
        await deps.db.transaction().execute(async (trx) => {
          const items = await deps.repo.takeDigestItems(trx, { userId, organizationId, now });
          if (items.length === 0) return;
          const recipient = await deps.repo.findDigestRecipient(trx, { userId, organizationId });
          if (!recipient) return;
          await deps.mailer.enqueue({
            executor: trx,
            to: recipient.email,
            dedupKey: `claim-digest:${userId}:${items[0]!.id}`,
            content: invitationTemplates.claimDigest({
              adminName: recipient.name,
              organizationName: recipient.organizationName,
              lines: items.map((i) => i.summary),
              url: `${deps.baseUrl}/licenses`,
            }),
          });
        });
      }
      return due.length;
    },
  };
}
