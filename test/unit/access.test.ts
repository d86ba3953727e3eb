import { describe, expect, it } from 'vitest';
import { canManageTeam, canSeeTeam, orgAccess, requireOrgAdmin, requireTeamManage, type Actor } from '../../src/modules/access/actor.js';
import type { OrganizationRole, TeamRole } from '../../src/db/tables.js';
import { type AppError } from '../../src/errors.js';

function actor(orgRoles: Record<string, OrganizationRole[]> = {}, teamRoles: Record<string, { org: string; roles: TeamRole[] }> = {}): Actor {
  return {
    userId: 'u',
    label: 'u@example.test',
    isOperator: false,
    ip: null,
    orgRoles: new Map(Object.entries(orgRoles).map(([id, roles]) => [id, new Set(roles)])),
    teamRoles: new Map(Object.entries(teamRoles).map(([id, t]) => [id, { organizationId: t.org, roles: new Set(t.roles) }])),
  };
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    return (error as AppError).code;
  }
};

describe('organization access', () => {
  it('gives organization admins every team, to see and to change', () => {
    const access = orgAccess(actor({ A: ['org_admin'] }), 'A')!;
    expect(access.level).toBe('admin');
    expect(canSeeTeam(access, 'any') && canManageTeam(access, 'any')).toBe(true);
  });

  it('lets organization viewers see everything and change only teams they administer', () => {
    const access = orgAccess(actor({ A: ['org_viewer'] }, { t1: { org: 'A', roles: ['team_admin'] } }), 'A')!;
    expect(access.level).toBe('viewer');
    expect(canSeeTeam(access, 't2')).toBe(true);
    expect(canManageTeam(access, 't2')).toBe(false);
    expect(canManageTeam(access, 't1')).toBe(true);
  });

  it('limits team roles to their own teams in their own organization', () => {
    const someone = actor({}, { t1: { org: 'A', roles: ['team_viewer'] }, t9: { org: 'B', roles: ['team_admin'] } });
    const access = orgAccess(someone, 'A')!;
    expect(access.level).toBe('team');
    expect([...(access.visibleTeams as Set<string>)]).toEqual(['t1']);
    expect(canManageTeam(access, 't1')).toBe(false);
    expect(codeOf(() => requireTeamManage(someone, { id: 't1', organizationId: 'A' }))).toBe('FORBIDDEN');
    expect(codeOf(() => requireTeamManage(someone, { id: 't2', organizationId: 'A' }))).toBe('NOT_FOUND');
  });

  it('answers 404 to people with no role in the organization, and 403 to readers who try to administer it', () => {
    expect(orgAccess(actor({ B: ['org_admin'] }), 'A')).toBeUndefined();
    expect(codeOf(() => requireOrgAdmin(actor({ B: ['org_admin'] }), 'A'))).toBe('NOT_FOUND');
    expect(codeOf(() => requireOrgAdmin(actor({ A: ['org_viewer'] }), 'A'))).toBe('FORBIDDEN');
    expect(codeOf(() => requireOrgAdmin(actor({ A: ['org_admin'] }), 'A'))).toBe('allowed');
  });
});
