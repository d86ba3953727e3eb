import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/modules/access/actor.js';
import { uniqueEmail } from '../support/accounts.js';
import { createOrganization, createProduct, grantOrgRole, grantTeamRole, placeOrder, signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import type { HttpClient } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Role = 'anonymous' | 'member with no role' | 'team viewer' | 'team admin of another team' | 'org viewer' | 'org admin of another org';
const ROLES: Role[] = ['anonymous', 'member with no role', 'team viewer', 'team admin of another team', 'org viewer', 'org admin of another org'];

/**
 * What each role gets from each route of the license console, for organization A and its team A.
 * 401: not signed in; 404: not yours to know about; 403: yours to see, not to change.
 */
type Expectation = Partial<Record<Role, number>> & { default: number };
type Route = { name: string; method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: () => string; body?: () => unknown; expect: Expectation };

const outsiders = { 'member with no role': 404, 'org admin of another org': 404 } as const;
const read: Expectation = { default: 200, anonymous: 401, ...outsiders };
const readTeamA: Expectation = { default: 200, anonymous: 401, ...outsiders, 'team admin of another team': 404 };
const changeOrg: Expectation = { default: 403, anonymous: 401, ...outsiders };
const changeTeamA: Expectation = { default: 403, anonymous: 401, ...outsiders, 'team admin of another team': 404 };
const operatorOnly: Expectation = { default: 403, anonymous: 401 };

describe.each(DIALECTS)('authorization of every license-console route on %s', (dialect) => {
  let server: TestServer;
  const ids = { orgA: '', teamA: '', teamA2: '', emptyTeamA: '', licenseA: '', invitationA: '', adminA: '', productId: '' };
  const clients = new Map<Role, HttpClient>();
  const actorEmails: string[] = [];

  const routes: Route[] = [
    { name: 'read the organization', method: 'GET', path: () => `/api/v1/organizations/${ids.orgA}`, expect: read },
    {
      name: 'change organization settings',
      method: 'PATCH',
      path: () => `/api/v1/organizations/${ids.orgA}`,
      body: () => ({ minDaysBeforeRevoke: 5 }),
      expect: changeOrg,
    },
    { name: 'list teams', method: 'GET', path: () => `/api/v1/organizations/${ids.orgA}/teams`, expect: read },
    { name: 'create a team', method: 'POST', path: () => `/api/v1/organizations/${ids.orgA}/teams`, body: () => ({ name: 'Intruders' }), expect: changeOrg },
    { name: 'read team A', method: 'GET', path: () => `/api/v1/teams/${ids.teamA}`, expect: readTeamA },
    { name: 'rename team A', method: 'PATCH', path: () => `/api/v1/teams/${ids.teamA}`, body: () => ({ name: 'Renamed' }), expect: changeTeamA },
    {
      name: 'delete an empty team',
      method: 'DELETE',
      path: () => `/api/v1/teams/${ids.emptyTeamA}`,
      expect: { ...changeOrg, 'team admin of another team': 404, 'team viewer': 404 },
    },
    { name: 'read active subscriptions', method: 'GET', path: () => `/api/v1/organizations/${ids.orgA}/subscriptions`, expect: read },
    { name: 'list licenses', method: 'GET', path: () => `/api/v1/organizations/${ids.orgA}/licenses`, expect: read },
    { name: 'export licenses', method: 'GET', path: () => `/api/v1/organizations/${ids.orgA}/licenses/export.csv`, expect: read },
    { name: 'list the machines of a license', method: 'GET', path: () => `/api/v1/licenses/${ids.licenseA}/machines`, expect: readTeamA },
    { name: 'read a license history', method: 'GET', path: () => `/api/v1/licenses/${ids.licenseA}/history`, expect: readTeamA },
    {
      name: 'assign in team A',
      method: 'POST',
      path: () => `/api/v1/teams/${ids.teamA}/assignments`,
      body: () => ({ productId: ids.productId, emails: ['x@example.test'] }),
      expect: changeTeamA,
    },
    {
      name: 'revoke a license of team A',
      method: 'POST',
      path: () => `/api/v1/organizations/${ids.orgA}/licenses/revoke`,
      body: () => ({ licenseIds: [ids.licenseA] }),
      expect: changeTeamA,
    },
    {
      name: 'transfer a license of team A',
      method: 'POST',
      path: () => `/api/v1/organizations/${ids.orgA}/licenses/transfer`,
      body: () => ({ licenseIds: [ids.licenseA], targetTeamId: ids.teamA2 }),
      expect: changeTeamA,
    },
    { name: 'list administrators', method: 'GET', path: () => `/api/v1/organizations/${ids.orgA}/admins`, expect: read },
    {
      name: 'invite a team admin of team A',
      method: 'POST',
      path: () => `/api/v1/organizations/${ids.orgA}/admin-invitations`,
      body: () => ({ email: 'x@example.test', role: 'team_admin', teamId: ids.teamA }),
      expect: changeTeamA,
    },
    {
      name: 'invite an organization admin',
      method: 'POST',
      path: () => `/api/v1/organizations/${ids.orgA}/admin-invitations`,
      body: () => ({ email: 'x@example.test', role: 'org_admin' }),
      expect: changeOrg,
    },
    {
      name: 'revoke a team A invitation',
      method: 'DELETE',
      path: () => `/api/v1/organizations/${ids.orgA}/admin-invitations/${ids.invitationA}`,
      expect: changeTeamA,
    },
    {
      name: 'remove the organization admin',
      method: 'POST',
      path: () => `/api/v1/organizations/${ids.orgA}/roles/remove`,
      body: () => ({ userId: ids.adminA, role: 'org_admin' }),
      expect: changeOrg,
    },
    { name: 'read the audit log', method: 'GET', path: () => `/api/v1/organizations/${ids.orgA}/audit`, expect: read },
    { name: 'export the audit log', method: 'GET', path: () => `/api/v1/organizations/${ids.orgA}/audit/export.csv`, expect: read },
    {
      name: 'list the organization orders',
      method: 'GET',
      path: () => `/api/v1/orders?organizationId=${ids.orgA}`,
      expect: { ...changeOrg, 'org viewer': 200 },
    },
    {
      name: 'place an order',
      method: 'POST',
      path: () => '/api/v1/orders',
      body: () => ({ reference: 'X-1', organizationId: ids.orgA, productCode: 'X', quantity: 1, validUntil: '2030-01-01' }),
      expect: operatorOnly,
    },
    { name: 'add a product', method: 'POST', path: () => '/api/v1/products', body: () => ({ code: 'X', name: 'X' }), expect: operatorOnly },
    {
      name: 'create an organization',
      method: 'POST',
      path: () => '/api/v1/organizations',
      body: () => ({ name: 'X', adminEmail: 'x@example.test' }),
      expect: operatorOnly,
    },
    { name: 'rotate the ticket-signing key', method: 'POST', path: () => '/api/v1/signing-keys/rotate', expect: operatorOnly },
    // Only the license's holder may take an offline code for it, whatever role the caller has.
    {
      name: 'get an offline code for license A',
      method: 'POST',
      path: () => `/api/v1/me/licenses/${ids.licenseA}/offline-code`,
      body: () => ({ machineId: 'x' }),
      expect: { default: 404, anonymous: 401 },
    },
  ];

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const orgA = await createOrganization(server, 'Org A');
    const orgB = await createOrganization(server, 'Org B');
    const product = await createProduct(server);
    ids.orgA = orgA.id;
    ids.productId = product.id;
    const orderA = await placeOrder(server, { organizationId: orgA.id, productCode: product.code, quantity: 3 });
    const orderA2 = await placeOrder(server, { organizationId: orgA.id, productCode: product.code, quantity: 1 });
    const orderB = await placeOrder(server, { organizationId: orgA.id, productCode: product.code, quantity: 1 });
    ids.teamA = orderA.teamId!;
    ids.teamA2 = orderA2.teamId!;
    ids.emptyTeamA = (
      await server.services.teams.create({ ...cliActor, orgRoles: new Map([[orgA.id, new Set(['org_admin' as const])]]) }, orgA.id, 'Empty')
    ).id;

    const admin = await signedInUser(server, { name: 'Admin A' });
    ids.adminA = admin.userId;
    await grantOrgRole(server, orgA.id, admin.userId, 'org_admin');
    const assigned = await admin.client.post(`/api/v1/teams/${ids.teamA}/assignments`, { productId: product.id, emails: [uniqueEmail('holder')] });
    ids.licenseA = assigned.body.results[0].licenseId;
    const invitation = await admin.client.post(`/api/v1/organizations/${orgA.id}/admin-invitations`, {
      email: uniqueEmail('invitee'),
      role: 'team_viewer',
      teamId: ids.teamA,
    });
    ids.invitationA = invitation.body.invitation.id;

    clients.set('anonymous', server.client());
    const roleSetups: Array<[Role, (userId: string) => Promise<void>]> = [
      ['member with no role', async () => {}],
      ['team viewer', (userId) => grantTeamRole(server, ids.teamA, userId, 'team_viewer')],
      ['team admin of another team', (userId) => grantTeamRole(server, orderB.teamId!, userId, 'team_admin')],
      ['org viewer', (userId) => grantOrgRole(server, orgA.id, userId, 'org_viewer')],
      ['org admin of another org', (userId) => grantOrgRole(server, orgB.id, userId, 'org_admin')],
    ];
    for (const [role, grant] of roleSetups) {
      const user = await signedInUser(server);
      await grant(user.userId);
      clients.set(role, user.client);
      actorEmails.push(user.email);
    }
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const cases = routes.flatMap((route) => ROLES.map((role) => ({ route, role, status: route.expect[role] ?? route.expect.default })));

  it.each(cases)('$route.name as $role answers $status', async ({ route, role, status }) => {
    const client = clients.get(role)!;
    const response = await client.request(route.method, route.path(), route.body ? { json: route.body() } : {});
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    if (status >= 400) expect(response.body.code).toBe({ 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[status]);
  });

  it('changed nothing for any of them', async () => {
    const events = await server.database.db.selectFrom('audit_events').select(['actor_label', 'action']).where('actor_label', 'in', actorEmails).execute();
    expect(events).toEqual([]);
    const license = await server.database.db
      .selectFrom('licenses')
      .select(['team_id', 'assignee_email'])
      .where('id', '=', ids.licenseA)
      .executeTakeFirstOrThrow();
    expect(license.team_id).toBe(ids.teamA);
    expect(license.assignee_email).not.toBeNull();
  });

  it('shows team-scoped roles only their own teams', async () => {
    const teams = await clients.get('team viewer')!.get(`/api/v1/organizations/${ids.orgA}/teams`);
    expect(teams.body.items.map((t: { id: string }) => t.id)).toEqual([ids.teamA]);
    const licenses = await clients.get('team admin of another team')!.get(`/api/v1/organizations/${ids.orgA}/licenses`);
    expect(licenses.body.items.some((l: { teamId: string }) => l.teamId === ids.teamA)).toBe(false);
    expect(licenses.body.items.length).toBe(1);
  });
});
