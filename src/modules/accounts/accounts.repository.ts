import { sql } from 'kysely';
import { fromDbBool, fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Dialect, Executor } from '../../db/database.js';

const ACTIVITY_LIMIT = 10_000;

/** What a person's own data download holds, and what deleting their account changes. */
export function accountsRepository(dialect: Dialect) {
  return {
    async exportOf(executor: Executor, userId: string) {
      const [user, orgRoles, teamRoles, holds, machines, appPasswords, sessions, activity] = await Promise.all([
        executor
          .selectFrom('users')
          .select(['id', 'name', 'email', 'email_verified', 'two_factor_enabled', 'created_at'])
          .where('id', '=', userId)
          .executeTakeFirstOrThrow(),
        executor
          .selectFrom('organization_roles')
          .innerJoin('organizations', 'organizations.id', 'organization_roles.organization_id')
          .select(['organizations.name as organization', 'organization_roles.role'])
          .where('organization_roles.user_id', '=', userId)
          .execute(),
        executor
          .selectFrom('team_roles')
          .innerJoin('teams', 'teams.id', 'team_roles.team_id')
          .innerJoin('organizations', 'organizations.id', 'teams.organization_id')
          .select(['organizations.name as organization', 'teams.name as team', 'team_roles.role'])
          .where('team_roles.user_id', '=', userId)
          .execute(),
        executor
          .selectFrom('license_assignments as hold')
          .innerJoin('licenses', 'licenses.id', 'hold.license_id')
          .innerJoin('products', 'products.id', 'licenses.product_id')
          .innerJoin('organizations', 'organizations.id', 'licenses.organization_id')
          .select([
            'hold.license_id',
            'products.name as product',
            'organizations.name as organization',
            'hold.source',
            'hold.assigned_at',
            'hold.ended_at',
            'hold.end_reason',
          ])
          .where('hold.user_id', '=', userId)
          .orderBy('hold.assigned_at')
          .execute(),
        executor
          .selectFrom('machine_activations')
          .select(['license_id', 'machine_name', 'kind', 'first_seen_at', 'last_seen_at', 'deactivated_at'])
          .where('user_id', '=', userId)
          .orderBy('first_seen_at')
          .execute(),
        executor.selectFrom('app_passwords').select(['name', 'created_at', 'last_used_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
        executor
          .selectFrom('sessions')
          .select(['created_at', 'expires_at', 'ip_address', 'user_agent'])
          .where('user_id', '=', userId)
          .orderBy('created_at')
          .execute(),
        executor
          .selectFrom('audit_events')
          .select(['created_at', 'action', 'organization_id', 'target_type', 'target_id'])
          .where('actor_user_id', '=', userId)
          .orderBy('id', 'desc')
          .limit(ACTIVITY_LIMIT)
          .execute(),
      ]);
      return {
        user: {
          id: user.id,
          name: user.name,
          email: user.email,
          emailVerified: fromDbBool(user.email_verified),
          twoFactorEnabled: fromDbBool(user.two_factor_enabled),
          createdAt: fromDbTime(user.created_at),
        },
        roles: [
          ...orgRoles.map((row) => ({ organization: row.organization, team: null, role: row.role })),
          ...teamRoles.map((row) => ({ organization: row.organization, team: row.team, role: row.role })),
        ],
        licenses: holds.map((row) => ({
          licenseId: row.license_id,
          product: row.product,
          organization: row.organization,
          source: row.source,
          assignedAt: fromDbTime(row.assigned_at),
          endedAt: fromDbTimeOrNull(row.ended_at),
          endReason: row.end_reason,
        })),
        machines: machines.map((row) => ({
          licenseId: row.license_id,
          machineName: row.machine_name,
          kind: row.kind,
          firstSeenAt: fromDbTime(row.first_seen_at),
          lastSeenAt: fromDbTime(row.last_seen_at),
          deactivatedAt: fromDbTimeOrNull(row.deactivated_at),
        })),
        appPasswords: appPasswords.map((row) => ({ name: row.name, createdAt: fromDbTime(row.created_at), lastUsedAt: fromDbTimeOrNull(row.last_used_at) })),
        sessions: sessions.map((row) => ({
          createdAt: fromDbTime(row.created_at),
          expiresAt: fromDbTime(row.expires_at),
          ipAddress: row.ip_address,
          userAgent: row.user_agent,
        })),
        activity: activity.map((row) => ({
          at: fromDbTime(row.created_at),
          action: row.action,
          organizationId: row.organization_id,
          targetType: row.target_type,
          targetId: row.target_id,
        })),
      };
    },

    /** The licenses the person holds, with the organizations and teams whose audit logs will tell of the release. */
    async heldLicenses(executor: Executor, { userId, email }: { userId: string; email: string }) {
      return executor
        .selectFrom('licenses')
        .innerJoin('products', 'products.id', 'licenses.product_id')
        .select(['licenses.id', 'licenses.organization_id as organizationId', 'licenses.team_id as teamId', 'products.name as productName'])
        .where((eb) => eb.or([eb('licenses.assignee_user_id', '=', userId), eb('licenses.assignee_email', '=', email)]))
        .execute();
    },

    /** Machines stop at their next refresh: the refresh tokens go and the activation says why. */
    async deactivateMachines(executor: Executor, { userId, now }: { userId: string; now: Date }): Promise<number> {
      const result = await executor
        .updateTable('machine_activations')
        .set({
          deactivated_at: toDbTime(now),
          deactivation_reason: 'account_deleted',
          refresh_token_hash: null,
          previous_refresh_token_hash: null,
          older_refresh_token_hash: null,
        })
        .where('user_id', '=', userId)
        .where('deactivated_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * What stays names a pseudonym instead of the person: the audit log (actor and the address in
     * details), hold history and the mail log. Waiting grants and role invitations to the address go.
     */
    async pseudonymize(executor: Executor, { userId, email, label, pseudonymEmail }: { userId: string; email: string; label: string; pseudonymEmail: string }) {
      await executor.updateTable('audit_events').set({ actor_label: label }).where('actor_user_id', '=', userId).execute();
      await executor.updateTable('audit_events').set({ actor_label: label }).where('actor_label', '=', email).execute();
      const like = `%${email.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      if (dialect === 'postgres') {
        await sql`update audit_events set details = replace(details::text, ${email}, ${pseudonymEmail})::jsonb where details::text like ${like} escape '\\'`.execute(
          executor,
        );
      } else {
        await sql`update audit_events set details = replace(details, ${email}, ${pseudonymEmail}) where details like ${like} escape '\\'`.execute(executor);
      }
      await executor
        .updateTable('license_assignments')
        .set({ email: pseudonymEmail })
        .where((eb) => eb.or([eb('user_id', '=', userId), eb('email', '=', email)]))
        .execute();
      await executor.updateTable('outbox').set({ to_address: pseudonymEmail }).where('to_address', '=', email).where('status', '!=', 'pending').execute();
      await executor.deleteFrom('pending_grants').where('email', '=', email).execute();
      await executor.deleteFrom('role_invitations').where('email', '=', email).where('accepted_at', 'is', null).execute();
    },

    /** The user row goes; sessions, credentials, 2FA secrets, app passwords, roles and claims go with it (foreign keys). */
    async deleteUser(executor: Executor, userId: string): Promise<void> {
      await executor.deleteFrom('users').where('id', '=', userId).execute();
    },
  };
}

export type AccountsRepository = ReturnType<typeof accountsRepository>;
