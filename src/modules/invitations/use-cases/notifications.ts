import type { ClaimEmailChoice } from '@allot/contract/invitations';
import { AppError } from '../../../errors.js';
import { invitationTemplates } from '../../../mail/templates.js';
import { requireOrgAccess, requireTeamRead, type Actor } from '../../access/actor.js';
import { claimEmailChoice, claimEmailRecipients, DEFAULT_CLAIM_EMAILS } from '../claim-emails.js';
import type { InvitationsDeps } from '../invitation-rules.js';

/** Who hears of claims, and how: a message per claim, a daily digest, or nothing. */
export function claimNotificationsUseCase(deps: InvitationsDeps) {
  /** The person's choice and what it covers for them, so the settings card can say exactly which emails come. */
  async function getNotificationPreference(actor: Actor, organizationId: string) {
    const access = requireOrgAccess(actor, organizationId);
    const userId = actor.userId;
    if (!userId) throw new AppError('FORBIDDEN');
    const [stored, teamsAdministered, invitationsCreated] = await Promise.all([
      deps.repo.getPreference(deps.db, userId, organizationId),
      deps.repo.teamsAdministeredBy(deps.db, { userId, organizationId }),
      deps.repo.countCreatedBy(deps.db, { userId, organizationId }),
    ]);
    return {
      claimNotifications: claimEmailChoice(stored ?? null),
      reach: { organizationAdmin: access.level === 'admin', teamsAdministered, invitationsCreated },
    };
  }

  return {
    getNotificationPreference,

    async setNotificationPreference(actor: Actor, organizationId: string, choice: ClaimEmailChoice) {
      requireOrgAccess(actor, organizationId);
      const userId = actor.userId;
      if (!userId) throw new AppError('FORBIDDEN');
      // The default is no row, so that a change of the default reaches everyone who never chose.
      if (choice === DEFAULT_CLAIM_EMAILS) await deps.repo.clearPreference(deps.db, { userId, organizationId });
      else await deps.repo.setPreference(deps.db, { userId, organizationId, mode: choice });
      return getNotificationPreference(actor, organizationId);
    },

    /** Who gets an email when someone claims through this invitation, and why (the invitation page lists them). */
    async claimEmailRecipients(actor: Actor, invitationId: string) {
      const invitation = await deps.repo.findById(deps.db, invitationId);
      if (!invitation) throw new AppError('NOT_FOUND');
      requireTeamRead(actor, { id: invitation.teamId, organizationId: invitation.organizationId });
      const administrators = await deps.repo.teamAdministrators(deps.db, { organizationId: invitation.organizationId, teamId: invitation.teamId });
      const items = claimEmailRecipients(administrators, invitation).map(({ userId, name, email, delivery, reason }) => ({
        userId,
        name,
        email,
        delivery,
        reason,
      }));
      return { items };
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
