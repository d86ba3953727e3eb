import type { ClaimEmailChoice, ClaimEmailDelivery } from '@allot/contract/invitations';
import type { ClaimNotificationMode } from '../../db/tables.js';

/**
 * Who hears of a claim, decided here and nowhere else: the claim path, the "who gets emails"
 * list of an invitation and the settings card all ask this function.
 *
 * Without a choice of their own ('mine', the default) people get an email for each claim on an
 * invitation they created and, as team administrators, in their teams: so whoever shares a link
 * hears of every license it hands out, and an organization administrator is not flooded by the
 * links of others. 'each' and 'digest' widen that to every team the person manages; 'off' is off.
 */
export const DEFAULT_CLAIM_EMAILS = 'mine' satisfies ClaimEmailChoice;

/** How a person stands to one invitation: only administrators of its team or organization are asked. */
export type ClaimEmailRelation = { createdInvitation: boolean; teamAdmin: boolean };

export function claimEmailDelivery(choice: ClaimEmailChoice, relation: ClaimEmailRelation): ClaimEmailDelivery | null {
  switch (choice) {
    case 'off':
      return null;
    case 'each':
    case 'digest':
      return choice;
    case 'mine':
      return relation.createdInvitation || relation.teamAdmin ? 'each' : null;
  }
}

/** The stored row (absent while the person never chose) as the choice it stands for. */
export const claimEmailChoice = (stored: ClaimNotificationMode | null): ClaimEmailChoice => stored ?? DEFAULT_CLAIM_EMAILS;

export type ClaimEmailRecipient<T> = T & { delivery: ClaimEmailDelivery; reason: 'created' | 'team_admin' | 'chose' };

/** The administrators of an invitation's team who get claim emails, and why. */
export function claimEmailRecipients<T extends { userId: string; storedChoice: ClaimNotificationMode | null; teamAdmin: boolean }>(
  administrators: T[],
  invitation: { createdByUserId: string | null },
): Array<ClaimEmailRecipient<T>> {
  const recipients: Array<ClaimEmailRecipient<T>> = [];
  for (const administrator of administrators) {
    const choice = claimEmailChoice(administrator.storedChoice);
    const createdInvitation = administrator.userId === invitation.createdByUserId;
    const delivery = claimEmailDelivery(choice, { createdInvitation, teamAdmin: administrator.teamAdmin });
    if (!delivery) continue;
    const reason = choice !== 'mine' ? 'chose' : createdInvitation ? 'created' : 'team_admin';
    recipients.push({ ...administrator, delivery, reason });
  }
  return recipients;
}
