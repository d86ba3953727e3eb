import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { hashToken } from '../../lib/tokens.js';
import { isUniqueViolation, type Db, type Executor } from '../../db/database.js';
import type { TransactionBatcher } from '../../db/transaction-batcher.js';
import type { ClaimNotificationMode } from '../../db/tables.js';
import { AppError } from '../../errors.js';
import type { SessionUser } from '../../auth/sessions.repository.js';
import type { Mailer, OutgoingMessage } from '../../mail/mailer.js';
import { invitationTemplates } from '../../mail/templates.js';
import { canManageTeam, requireOrgAccess, requireTeamManage, requireTeamRead, type Actor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { LicensesRepository } from '../licenses/licenses.repository.js';
import { claimFreeWithRetry } from '../licenses/licenses.service.js';
import type { productsRepository } from '../products/products.repository.js';
import type { teamsRepository } from '../teams/teams.repository.js';
import { emailDomainAllowed } from '@allot/contract/email-domains';
import { createNonce, deriveInvitationToken, looksLikeInvitationToken } from './invitation-tokens.js';
import type { Invitation, InvitationChanges, InvitationsRepository } from './invitations.repository.js';

export type InvitationStatus = 'active' | 'expired' | 'disabled' | 'exhausted';

export function invitationStatus(invitation: Pick<Invitation, 'enabled' | 'expiresAt' | 'maxClaims' | 'claims'>, now: Date): InvitationStatus {
  if (!invitation.enabled) return 'disabled';
  if (invitation.expiresAt && invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (invitation.maxClaims !== null && invitation.claims >= invitation.maxClaims) return 'exhausted';
  return 'active';
}

const statusErrors = { expired: 'INVITATION_EXPIRED', disabled: 'INVITATION_DISABLED', exhausted: 'INVITATION_EXHAUSTED' } as const;

type Deps = {
  db: Db;
  /** Claims commit in groups (db/transaction-batcher.ts). */
  batcher: TransactionBatcher;
  repo: InvitationsRepository;
  licenses: Pick<LicensesRepository, 'claimFree' | 'countClaimedAtCommit' | 'claimedInBatch' | 'countFree' | 'findById' | 'holdsLicense'>;
  teams: Pick<typeof teamsRepository, 'findById'>;
  products: Pick<typeof productsRepository, 'findById'>;
  audit: Pick<typeof auditRepository, 'record'>;
  mailer: Pick<Mailer, 'enqueue' | 'enqueueAll'>;
  clock: Clock;
  secret: string;
  baseUrl: string;
};

export type InvitationView = Invitation & { status: InvitationStatus; link: string | null; remaining: number; canManage: boolean };
export type ClaimResult = { licenseId: string; productName: string; organizationName: string; teamName: string; validUntil: Date; alreadyClaimed: boolean };

/** Bulk invitations: one link an admin shares; people claim licenses with it. */
export function invitationsService(deps: Deps) {
  const linkFor = (invitation: Pick<Invitation, 'id' | 'tokenNonce'>) =>
    `${deps.baseUrl}/invite/${deriveInvitationToken(deps.secret, invitation.id, invitation.tokenNonce)}`;

  async function view(actor: Actor, invitation: Invitation): Promise<InvitationView> {
    const access = requireTeamRead(actor, { id: invitation.teamId, organizationId: invitation.organizationId });
    const now = deps.clock.now();
    const canManage = canManageTeam(access, invitation.teamId);
    return {
      ...invitation,
      status: invitationStatus(invitation, now),
      // The link is a credential: viewers see the invitation, only its managers can share it.
      link: canManage ? linkFor(invitation) : null,
      remaining: await deps.licenses.countFree(deps.db, { teamId: invitation.teamId, productId: invitation.productId, now }),
      canManage,
    };
  }

  async function managedInvitation(actor: Actor, invitationId: string): Promise<Invitation> {
    const invitation = await deps.repo.findById(deps.db, invitationId);
    if (!invitation) throw new AppError('NOT_FOUND');
    requireTeamManage(actor, { id: invitation.teamId, organizationId: invitation.organizationId });
    return invitation;
  }

  /** Resolves a link's token to a usable invitation, or the error the person should see. */
  async function usableInvitation(token: string): Promise<Invitation> {
    if (!looksLikeInvitationToken(token)) throw new AppError('INVITATION_NOT_FOUND');
    const invitation = await deps.repo.findByTokenHash(deps.db, hashToken(token));
    if (!invitation) throw new AppError('INVITATION_NOT_FOUND');
    return invitation;
  }

  function assertClaimable(invitation: Invitation, user: SessionUser) {
    const status = invitationStatus(invitation, deps.clock.now());
    if (status !== 'active') throw new AppError(statusErrors[status]);
    if (!user.emailVerified) throw new AppError('EMAIL_NOT_VERIFIED', { details: { email: user.email } });
    if (!emailDomainAllowed(user.email, invitation.allowedDomains)) {
      throw new AppError('EMAIL_DOMAIN_NOT_ALLOWED', {
        message: `This invitation is for addresses at ${invitation.allowedDomains.join(', ')}. Sign in with an account at one of those domains, or change your email address on your account page and verify it.`,
        details: { allowedDomains: invitation.allowedDomains },
      });
    }
  }

  const invitationName = (invitation: Invitation) => invitation.name ?? `${invitation.productName} for ${invitation.teamName}`;

  return {
    async listForTeam(actor: Actor, teamId: string): Promise<InvitationView[]> {
      const team = await deps.teams.findById(deps.db, teamId);
      if (!team) throw new AppError('NOT_FOUND');
      requireTeamRead(actor, team);
      const invitations = await deps.repo.listForTeam(deps.db, teamId);
      return Promise.all(invitations.map((invitation) => view(actor, invitation)));
    },

    async get(actor: Actor, invitationId: string): Promise<InvitationView> {
      const invitation = await deps.repo.findById(deps.db, invitationId);
      if (!invitation) throw new AppError('NOT_FOUND');
      return view(actor, invitation);
    },

    async acceptedInvitations(actor: Actor, invitationId: string) {
      const invitation = await deps.repo.findById(deps.db, invitationId);
      if (!invitation) throw new AppError('NOT_FOUND');
      requireTeamRead(actor, { id: invitation.teamId, organizationId: invitation.organizationId });
      return deps.repo.listClaims(deps.db, invitationId);
    },

    async create(
      actor: Actor,
      teamId: string,
      input: {
        productId: string;
        name?: string | undefined;
        expiresAt?: Date | null | undefined;
        allowedDomains?: string[] | undefined;
        maxClaims?: number | null | undefined;
      },
    ): Promise<InvitationView> {
      const team = await deps.teams.findById(deps.db, teamId);
      if (!team) throw new AppError('NOT_FOUND');
      requireTeamManage(actor, team);
      const product = await deps.products.findById(deps.db, input.productId);
      if (!product) throw new AppError('NOT_FOUND', { message: 'No product with this id exists.' });
      const id = randomUUID();
      const nonce = createNonce();
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        await deps.repo.insert(trx, {
          id,
          organizationId: team.organizationId,
          teamId,
          productId: product.id,
          name: input.name ?? null,
          tokenNonce: nonce,
          tokenHash: hashToken(deriveInvitationToken(deps.secret, id, nonce)),
          expiresAt: input.expiresAt ?? null,
          allowedDomains: input.allowedDomains ?? [],
          maxClaims: input.maxClaims ?? null,
          createdByUserId: actor.userId,
          now,
        });
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'invitation.created',
            targetType: 'invitation',
            targetId: id,
            organizationId: team.organizationId,
            teamId,
            details: {
              name: input.name ?? null,
              product: product.code,
              expiresAt: input.expiresAt ?? null,
              allowedDomains: input.allowedDomains ?? [],
              maxClaims: input.maxClaims ?? null,
            },
          },
          now,
        );
      });
      return this.get(actor, id);
    },

    async update(actor: Actor, invitationId: string, changes: InvitationChanges): Promise<InvitationView> {
      const invitation = await managedInvitation(actor, invitationId);
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        await deps.repo.update(trx, invitationId, changes, now);
        const action = changes.enabled === false ? 'invitation.disabled' : changes.enabled === true ? 'invitation.enabled' : 'invitation.updated';
        await deps.audit.record(
          trx,
          actor,
          { action, targetType: 'invitation', targetId: invitationId, organizationId: invitation.organizationId, teamId: invitation.teamId, details: changes },
          now,
        );
      });
      return this.get(actor, invitationId);
    },

    /** A new link; the old one answers "not found" from this moment. */
    async regenerate(actor: Actor, invitationId: string): Promise<InvitationView> {
      const invitation = await managedInvitation(actor, invitationId);
      const nonce = createNonce();
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        await deps.repo.replaceToken(trx, invitationId, { nonce, tokenHash: hashToken(deriveInvitationToken(deps.secret, invitationId, nonce)), now });
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'invitation.regenerated',
            targetType: 'invitation',
            targetId: invitationId,
            organizationId: invitation.organizationId,
            teamId: invitation.teamId,
          },
          now,
        );
      });
      return this.get(actor, invitationId);
    },

    /** The invitation goes; who claimed through it stays in the audit log (and they keep their licenses). */
    async delete(actor: Actor, invitationId: string): Promise<void> {
      const invitation = await managedInvitation(actor, invitationId);
      const claims = await deps.repo.listClaims(deps.db, invitationId, 100_000);
      await deps.db.transaction().execute(async (trx) => {
        await deps.repo.delete(trx, invitationId);
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'invitation.deleted',
            targetType: 'invitation',
            targetId: invitationId,
            organizationId: invitation.organizationId,
            teamId: invitation.teamId,
            details: {
              name: invitation.name,
              product: invitation.productCode,
              accepted: claims.map((c) => ({ email: c.email, licenseId: c.licenseId, claimedAt: c.claimedAt.toISOString() })),
            },
          },
          deps.clock.now(),
        );
      });
    },

    /** What the /invite page shows before anyone signs in. Errors for dead links come here already. */
    async preview(token: string) {
      const invitation = await usableInvitation(token);
      const now = deps.clock.now();
      const status = invitationStatus(invitation, now);
      if (status !== 'active') throw new AppError(statusErrors[status]);
      return {
        name: invitation.name,
        productName: invitation.productName,
        productCode: invitation.productCode,
        organizationName: invitation.organizationName,
        teamName: invitation.teamName,
        allowedDomains: invitation.allowedDomains,
        expiresAt: invitation.expiresAt,
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
          teamName: license.teamName,
          validUntil: license.validUntil,
          alreadyClaimed: true,
        };
      };

      try {
        return await deps.batcher.run(async (trx, memo) => {
          const now = deps.clock.now();
          // Read inside the transaction: a link disabled, regenerated or limited a moment ago counts.
          // Claims of one batch share the read, except where a claim limit makes the count matter.
          const invitation = await memo.once(`invitation:${tokenHash}`, () => deps.repo.findByTokenHash(trx, tokenHash));
          if (!invitation) throw new AppError('INVITATION_NOT_FOUND');
          assertClaimable(invitation, user);
          const previous = await deps.repo.findClaim(trx, invitation.id, user.id);
          if (previous) return earlier(trx, invitation, previous);
          if (invitation.maxClaims !== null && (await deps.repo.lockAndCountClaims(trx, invitation.id)) >= invitation.maxClaims)
            throw new AppError('INVITATION_EXHAUSTED');
          const email = user.email.toLowerCase();
          if (await deps.licenses.holdsLicense(trx, { organizationId: invitation.organizationId, productId: invitation.productId, email })) {
            throw new AppError('LICENSE_ALREADY_HELD', {
              message: `You already have ${invitation.productName} from ${invitation.organizationName}. It is on your account page.`,
            });
          }
          // Reads first, so the transaction is short once it holds a license row.
          const recipients = await memo.once(`recipients:${invitation.organizationId}:${invitation.teamId}`, () =>
            deps.repo.claimRecipients(trx, { organizationId: invitation.organizationId, teamId: invitation.teamId }),
          );
          const pool = { teamId: invitation.teamId, productId: invitation.productId };
          const takenUncounted = deps.licenses.claimedInBatch(memo, pool);
          const freeBefore = (await deps.licenses.countFree(trx, { ...pool, now })) - takenUncounted;
          const license = await claimFreeWithRetry(
            deps.licenses,
            trx,
            { ...pool, email, userId: user.id, source: 'invitation', invitationId: invitation.id, assignedByUserId: null, now },
            { takenUncounted },
          );
          if (!license) throw new AppError('NO_ASSETS_LEFT');
          const claimId = await deps.repo.insertClaim(trx, { invitationId: invitation.id, userId: user.id, licenseId: license.id, now });
          // A parallel request of the same person (on another instance) got there first: undo this one, answer with theirs.
          if (claimId === undefined) throw new ConcurrentClaim();
          await deps.audit.record(
            trx,
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
          const remaining = Math.max(0, freeBefore - 1);
          const messages: OutgoingMessage[] = [
            {
              to: email,
              dedupKey: `claim:${claimId}:claimer`,
              content: invitationTemplates.claimConfirmation({
                name: user.name,
                productName: invitation.productName,
                organizationName: invitation.organizationName,
                teamName: invitation.teamName,
                validUntil: license.validUntil,
                url: `${deps.baseUrl}/account`,
              }),
            },
          ];
          for (const admin of recipients) {
            if (admin.mode === 'each') {
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
                  remaining,
                  url,
                }),
              });
            } else {
              await deps.repo.addDigestItem(trx, {
                userId: admin.userId,
                organizationId: invitation.organizationId,
                claimId,
                summary: `${user.name} (${email}) claimed ${invitation.productName} in ${invitation.teamName} through "${invitationName(invitation)}" on ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
                now,
              });
            }
          }
          await deps.mailer.enqueueAll({ executor: trx, messages });
          deps.licenses.countClaimedAtCommit(memo, license);
          return {
            licenseId: license.id,
            productName: invitation.productName,
            organizationName: invitation.organizationName,
            teamName: invitation.teamName,
            validUntil: license.validUntil,
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

class ConcurrentClaim extends Error {}

export type InvitationsService = ReturnType<typeof invitationsService>;
