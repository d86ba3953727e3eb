import { fromDbBool, fromDbCount, fromDbTime, fromDbTimeOrNull, toDbBool, toDbTime } from '../../db/column-types.js';
import type { Dialect, Executor } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import { teamNamedAfterOrder } from '../teams/teams.repository.js';
import type { ClaimNotificationMode, TwoFactorPolicy } from '../../db/tables.js';

export type Invitation = {
  id: string;
  organizationId: string;
  organizationName: string;
  teamId: string;
  teamName: string;
  /** The team still carries the reference of one of its orders as its name (a team an order created). */
  teamNamedAfterOrder: boolean;
  productId: string;
  productCode: string;
  productName: string;
  name: string | null;
  tokenNonce: string;
  enabled: boolean;
  expiresAt: Date | null;
  allowedDomains: string[];
  maxClaims: number | null;
  claims: number;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The organization's policy: 'everyone' asks claimers for 2FA once `twoFactorGraceUntil` has passed. */
  requireTwoFactor: TwoFactorPolicy;
  twoFactorGraceUntil: Date | null;
};

export type TeamAdministrator = {
  userId: string;
  email: string;
  name: string;
  /** Null while the person never chose: see claim-emails.ts for what that means. */
  storedChoice: ClaimNotificationMode | null;
  teamAdmin: boolean;
  organizationAdmin: boolean;
};

export type AcceptedInvitation = { claimId: number; userId: string; userName: string; email: string; claimedAt: Date; licenseId: string; stillHeld: boolean };

/**
 * Invitations with their organization, team and product names and their number of claims.
 * `countClaims: 'when-limited'` counts only for invitations with a claim limit (the claim path:
 * counting every claim of a busy link at every claim grew with the link's success).
 */
function selectInvitations(executor: Executor, { countClaims = 'always' }: { countClaims?: 'always' | 'when-limited' } = {}) {
  return executor
    .selectFrom('invitations')
    .innerJoin('organizations', 'organizations.id', 'invitations.organization_id')
    .innerJoin('teams', 'teams.id', 'invitations.team_id')
    .innerJoin('products', 'products.id', 'invitations.product_id')
    .select((eb) => [
      'invitations.id',
      'invitations.organization_id',
      'organizations.name as organization_name',
      'organizations.require_two_factor',
      'organizations.two_factor_grace_until',
      'invitations.team_id',
      'teams.name as team_name',
      'invitations.product_id',
      'products.code as product_code',
      'products.name as product_name',
      'invitations.name',
      'invitations.token_nonce',
      'invitations.enabled',
      'invitations.expires_at',
      'invitations.allowed_domains',
      'invitations.max_claims',
      'invitations.created_by_user_id',
      'invitations.created_at',
      teamNamedAfterOrder.as('team_named_after_order'),
      'invitations.updated_at',
      countClaims === 'always'
        ? eb
            .selectFrom('invitation_claims')
            .select((inner) => inner.fn.countAll().as('n'))
            .whereRef('invitation_claims.invitation_id', '=', 'invitations.id')
            .as('claims')
        : eb
            .case()
            .when('invitations.max_claims', 'is', null)
            .then(0)
            .else(
              eb
                .selectFrom('invitation_claims')
                .select((inner) => inner.fn.countAll().as('n'))
                .whereRef('invitation_claims.invitation_id', '=', 'invitations.id'),
            )
            .end()
            .as('claims'),
    ]);
}

type InvitationRow = Awaited<ReturnType<ReturnType<typeof selectInvitations>['executeTakeFirstOrThrow']>>;
const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  organizationId: row.organization_id,
  organizationName: row.organization_name,
  teamId: row.team_id,
  teamName: row.team_name,
  teamNamedAfterOrder: fromDbBool(row.team_named_after_order),
  productId: row.product_id,
  productCode: row.product_code,
  productName: row.product_name,
  name: row.name,
  tokenNonce: row.token_nonce,
  enabled: fromDbBool(row.enabled),
  expiresAt: fromDbTimeOrNull(row.expires_at),
  allowedDomains: row.allowed_domains ? (JSON.parse(row.allowed_domains) as string[]) : [],
  maxClaims: row.max_claims,
  claims: fromDbCount(row.claims as string | number | null),
  createdByUserId: row.created_by_user_id,
  createdAt: fromDbTime(row.created_at),
  updatedAt: fromDbTime(row.updated_at),
  requireTwoFactor: row.require_two_factor,
  twoFactorGraceUntil: fromDbTimeOrNull(row.two_factor_grace_until),
});

