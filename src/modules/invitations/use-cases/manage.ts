import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { createInvitationBody } from '@allot/contract/invitations';
import { AppError } from '../../../errors.js';
import { hashToken } from '../../../lib/tokens.js';
import { canManageTeam, requireTeamManage, requireTeamRead, type Actor } from '../../access/actor.js';
import { invitationStatus, type InvitationRules, type InvitationStatus, type InvitationsDeps } from '../invitation-rules.js';
import { createNonce, deriveInvitationToken } from '../invitation-tokens.js';
import type { Invitation, InvitationChanges } from '../invitations.repository.js';

export type InvitationView = Invitation & { status: InvitationStatus; link: string | null; remaining: number; canManage: boolean };
type CreateInvitationInput = z.output<typeof createInvitationBody>;

/** Managing invitations: create, read, change, regenerate the link, delete; and what a link shows before sign-in. */
export function manageInvitationsUseCase(deps: InvitationsDeps, rules: InvitationRules) {
  async function view(actor: Actor, invitation: Invitation): Promise<InvitationView> {
    const access = requireTeamRead(actor, { id: invitation.teamId, organizationId: invitation.organizationId });
    const now = deps.clock.now();
    const canManage = canManageTeam(access, invitation.teamId);
    return {
      ...invitation,
      status: invitationStatus(invitation, now),
      // The link is a credential: viewers see the invitation, only its managers can share it.
      link: canManage ? rules.linkFor(invitation) : null,
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

    /** A page of who accepted, newest first; `nextCursor` continues with older ones. */
    async acceptedInvitations(actor: Actor, invitationId: string, page: { cursor?: string | undefined; limit: number }) {
      const invitation = await deps.repo.findById(deps.db, invitationId);
      if (!invitation) throw new AppError('NOT_FOUND');
      requireTeamRead(actor, { id: invitation.teamId, organizationId: invitation.organizationId });
      const items = await deps.repo.listClaims(deps.db, invitationId, { beforeId: page.cursor ? Number(page.cursor) : undefined, limit: page.limit + 1 });
      const more = items.length > page.limit;
      const shown = items.slice(0, page.limit);
      return { items: shown, nextCursor: more ? String(shown.at(-1)!.claimId) : null };
    },

    async create(actor: Actor, teamId: string, input: CreateInvitationInput): Promise<InvitationView> {
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
      // Everyone who accepted goes into the audit event: the record outlives the invitation.
      const claims = await deps.repo.listClaims(deps.db, invitationId, { limit: 100_000 });
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
  };
}
