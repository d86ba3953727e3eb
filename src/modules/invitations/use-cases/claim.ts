import type { SessionUser } from '../../../auth/sessions.repository.js';
import { isUniqueViolation, type Executor } from '../../../db/database.js';
import type { z } from 'zod';
import { claimRefusal } from '@allot/contract/invitations';
import { AppError } from '../../../errors.js';
import { hashToken } from '../../../lib/tokens.js';
import type { OutgoingMessage } from '../../../mail/mailer.js';
import { invitationTemplates } from '../../../mail/templates.js';
import type { Actor } from '../../access/actor.js';
import { isRefusal } from '../../licenses/take-license.js';
import { claimEmailRecipients } from '../claim-emails.js';
import { claimerTeamName, invitationName, invitationStatus, statusErrors, type InvitationRules, type InvitationsDeps } from '../invitation-rules.js';
import { looksLikeInvitationToken } from '../invitation-tokens.js';
import type { Invitation } from '../invitations.repository.js';

export type ClaimResult = {
  licenseId: string;
  productName: string;
  organizationName: string;
  teamName: string | null;
  validUntil: Date;
  alreadyClaimed: boolean;
};

/** A parallel request of the same person (on another instance) got there first. */
class ConcurrentClaim extends Error {}

/** The refusals a preview can foresee (the contract's list): the claim would answer the same. */
type ForeseeableRefusal = z.infer<typeof claimRefusal>;
const isForeseeable = (code: string): code is ForeseeableRefusal => (claimRefusal.options as readonly string[]).includes(code);

export type ClaimForecast = {
  email: string;
  outcome: 'claimable' | 'claimed' | 'refused';
  refusal: { code: ForeseeableRefusal; message: string } | null;
  licenseId: string | null;
};

const alreadyHeld = (invitation: Invitation) =>
  new AppError('LICENSE_ALREADY_HELD', {
    message: `You already have ${invitation.productName} from ${invitation.organizationName}. It is on your account page.`,
  });

