import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { fromDbTimeOrNull } from '../../db/column-types.js';
import type { OrganizationRole, TeamRole, TwoFactorPolicy } from '../../db/tables.js';

export const accessRepository = {
  /**
   * Every role of a user, in one query (organization roles and team roles, each with its
   * organization's 2FA policy); loaded per request so a removed role applies at once. Whether the
   * user operates the instance comes with their session (sessions.repository.ts).
   */
  async loadRoles(executor: Executor, userId: string) {
    const rows = await executor
      .selectFrom('organization_roles')
      .innerJoin('organizations', 'organizations.id', 'organization_roles.organization_id')
      .select((eb) => [
        sql<string | null>`null`.as('team_id'),
        'organization_roles.organization_id',
        eb.ref('organization_roles.role').$castTo<string>().as('role'),
        'organizations.require_two_factor',
        'organizations.two_factor_grace_until',
      ])
      .where('organization_roles.user_id', '=', userId)
      .unionAll((eb) =>
        eb
          .selectFrom('team_roles')
          .innerJoin('teams', 'teams.id', 'team_roles.team_id')
          .innerJoin('organizations', 'organizations.id', 'teams.organization_id')
          .select((team) => [
            'team_roles.team_id',
            'teams.organization_id',
            team.ref('team_roles.role').$castTo<string>().as('role'),
            'organizations.require_two_factor',
            'organizations.two_factor_grace_until',
          ])
          .where('team_roles.user_id', '=', userId),
      )
      .execute();
    const orgs = new Map<string, Set<OrganizationRole>>();
    const teams = new Map<string, { organizationId: string; roles: Set<TeamRole> }>();
    /** The organizations this person works in that require 2FA of people with a role ('admins' and 'everyone' both do). */
    const twoFactorGraceUntil = new Map<string, Date | null>();
    for (const row of rows) {
      if (row.team_id === null) {
        orgs.set(row.organization_id, (orgs.get(row.organization_id) ?? new Set()).add(row.role as OrganizationRole));
      } else {
        const team = teams.get(row.team_id) ?? { organizationId: row.organization_id, roles: new Set<TeamRole>() };
        team.roles.add(row.role as TeamRole);
        teams.set(row.team_id, team);
      }
      if (row.require_two_factor !== 'off') twoFactorGraceUntil.set(row.organization_id, fromDbTimeOrNull(row.two_factor_grace_until));
    }
    return { orgRoles: orgs, teamRoles: teams, twoFactorGraceUntil };
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