export type InvitationChanges = { name?: string | null; enabled?: boolean; expiresAt?: Date | null; allowedDomains?: string[]; maxClaims?: number | null };

/** Built and compiled once: every claim runs it (db/precompiled.ts). */
const insertClaimQuery = precompiled((db, claim: { invitationId: string; userId: string; licenseId: string; now: string }) =>
  db
    .insertInto('invitation_claims')
    .values({ invitation_id: claim.invitationId, user_id: claim.userId, license_id: claim.licenseId, claimed_at: claim.now })
    .onConflict((conflict) => conflict.columns(['invitation_id', 'user_id']).doNothing())
    .returning('id'),
);

export type InvitationsRepository = ReturnType<typeof invitationsRepository>;

export function invitationsRepository(dialect: Dialect) {
  return {
    async insert(
      executor: Executor,
      invitation: {
        id: string;
        organizationId: string;
        teamId: string;
        productId: string;
        name: string | null;
        tokenNonce: string;
        tokenHash: string;
        expiresAt: Date | null;
        allowedDomains: string[];
        maxClaims: number | null;
        createdByUserId: string | null;
        now: Date;
      },
    ): Promise<void> {
      await executor
        .insertInto('invitations')
        .values({
          id: invitation.id,
          organization_id: invitation.organizationId,
          team_id: invitation.teamId,
          product_id: invitation.productId,
          name: invitation.name,
          token_nonce: invitation.tokenNonce,
          token_hash: invitation.tokenHash,
          expires_at: invitation.expiresAt ? toDbTime(invitation.expiresAt) : null,
          allowed_domains: invitation.allowedDomains.length ? JSON.stringify(invitation.allowedDomains) : null,
          max_claims: invitation.maxClaims,
          created_by_user_id: invitation.createdByUserId,
          created_at: toDbTime(invitation.now),
          updated_at: toDbTime(invitation.now),
        })
        .execute();
    },

    async findById(executor: Executor, id: string): Promise<Invitation | undefined> {
      const row = await selectInvitations(executor).where('invitations.id', '=', id).executeTakeFirst();
      return row && toInvitation(row);
    },

    /** The invitation a link opens; `claims` is 0 for an invitation without a claim limit (see selectInvitations). */
    async findByTokenHash(executor: Executor, tokenHash: string): Promise<Invitation | undefined> {
      const row = await selectInvitations(executor, { countClaims: 'when-limited' }).where('invitations.token_hash', '=', tokenHash).executeTakeFirst();
      return row && toInvitation(row);
    },

    async listForTeam(executor: Executor, teamId: string): Promise<Invitation[]> {
      const rows = await selectInvitations(executor).where('invitations.team_id', '=', teamId).orderBy('invitations.created_at', 'desc').execute();
      return rows.map(toInvitation);
    },

    async update(executor: Executor, id: string, changes: InvitationChanges, now: Date): Promise<void> {
      await executor
        .updateTable('invitations')
        .set({
          updated_at: toDbTime(now),
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.enabled !== undefined ? { enabled: toDbBool(changes.enabled) } : {}),
          ...(changes.expiresAt !== undefined ? { expires_at: changes.expiresAt ? toDbTime(changes.expiresAt) : null } : {}),
          ...(changes.allowedDomains !== undefined ? { allowed_domains: changes.allowedDomains.length ? JSON.stringify(changes.allowedDomains) : null } : {}),
          ...(changes.maxClaims !== undefined ? { max_claims: changes.maxClaims } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async replaceToken(executor: Executor, id: string, { nonce, tokenHash, now }: { nonce: string; tokenHash: string; now: Date }): Promise<void> {
      await executor
        .updateTable('invitations')
        .set({ token_nonce: nonce, token_hash: tokenHash, updated_at: toDbTime(now) })
        .where('id', '=', id)
        .execute();
    },

    async delete(executor: Executor, id: string): Promise<void> {
      await executor.deleteFrom('invitations').where('id', '=', id).execute();
    },

    /**
     * With a claim limit, claims on one invitation take turns: the row lock (PostgreSQL; SQLite has
     * one writer anyway) makes "count, then claim" safe. Without a limit nothing waits.
     */
    async lockAndCountClaims(executor: Executor, invitationId: string): Promise<number> {
      await executor
        .selectFrom('invitations')
        .select('id')
        .where('id', '=', invitationId)
        .$if(dialect === 'postgres', (q) => q.forUpdate())
        .execute();
      const row = await executor
        .selectFrom('invitation_claims')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('invitation_id', '=', invitationId)
        .executeTakeFirstOrThrow();
      return fromDbCount(row.n as string | number);
    },

    async findClaim(executor: Executor, invitationId: string, userId: string): Promise<{ id: number; licenseId: string } | undefined> {
      const row = await executor
        .selectFrom('invitation_claims')
        .select(['id', 'license_id'])
        .where('invitation_id', '=', invitationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && { id: Number(row.id), licenseId: row.license_id };
    },

    /** Records the claim; undefined when this person has one already (the unique constraint decides). */
    async insertClaim(executor: Executor, claim: { invitationId: string; userId: string; licenseId: string; now: Date }): Promise<number | undefined> {
      const [row] = await insertClaimQuery(executor, { ...claim, now: toDbTime(claim.now) });
      return row ? Number(row.id) : undefined;
    },

    /** "Accepted invitations", newest first; keyset pages by claim id (`beforeId`). */
    async listClaims(
      executor: Executor,
      invitationId: string,
      { beforeId, limit }: { beforeId?: number | undefined; limit: number },
    ): Promise<AcceptedInvitation[]> {
      const rows = await executor
        .selectFrom('invitation_claims')
        .innerJoin('users', 'users.id', 'invitation_claims.user_id')
        .innerJoin('licenses', 'licenses.id', 'invitation_claims.license_id')
        .select([
          'invitation_claims.id',
          'users.id as user_id',
          'users.name',
          'users.email',
          'invitation_claims.claimed_at',
          'invitation_claims.license_id',
          'licenses.assignee_user_id',
        ])
        .where('invitation_claims.invitation_id', '=', invitationId)
        .$if(beforeId !== undefined, (query) => query.where('invitation_claims.id', '<', beforeId!))
        .orderBy('invitation_claims.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        claimId: Number(row.id),
        userId: row.user_id,
        userName: row.name,
        email: row.email,
        claimedAt: fromDbTime(row.claimed_at),
        licenseId: row.license_id,
        stillHeld: row.assignee_user_id === row.user_id,
      }));
    },

    /** Adds the person to the waiting list; false when they were on it already (notify once). */
    async joinWaitlist(executor: Executor, { invitationId, userId, now }: { invitationId: string; userId: string; now: Date }): Promise<boolean> {
      const result = await executor
        .insertInto('invitation_waitlist')
        .values({ invitation_id: invitationId, user_id: userId, created_at: toDbTime(now) })
        .onConflict((conflict) => conflict.columns(['invitation_id', 'user_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    /** The team's admins and the organization's admins, with their claim-email choice (default: team admins each claim, org admins off). */
    /** The administrators of a team: its team admins and its organization's admins, with their stored claim-email choice. */
    async teamAdministrators(executor: Executor, { organizationId, teamId }: { organizationId: string; teamId: string }): Promise<TeamAdministrator[]> {
      // Start from the role tables (a handful of rows), never from all users.
      const [teamAdmins, orgAdmins] = await Promise.all([
        executor.selectFrom('team_roles').select('user_id').where('team_id', '=', teamId).where('role', '=', 'team_admin').execute(),
        executor.selectFrom('organization_roles').select('user_id').where('organization_id', '=', organizationId).where('role', '=', 'org_admin').execute(),
      ]);
      const teamAdminIds = new Set(teamAdmins.map((row) => row.user_id));
      const orgAdminIds = new Set(orgAdmins.map((row) => row.user_id));
      const ids = [...new Set([...teamAdminIds, ...orgAdminIds])];
      if (ids.length === 0) return [];
      const rows = await executor
        .selectFrom('users')
        .leftJoin('notification_preferences as pref', (join) => join.onRef('pref.user_id', '=', 'users.id').on('pref.organization_id', '=', organizationId))
        .select(['users.id', 'users.email', 'users.name', 'pref.claim_notifications'])
        .where('users.id', 'in', ids)
        .orderBy('users.email')
        .execute();
      return rows.map((row) => ({
        userId: row.id,
        email: row.email,
        name: row.name,
        storedChoice: row.claim_notifications,
        teamAdmin: teamAdminIds.has(row.id),
        organizationAdmin: orgAdminIds.has(row.id),
      }));
    },

    /** Names of the teams of an organization where this person is a team administrator. */
    async teamsAdministeredBy(executor: Executor, { userId, organizationId }: { userId: string; organizationId: string }): Promise<string[]> {
      const rows = await executor
        .selectFrom('team_roles')
        .innerJoin('teams', 'teams.id', 'team_roles.team_id')
        .select('teams.name')
        .where('team_roles.user_id', '=', userId)
        .where('team_roles.role', '=', 'team_admin')
        .where('teams.organization_id', '=', organizationId)
        .orderBy('teams.name')
        .execute();
      return rows.map((row) => row.name);
    },

    async countCreatedBy(executor: Executor, { userId, organizationId }: { userId: string; organizationId: string }): Promise<number> {
      const row = await executor
        .selectFrom('invitations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('created_by_user_id', '=', userId)
        .where('organization_id', '=', organizationId)
        .executeTakeFirstOrThrow();
      return fromDbCount(row.n as string | number);
    },

    async getPreference(executor: Executor, userId: string, organizationId: string): Promise<ClaimNotificationMode | undefined> {
      const row = await executor
        .selectFrom('notification_preferences')
        .select('claim_notifications')
        .where('user_id', '=', userId)
        .where('organization_id', '=', organizationId)
        .executeTakeFirst();
      return row?.claim_notifications;
    },

    async setPreference(
      executor: Executor,
      { userId, organizationId, mode }: { userId: string; organizationId: string; mode: ClaimNotificationMode },
    ): Promise<void> {
      await executor
        .insertInto('notification_preferences')
        .values({ user_id: userId, organization_id: organizationId, claim_notifications: mode })
        .onConflict((conflict) => conflict.columns(['user_id', 'organization_id']).doUpdateSet({ claim_notifications: mode }))
        .execute();
    },

    /** Back to the default: no row means 'mine' (see claim-emails.ts). */
    async clearPreference(executor: Executor, { userId, organizationId }: { userId: string; organizationId: string }): Promise<void> {
      await executor.deleteFrom('notification_preferences').where('user_id', '=', userId).where('organization_id', '=', organizationId).execute();
    },

    async addDigestItem(executor: Executor, item: { userId: string; organizationId: string; claimId: number; summary: string; now: Date }): Promise<void> {
      await executor
        .insertInto('claim_digest_items')
        .values({ user_id: item.userId, organization_id: item.organizationId, claim_id: item.claimId, summary: item.summary, created_at: toDbTime(item.now) })
        .execute();
    },

    /** Admins whose oldest unsent digest item is older than `dueBefore`. */
    async dueDigests(executor: Executor, dueBefore: Date): Promise<Array<{ userId: string; organizationId: string }>> {
      return executor
        .selectFrom('claim_digest_items')
        .select(['user_id as userId', 'organization_id as organizationId'])
        .where('sent_at', 'is', null)
        .groupBy(['user_id', 'organization_id'])
        .having((eb) => eb.fn.min('created_at'), '<=', toDbTime(dueBefore))
        .execute();
    },

    async findDigestRecipient(executor: Executor, { userId, organizationId }: { userId: string; organizationId: string }) {
      const row = await executor
        .selectFrom(['users', 'organizations'])
        .select(['users.email', 'users.name', 'organizations.name as organization_name'])
        .where('users.id', '=', userId)
        .where('organizations.id', '=', organizationId)
        .executeTakeFirst();
      return row && { email: row.email, name: row.name, organizationName: row.organization_name };
    },

    /** Marks the pending items of one admin sent and returns them; done in the transaction that enqueues the digest. */
    async takeDigestItems(
      executor: Executor,
      { userId, organizationId, now }: { userId: string; organizationId: string; now: Date },
    ): Promise<Array<{ id: number; summary: string }>> {
      const rows = await executor
        .updateTable('claim_digest_items')
        .set({ sent_at: toDbTime(now) })
        .where('user_id', '=', userId)
        .where('organization_id', '=', organizationId)
        .where('sent_at', 'is', null)
        .returning(['id', 'summary'])
        .execute();
      return rows.map((row) => ({ id: Number(row.id), summary: row.summary })).sort((a, b) => a.id - b.id);
    },
  };
}
