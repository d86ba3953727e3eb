import type { Executor } from '../../db/database.js';
import { fromDbTimeOrNull } from '../../db/column-types.js';
import type { OrganizationRole, TeamRole, TwoFactorPolicy } from '../../db/tables.js';

export const accessRepository = {
  /**
   * Every role of a user, in two indexed queries; loaded per request so a removed role applies at
   * once. Each role's organization brings its 2FA policy along, so the policy costs no query of its own.
   */
  async loadRoles(executor: Executor, userId: string) {
    const [orgRoles, teamRoles, operator] = await Promise.all([
      executor
        .selectFrom('organization_roles')
        .innerJoin('organizations', 'organizations.id', 'organization_roles.organization_id')
        .select(['organization_roles.organization_id', 'organization_roles.role', 'organizations.require_two_factor', 'organizations.two_factor_grace_until'])
        .where('organization_roles.user_id', '=', userId)
        .execute(),
      executor
        .selectFrom('team_roles')
        .innerJoin('teams', 'teams.id', 'team_roles.team_id')
        .innerJoin('organizations', 'organizations.id', 'teams.organization_id')
        .select(['team_roles.team_id', 'teams.organization_id', 'team_roles.role', 'organizations.require_two_factor', 'organizations.two_factor_grace_until'])
        .where('team_roles.user_id', '=', userId)
        .execute(),
      executor.selectFrom('operators').select('user_id').where('user_id', '=', userId).executeTakeFirst(),
    ]);
    const orgs = new Map<string, Set<OrganizationRole>>();
    for (const row of orgRoles) orgs.set(row.organization_id, (orgs.get(row.organization_id) ?? new Set()).add(row.role));
    const teams = new Map<string, { organizationId: string; roles: Set<TeamRole> }>();
    for (const row of teamRoles) {
      const team = teams.get(row.team_id) ?? { organizationId: row.organization_id, roles: new Set<TeamRole>() };
      team.roles.add(row.role);
      teams.set(row.team_id, team);
    }
    /** The organizations this person works in that require 2FA of people with a role ('admins' and 'everyone' both do). */
    const twoFactorGraceUntil = new Map<string, Date | null>();
    for (const row of [...orgRoles, ...teamRoles]) {
      if (row.require_two_factor !== 'off') twoFactorGraceUntil.set(row.organization_id, fromDbTimeOrNull(row.two_factor_grace_until));
    }
    return { orgRoles: orgs, teamRoles: teams, isOperator: operator !== undefined, twoFactorGraceUntil };
  },

  /**
   * Organizations with a 2FA policy where this person has a role or holds a license (asked only
   * for people without a second factor, so the common request pays nothing).
   */
  async twoFactorPolicies(executor: Executor, userId: string) {
    const rows = await executor
      .selectFrom('organizations')
      .select((eb) => [
        'organizations.id',
        'organizations.name',
        'organizations.require_two_factor',
        'organizations.two_factor_grace_until',
        eb
          .or([
            eb('organizations.id', 'in', eb.selectFrom('organization_roles').select('organization_id').where('user_id', '=', userId)),
            eb(
              'organizations.id',
              'in',
              eb
                .selectFrom('team_roles')
                .innerJoin('teams', 'teams.id', 'team_roles.team_id')
                .select('teams.organization_id')
                .where('team_roles.user_id', '=', userId),
            ),
          ])
          .as('has_role'),
        eb('organizations.id', 'in', eb.selectFrom('licenses').select('licenses.organization_id').where('licenses.assignee_user_id', '=', userId)).as(
          'holds_license',
        ),
      ])
      .where('organizations.require_two_factor', '!=', 'off')
      .orderBy('organizations.name')
      .execute();
    return rows.map((row) => ({
      organizationId: row.id,
      organizationName: row.name,
      policy: row.require_two_factor as TwoFactorPolicy,
      graceUntil: fromDbTimeOrNull(row.two_factor_grace_until),
      hasRole: Boolean(row.has_role),
      holdsLicense: Boolean(row.holds_license),
    }));
  },
};
