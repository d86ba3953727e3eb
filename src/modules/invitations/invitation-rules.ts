import type { SessionUser } from '../../auth/sessions.repository.js';
import { twoFactorPolicyBinds } from '../access/two-factor-policy.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { hashToken } from '../../lib/tokens.js';
import type { Db } from '../../db/database.js';
import type { TransactionBatcher } from '../../db/transaction-batcher.js';
import type { Mailer } from '../../mail/mailer.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { LicensesRepository } from '../licenses/licenses.repository.js';
import type { TakeLicense } from '../licenses/take-license.js';
import type { productsRepository } from '../products/products.repository.js';
import type { teamsRepository } from '../teams/teams.repository.js';
import { emailDomainAllowed } from '@allot/contract/email-domains';
import { deriveInvitationToken, looksLikeInvitationToken } from './invitation-tokens.js';
import type { Invitation, InvitationsRepository } from './invitations.repository.js';

export type InvitationStatus = 'active' | 'expired' | 'disabled' | 'exhausted';

export function invitationStatus(invitation: Pick<Invitation, 'enabled' | 'expiresAt' | 'maxClaims' | 'claims'>, now: Date): InvitationStatus {
  if (!invitation.enabled) return 'disabled';
  if (invitation.expiresAt && invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (invitation.maxClaims !== null && invitation.claims >= invitation.maxClaims) return 'exhausted';
  return 'active';
}

export const statusErrors = { expired: 'INVITATION_EXPIRED', disabled: 'INVITATION_DISABLED', exhausted: 'INVITATION_EXHAUSTED' } as const;

export type InvitationsDeps = {
  db: Db;
  /** Claims commit in groups (db/transaction-batcher.ts). */
  batcher: TransactionBatcher;
  repo: InvitationsRepository;
  licenses: Pick<LicensesRepository, 'countFree' | 'findById' | 'takeSituation' | 'lastEnded'>;
  /** The licenses module's one way to take a free license. */
  take: TakeLicense;
  teams: Pick<typeof teamsRepository, 'findById'>;
  products: Pick<typeof productsRepository, 'findById'>;
  audit: Pick<typeof auditRepository, 'record' | 'recordAtCommit'>;
  mailer: Pick<Mailer, 'enqueue' | 'enqueueAtCommit'>;
  clock: Clock;
  secret: string;
  baseUrl: string;
};

export const invitationName = (invitation: Invitation) => invitation.name ?? `${invitation.productName} for ${invitation.teamName}`;

/** The team as claimers see it: a name that is only an order's reference is internal, so it is left out. */
export const claimerTeamName = (invitation: Pick<Invitation, 'teamName' | 'teamNamedAfterOrder'>): string | null =>
  invitation.teamNamedAfterOrder ? null : invitation.teamName;

/** The rules every invitation use case shares: the link, what makes it usable, who may claim through it. */
export function invitationRules(deps: InvitationsDeps) {
  return {
    linkFor: (invitation: Pick<Invitation, 'id' | 'tokenNonce'>) =>
      `${deps.baseUrl}/invite/${deriveInvitationToken(deps.secret, invitation.id, invitation.tokenNonce)}`,

    /** Resolves a link's token to a usable invitation, or the error the person should see. */
    async usableInvitation(token: string): Promise<Invitation> {
      if (!looksLikeInvitationToken(token)) throw new AppError('INVITATION_NOT_FOUND');
      const invitation = await deps.repo.findByTokenHash(deps.db, hashToken(token));
      if (!invitation) throw new AppError('INVITATION_NOT_FOUND');
      return invitation;
    },

    assertClaimable(invitation: Invitation, user: SessionUser): void {
      const status = invitationStatus(invitation, deps.clock.now());
      if (status !== 'active') throw new AppError(statusErrors[status]);
      if (!user.emailVerified) throw new AppError('EMAIL_NOT_VERIFIED', { details: { email: user.email } });
      if (invitation.requireTwoFactor === 'everyone' && !user.twoFactorEnabled && twoFactorPolicyBinds(invitation.twoFactorGraceUntil, deps.clock.now())) {
        throw new AppError('TWO_FACTOR_ENROLMENT_REQUIRED', {
          message: `${invitation.organizationName} asks everyone who holds its licenses to use two-factor authentication. Turn it on under Account → Security, then claim.`,
        });
      }
      if (!emailDomainAllowed(user.email, invitation.allowedDomains)) {
        throw new AppError('EMAIL_DOMAIN_NOT_ALLOWED', {
          message: `This invitation is for addresses at ${invitation.allowedDomains.join(', ')}. Sign in with an account at one of those domains, or change your email address on your account page and verify it.`,
          details: { allowedDomains: invitation.allowedDomains },
        });
      }
    },
  };
}

export type InvitationRules = ReturnType<typeof invitationRules>;