/** Claiming through a link, and telling the admins when nothing is left. */
export function claimUseCase(deps: InvitationsDeps, rules: InvitationRules) {
  const { usableInvitation, assertClaimable } = rules;

  /** What a claim by this person would answer now, read without taking anything, so the page offers only what can work. */
  async function forecast(invitation: Invitation, user: SessionUser, now: Date): Promise<ClaimForecast> {
    const refused = (error: AppError): ClaimForecast => {
      if (!isForeseeable(error.code)) throw error;
      return { email: user.email, outcome: 'refused', refusal: { code: error.code, message: error.message }, licenseId: null };
    };
    try {
      assertClaimable(invitation, user);
    } catch (error) {
      if (error instanceof AppError) return refused(error);
      throw error;
    }
    const previous = await deps.repo.findClaim(deps.db, invitation.id, user.id);
    if (previous) {
      const license = await deps.licenses.findById(deps.db, previous.licenseId);
      if (license?.assignee?.userId === user.id) return { email: user.email, outcome: 'claimed', refusal: null, licenseId: license.id };
      const ended = await deps.licenses.lastEnded(deps.db, { licenseId: previous.licenseId, userId: user.id });
      const when = ended ? ` on ${ended.endedAt.toUTCString().slice(5, 16)}` : '';
      const what =
        ended?.reason === 'expired'
          ? `expired${when}`
          : ended?.reason === 'returned'
            ? `was given back${when}`
            : ended?.reason === 'reclaimed'
              ? `was released${when} because it was not used`
              : `was revoked by ${invitation.organizationName}${when}`;
      return refused(
        new AppError('INVITATION_ALREADY_USED', {
          message: `You claimed a license through this invitation before; it ${what}. Each person claims once per link: ask your administrator if you need it again.`,
        }),
      );
    }
    const situation = await deps.licenses.takeSituation(deps.db, {
      organizationId: invitation.organizationId,
      teamId: invitation.teamId,
      productId: invitation.productId,
      email: user.email.toLowerCase(),
      now,
    });
    if (situation.holds) return refused(alreadyHeld(invitation));
    if (situation.free <= 0) return refused(new AppError('NO_ASSETS_LEFT'));
    return { email: user.email, outcome: 'claimable', refusal: null, licenseId: null };
  }

  return {
    /** What the /invite page shows; signed in, also what claiming would do. Dead links answer their error. */
    async preview(token: string, user: SessionUser | null) {
      const invitation = await usableInvitation(token);
      const now = deps.clock.now();
      const status = invitationStatus(invitation, now);
      if (status !== 'active') throw new AppError(statusErrors[status]);
      return {
        name: invitation.name,
        productName: invitation.productName,
        productCode: invitation.productCode,
        organizationName: invitation.organizationName,
        teamName: claimerTeamName(invitation),
        allowedDomains: invitation.allowedDomains,
        expiresAt: invitation.expiresAt,
        forYou: user ? await forecast(invitation, user, now) : null,
      };
    },

    /**
     * Claims a license in one transaction: the claim row (unique per person), the guarded license
     * UPDATE, the audit event and every email land together or not at all. A repeat by someone who
     * still holds the license answers with that license. Claims arriving together share one
     * commit (group commit), each in a savepoint of its own; none is answered before it commits.
     */
    async claim(user: SessionUser, token: string, ip: string | null): Promise<ClaimResult> {
      if (!looksLikeInvitationToken(token)) throw new AppError('INVITATION_NOT_FOUND');
      const tokenHash = hashToken(token);
      const actor: Actor = { userId: user.id, label: user.email, isOperator: false, ip, orgRoles: new Map(), teamRoles: new Map() };
      const earlier = async (executor: Executor, invitation: Invitation, claim: { licenseId: string } | undefined): Promise<ClaimResult> => {
        const license = claim && (await deps.licenses.findById(executor, claim.licenseId));
        if (!license || license.assignee?.userId !== user.id) throw new AppError('INVITATION_ALREADY_USED');
        return {
          licenseId: license.id,
          productName: license.productName,
          organizationName: invitation.organizationName,
          teamName: claimerTeamName(invitation),
          validUntil: license.validUntil,
          alreadyClaimed: true,
        };
      };

      try {
        return await deps.batcher.run(async (trx, batch) => {
          const now = deps.clock.now();
          // Read inside the transaction: a link disabled, regenerated or limited a moment ago counts.
          // Claims of one batch share the read, except where a claim limit makes the count matter.
          const invitation = await batch.once(`invitation:${tokenHash}`, () => deps.repo.findByTokenHash(trx, tokenHash));
          if (!invitation) throw new AppError('INVITATION_NOT_FOUND');
          assertClaimable(invitation, user);
          // A repeat claim needs no read of its own on the common path: the person still holds
          // the license (the take refuses, and the refusal looks the claim up), or the claim row's
          // unique key turns the new one away (ConcurrentClaim). Only a limit, which a repeat
          // must not count against, makes it worth looking first.
          if (invitation.maxClaims !== null) {
            const previous = await deps.repo.findClaim(trx, invitation.id, user.id);
            if (previous) return earlier(trx, invitation, previous);
            if ((await deps.repo.lockAndCountClaims(trx, invitation.id)) >= invitation.maxClaims) throw new AppError('INVITATION_EXHAUSTED');
          }
          // Reads first, so the transaction is short once it holds a license row.
          const administrators = await batch.once(`administrators:${invitation.organizationId}:${invitation.teamId}`, () =>
            deps.repo.teamAdministrators(trx, { organizationId: invitation.organizationId, teamId: invitation.teamId }),
          );
          const recipients = claimEmailRecipients(administrators, invitation);
          const email = user.email.toLowerCase();
          const taken = await deps.take(
            trx,
            {
              organizationId: invitation.organizationId,
              teamId: invitation.teamId,
              productId: invitation.productId,
              email,
              userId: user.id,
              source: 'invitation',
              invitationId: invitation.id,
              assignedByUserId: null,
              now,
            },
            {
              batch,
              then: async (license, pool) => {
                const claimId = await deps.repo.insertClaim(trx, { invitationId: invitation.id, userId: user.id, licenseId: license.id, now });
                // Undo this one (its savepoint) and answer with the first.
                if (claimId === undefined) throw new ConcurrentClaim();
                // The batch writes every claim's audit event and emails in one statement each, at its commit.
                deps.audit.recordAtCommit(
                  batch,
                  actor,
                  {
                    action: 'invitation.claimed',
                    targetType: 'license',
                    targetId: license.id,
                    organizationId: invitation.organizationId,
                    teamId: invitation.teamId,
                    details: { invitationId: invitation.id, invitation: invitationName(invitation), email, product: invitation.productCode },
                  },
                  now,
                );
                const url = `${deps.baseUrl}/invitations/${invitation.id}`;
                const messages: OutgoingMessage[] = [
                  {
                    to: email,
                    dedupKey: `claim:${claimId}:claimer`,
                    content: invitationTemplates.claimConfirmation({
                      name: user.name,
                      productName: invitation.productName,
                      organizationName: invitation.organizationName,
                      teamName: claimerTeamName(invitation),
                      validUntil: license.validUntil,
                      url: `${deps.baseUrl}/account?claimed=${license.id}`,
                    }),
                  },
                ];
                for (const admin of recipients) {
                  if (admin.delivery === 'each') {
                    messages.push({
                      to: admin.email,
                      dedupKey: `claim-notification:${claimId}:${admin.userId}`,
                      content: invitationTemplates.claimNotification({
                        adminName: admin.name,
                        userName: user.name,
                        userEmail: email,
                        productName: invitation.productName,
                        invitationName: invitationName(invitation),
                        teamName: invitation.teamName,
                        remaining: pool.freeAfter,
                        url,
                      }),
                    });
                  } else {
                    const when = now.toISOString().slice(0, 16).replace('T', ' ');
                    await deps.repo.addDigestItem(trx, {
                      userId: admin.userId,
                      organizationId: invitation.organizationId,
                      claimId,
                      summary: `${user.name} (${email}) claimed ${invitation.productName} in ${invitation.teamName} through "${invitationName(invitation)}" on ${when} UTC`,
                      now,
                    });
                  }
                }
                deps.mailer.enqueueAtCommit(batch, messages);
                return license;
              },
            },
          );
          if (isRefusal(taken)) {
            // Someone who claimed through this link before hears about that claim: the license
            // they still hold, or that their claim was used.
            const committed = await deps.repo.findClaim(trx, invitation.id, user.id);
            if (committed) return earlier(trx, invitation, committed);
            throw taken.refused === 'NO_ASSETS_LEFT' ? new AppError('NO_ASSETS_LEFT') : alreadyHeld(invitation);
          }
          return {
            licenseId: taken.id,
            productName: invitation.productName,
            organizationName: invitation.organizationName,
            teamName: claimerTeamName(invitation),
            validUntil: taken.validUntil,
            alreadyClaimed: false,
          };
        });
      } catch (error) {
        if (!(error instanceof ConcurrentClaim || isUniqueViolation(error))) throw error;
        const invitation = await usableInvitation(token);
        return earlier(deps.db, invitation, await deps.repo.findClaim(deps.db, invitation.id, user.id));
      }
    },

    /** "Notify administrators" after No assets left: at most one email per person per invitation. */
    async notifyAdministrators(user: SessionUser, token: string): Promise<{ notified: boolean }> {
      const invitation = await usableInvitation(token);
      // Only someone who could claim, and found nothing left, may email the admins.
      assertClaimable(invitation, user);
      if ((await deps.licenses.countFree(deps.db, { teamId: invitation.teamId, productId: invitation.productId, now: deps.clock.now() })) > 0) {
        throw new AppError('VALIDATION_FAILED', { message: 'Licenses are available: claim one instead.' });
      }
      return deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        if (!(await deps.repo.joinWaitlist(trx, { invitationId: invitation.id, userId: user.id, now }))) return { notified: false };
        const url = `${deps.baseUrl}/invitations/${invitation.id}`;
        // Someone waiting is worth every admin's attention, whatever they chose for claim emails.
        const recipients = await deps.repo.teamAdministrators(trx, { organizationId: invitation.organizationId, teamId: invitation.teamId });
        for (const admin of recipients) {
          await deps.mailer.enqueue({
            executor: trx,
            to: admin.email,
            dedupKey: `waiting:${invitation.id}:${user.id}:${admin.userId}`,
            content: invitationTemplates.waitingForLicenses({
              adminName: admin.name,
              userName: user.name,
              userEmail: user.email,
              productName: invitation.productName,
              invitationName: invitationName(invitation),
              teamName: invitation.teamName,
              url,
            }),
          });
        }
        const actor: Actor = { userId: user.id, label: user.email, isOperator: false, ip: null, orgRoles: new Map(), teamRoles: new Map() };
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'invitation.waiting',
            targetType: 'invitation',
            targetId: invitation.id,
            organizationId: invitation.organizationId,
            teamId: invitation.teamId,
            details: { email: user.email, notifiedAdmins: recipients.length },
          },
          now,
        );
        return { notified: recipients.length > 0 };
      });
    },
  };
}
