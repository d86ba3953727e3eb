import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sealerFor } from '../../src/lib/sealing.js';
import { cliActor } from '../../src/modules/access/actor.js';
import { webhooksRepository } from '../../src/modules/webhooks/webhooks.repository.js';
import { uniqueEmail } from '../support/accounts.js';
import { createOrganization, createProduct, grantOrgRole, grantTeamRole, placeOrder, signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import type { HttpClient } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Person = 'anonymous' | 'member with no role' | 'team viewer' | 'team admin of another team' | 'org viewer' | 'org admin of another org';
const PEOPLE: Person[] = ['anonymous', 'member with no role', 'team viewer', 'team admin of another team', 'org viewer', 'org admin of another org'];

/** API tokens, each scoped like a person above: scope × team limit × organization. */
type Token = 'read token' | 'read token of team A' | 'write token of another team' | 'write token of another org';
const TOKEN_MIRRORS: Record<Token, Person> = {
  'read token': 'org viewer',
  'read token of team A': 'team viewer',
  'write token of another team': 'team admin of another team',
  'write token of another org': 'org admin of another org',
};
const TOKENS = Object.keys(TOKEN_MIRRORS) as Token[];

type Role = Person | Token;
const ROLES: Role[] = [...PEOPLE, ...TOKENS];

/**
 * What each role gets from each route of the license console, for organization A and its team A.
 * 401: not signed in; 404: not yours to know about; 403: yours to see, not to change.
 */
type Expectation = Partial<Record<Role, number>> & { default: number };
/** A token answers as the person it mirrors unless the route says otherwise. */
const expected = (expectation: Expectation, role: Role): number =>
  expectation[role] ?? (role in TOKEN_MIRRORS ? expected(expectation, TOKEN_MIRRORS[role as Token]) : expectation.default);
/** What only a signed-in person has: their own claim-email choice. Tokens of organization A are refused it. */
const personalToTokens: Partial<Record<Token, number>> = { 'read token': 403, 'read token of team A': 403, 'write token of another team': 403 };
type Route = { name: string; method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; path: () => string; body?: () => unknown; expect: Expectation };

const outsiders = { 'member with no role': 404, 'org admin of another org': 404 } as const;
const read: Expectation = { default: 200, anonymous: 401, ...outsiders };
const readTeamA: Expectation = { default: 200, anonymous: 401, ...outsiders, 'team admin of another team': 404 };
const changeOrg: Expectation = { default: 403, anonymous: 401, ...outsiders };
const changeTeamA: Expectation = { default: 403, anonymous: 401, ...outsiders, 'team admin of another team': 404 };
const operatorOnly: Expectation = { default: 403, anonymous: 401 };
const noticePreferences: Expectation = {
  ...changeOrg,
  'team admin of another team': 200,
  'read token': 403,
  'read token of team A': 403,
  'write token of another team': 403,
};
/** Routes of a signed-in person's own: a token is no session. */
const tokensRefused = (status: number): Partial<Record<Token, number>> => Object.fromEntries(TOKENS.map((token) => [token, status]));

describe.each(DIALECTS)('authorization of every license-console route on %s', (dialect) => {
  let server: TestServer;
  const ids = {
    orgA: '',
    teamA: '',
    teamA2: '',
    emptyTeamA: '',
    licenseA: '',
    invitationA: '',
    bulkInvitationA: '',
    adminA: '',
    productId: '',
    tokenA: '',
    webhookA: '',
    deliveryA: '',
  };
  const clients = new Map<Role, HttpClient>();
  const actorEmails: string[] = [];

  /** `{teamId}` and the like in a template are filled from `ids`; the template is the OpenAPI path. */
  const fill = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: keyof typeof ids) => ids[name]);
  const route = (name: string, method: Route['method'], template: string, expectation: Expectation, body?: () => unknown): Route & { template: string } => ({
    name,
    method,
    template: `${method} ${template.split('?')[0]}`,
    path: () => fill(template),
    ...(body ? { body } : {}),
    expect: expectation,
  });

  const routes: Array<Route & { template: string }> = [
    route('read the organization', 'GET', '/api/v1/organizations/{orgA}', read),
    route('change organization settings', 'PATCH', '/api/v1/organizations/{orgA}', changeOrg, () => ({ minDaysBeforeRevoke: 5 })),
    route('list teams', 'GET', '/api/v1/organizations/{orgA}/teams', read),
    route('create a team', 'POST', '/api/v1/organizations/{orgA}/teams', changeOrg, () => ({ name: 'Intruders' })),
    route('read team A', 'GET', '/api/v1/teams/{teamA}', readTeamA),
    route('rename team A', 'PATCH', '/api/v1/teams/{teamA}', changeTeamA, () => ({ name: 'Renamed' })),
    route('delete an empty team', 'DELETE', '/api/v1/teams/{emptyTeamA}', { ...changeOrg, 'team admin of another team': 404, 'team viewer': 404 }),
    route('read active subscriptions', 'GET', '/api/v1/organizations/{orgA}/subscriptions', read),
    route('list licenses', 'GET', '/api/v1/organizations/{orgA}/licenses', read),
    route('export licenses', 'GET', '/api/v1/organizations/{orgA}/licenses/export.csv', read),
    route('list the machines of a license', 'GET', '/api/v1/licenses/{licenseA}/machines', readTeamA),
    route('read a license history', 'GET', '/api/v1/licenses/{licenseA}/history', readTeamA),
    route('assign in team A', 'POST', '/api/v1/teams/{teamA}/assignments', changeTeamA, () => ({ productId: ids.productId, emails: ['x@example.test'] })),
    route('revoke a license of team A', 'POST', '/api/v1/organizations/{orgA}/licenses/revoke', changeTeamA, () => ({ licenseIds: [ids.licenseA] })),
    route('transfer a license of team A', 'POST', '/api/v1/organizations/{orgA}/licenses/transfer', changeTeamA, () => ({
      licenseIds: [ids.licenseA],
      targetTeamId: ids.teamA2,
    })),
    route('list administrators', 'GET', '/api/v1/organizations/{orgA}/admins', read),
    route('invite a team admin of team A', 'POST', '/api/v1/organizations/{orgA}/admin-invitations', changeTeamA, () => ({
      email: 'x@example.test',
      role: 'team_admin',
      teamId: ids.teamA,
    })),
    route('invite an organization admin', 'POST', '/api/v1/organizations/{orgA}/admin-invitations', changeOrg, () => ({
      email: 'x@example.test',
      role: 'org_admin',
    })),
    route('revoke a team A invitation', 'DELETE', '/api/v1/organizations/{orgA}/admin-invitations/{invitationA}', changeTeamA),
    route('remove the organization admin', 'POST', '/api/v1/organizations/{orgA}/roles/remove', changeOrg, () => ({ userId: ids.adminA, role: 'org_admin' })),
    route('read the audit log', 'GET', '/api/v1/organizations/{orgA}/audit', read),
    route('export the audit log', 'GET', '/api/v1/organizations/{orgA}/audit/export.csv', read),
    route('list bulk invitations of team A', 'GET', '/api/v1/teams/{teamA}/invitations', readTeamA),
    route('create a bulk invitation in team A', 'POST', '/api/v1/teams/{teamA}/invitations', changeTeamA, () => ({ productId: ids.productId })),
    route('read a bulk invitation of team A', 'GET', '/api/v1/invitations/{bulkInvitationA}', readTeamA),
    route('change a bulk invitation of team A', 'PATCH', '/api/v1/invitations/{bulkInvitationA}', changeTeamA, () => ({ enabled: false })),
    route('regenerate the link of a bulk invitation of team A', 'POST', '/api/v1/invitations/{bulkInvitationA}/regenerate', changeTeamA),
    route('delete a bulk invitation of team A', 'DELETE', '/api/v1/invitations/{bulkInvitationA}', changeTeamA),
    route('list the accepted invitations of team A', 'GET', '/api/v1/invitations/{bulkInvitationA}/accepted', readTeamA),
    route('see who gets the claim emails of an invitation of team A', 'GET', '/api/v1/invitations/{bulkInvitationA}/claim-emails', readTeamA),
    // A person's own claim-email choice: anyone who may read the organization sets theirs.
    route('read my claim notification setting', 'GET', '/api/v1/organizations/{orgA}/notification-settings', { ...read, ...personalToTokens }),
    route('set my claim notification setting', 'PUT', '/api/v1/organizations/{orgA}/notification-settings', { ...read, ...personalToTokens }, () => ({
      claimNotifications: 'digest',
    })),
    route('read usage over time', 'GET', '/api/v1/organizations/{orgA}/usage', read),
    route('export usage over time', 'GET', '/api/v1/organizations/{orgA}/usage.csv', read),
    // An administrator's own notices: org admins and team admins (of any team of the organization); never a token.
    route('read my expiry and low-seat notices', 'GET', '/api/v1/organizations/{orgA}/notice-preferences', noticePreferences),
    route('set my expiry and low-seat notices', 'PUT', '/api/v1/organizations/{orgA}/notice-preferences', noticePreferences, () => ({ expiry: false })),
    route('list the API tokens', 'GET', '/api/v1/organizations/{orgA}/api-tokens', changeOrg),
    route('create an API token', 'POST', '/api/v1/organizations/{orgA}/api-tokens', changeOrg, () => ({ name: 'x', scope: 'write', teams: 'all' })),
    route('revoke an API token', 'DELETE', '/api/v1/organizations/{orgA}/api-tokens/{tokenA}', changeOrg),
    route('list webhook endpoints', 'GET', '/api/v1/organizations/{orgA}/webhooks', changeOrg),
    route('register a webhook endpoint', 'POST', '/api/v1/organizations/{orgA}/webhooks', changeOrg, () => ({
      url: 'https://example.com/hook',
      events: ['license.assigned'],
    })),
    route('read a webhook endpoint', 'GET', '/api/v1/webhooks/{webhookA}', changeOrg),
    route('change a webhook endpoint', 'PATCH', '/api/v1/webhooks/{webhookA}', changeOrg, () => ({ enabled: false })),
    route('delete a webhook endpoint', 'DELETE', '/api/v1/webhooks/{webhookA}', changeOrg),
    route('rotate a webhook secret', 'POST', '/api/v1/webhooks/{webhookA}/rotate-secret', changeOrg),
    route('send a test event', 'POST', '/api/v1/webhooks/{webhookA}/test', changeOrg),
    route('read the delivery log', 'GET', '/api/v1/webhooks/{webhookA}/deliveries', changeOrg),
    route('read the attempts of a delivery', 'GET', '/api/v1/webhooks/{webhookA}/deliveries/{deliveryA}/attempts', changeOrg),
    route('redeliver a delivery', 'POST', '/api/v1/webhooks/{webhookA}/deliveries/{deliveryA}/redeliver', changeOrg),
    route('list operator tokens', 'GET', '/api/v1/operator/api-tokens', operatorOnly),
    route('create an operator token', 'POST', '/api/v1/operator/api-tokens', operatorOnly, () => ({ name: 'x' })),
    route('revoke an operator token', 'DELETE', '/api/v1/operator/api-tokens/{tokenA}', operatorOnly),
    route('list the organization orders', 'GET', '/api/v1/orders?organizationId={orgA}', { ...changeOrg, 'org viewer': 200 }),
    route('place an order', 'POST', '/api/v1/orders', operatorOnly, () => ({
      reference: 'X-1',
      organizationId: ids.orgA,
      productCode: 'X',
      quantity: 1,
      validUntil: '2030-01-01',
    })),
    route('list organizations (an operator sees all, others their own)', 'GET', '/api/v1/organizations', { default: 200, anonymous: 401 }),
    route('add a product', 'POST', '/api/v1/products', operatorOnly, () => ({ code: 'X', name: 'X' })),
    route('change a product', 'PATCH', '/api/v1/products/{productId}', operatorOnly, () => ({ name: 'Renamed' })),
    route('create an organization', 'POST', '/api/v1/organizations', operatorOnly, () => ({ name: 'X', adminEmail: 'x@example.test' })),
    route('rotate the ticket-signing key', 'POST', '/api/v1/signing-keys/rotate', operatorOnly),
    // Only the license's holder may take an offline code for it, whatever role the caller has.
    route(
      'get an offline code for license A',
      'POST',
      '/api/v1/me/licenses/{licenseA}/offline-code',
      { default: 404, anonymous: 401, ...tokensRefused(401) },
      () => ({
        machineId: 'x',
      }),
    ),
    // Only the holder may keep or give back a license, whatever role the caller has.
    route('keep license A ("I still use it")', 'POST', '/api/v1/me/licenses/{licenseA}/keep', { default: 404, anonymous: 401, ...tokensRefused(401) }),
    route('give license A back', 'POST', '/api/v1/me/licenses/{licenseA}/give-back', { default: 404, anonymous: 401, ...tokensRefused(401) }),
  ];

  /**
   * Routes outside the matrix, and why: each acts on the caller's own things, or a token or a
   * credential it carries decides, not a role in an organization. A new route must be in one list.
   */
  const notOrganizationScoped: Record<string, string> = {
    'GET /api/v1/instance': 'public facts',
    'POST /api/v1/setup/check': 'the setup token decides',
    'POST /api/v1/setup': 'the setup token decides',
    'GET /api/v1/me': 'the caller',
    'GET /api/v1/me/licenses': "the caller's own",
    'GET /api/v1/me/two-factor-requirements': "the caller's own",
    'GET /api/v1/me/export': "the caller's own data",
    'DELETE /api/v1/me': "the caller's own account, with its password (seat-lifecycle tests)",
    'GET /api/v1/me/machines': "the caller's own",
    'DELETE /api/v1/me/machines/{id}': "the caller's own (another's answers 404: activations tests)",
    'GET /api/v1/me/app-passwords': "the caller's own",
    'POST /api/v1/me/app-passwords': "the caller's own",
    'DELETE /api/v1/me/app-passwords/{id}': "the caller's own (another's answers 404: activations tests)",
    'POST /api/v1/invite/preview': 'the link decides',
    'POST /api/v1/invite/claim': 'the link decides',
    'POST /api/v1/invite/notify-admins': 'the link decides',
    'POST /api/v1/admin-invitations/preview': 'the link decides',
    'POST /api/v1/admin-invitations/accept': 'the link and the invited address decide',
    'POST /api/v1/activations': 'credentials in the body decide',
    'POST /api/v1/activations/refresh': 'the refresh secret decides',
    'POST /api/v1/device-authorizations': 'a product starts it; nobody is signed in',
    'GET /api/v1/device-authorizations/{userCode}': 'the code decides, for the signed-in person',
    'POST /api/v1/device-authorizations/{userCode}/decision': 'the code decides, for the signed-in person',
    'GET /api/v1/products': 'the catalog is readable by every signed-in person',
    'GET /api/v1/orders': 'in the matrix with its organization filter',
    'GET /api/v1/dev/mailbox': 'only without SMTP, only on loopback',
    'GET /.well-known/jwks.json': 'public keys',
  };

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
    const bulk = await admin.client.post(`/api/v1/teams/${ids.teamA}/invitations`, { productId: product.id, name: 'Bulk A' });
    ids.bulkInvitationA = bulk.body.id;

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

    const adminOf = (organizationId: string) => ({ ...cliActor, isOperator: false, orgRoles: new Map([[organizationId, new Set(['org_admin' as const])]]) });
    ids.tokenA = (await server.services.apiTokens.createForOrganization(adminOf(orgA.id), orgA.id, { name: 'kept', scope: 'write', teams: 'all' })).id;
    // A webhook endpoint of organization A with one delivery (the row as registering it writes it).
    ids.webhookA = randomUUID();
    await webhooksRepository(sealerFor(server.config.authSecret, 'webhook-secret')).insertEndpoint(server.database.db, {
      id: ids.webhookA,
      organizationId: orgA.id,
      url: 'https://hooks.example.com/allot',
      description: null,
      events: ['license.assigned'],
      secret: 'whsec_c2VjcmV0',
      createdByUserId: null,
      now: new Date(),
    });
    ids.deliveryA = (await server.services.webhooks.sendTest(adminOf(orgA.id), ids.webhookA)).id;
    const tokenSetups: Array<[Token, string, Parameters<typeof server.services.apiTokens.createForOrganization>[2]]> = [
      ['read token', orgA.id, { name: 'read token', scope: 'read', teams: 'all' }],
      ['read token of team A', orgA.id, { name: 'read token of team A', scope: 'read', teams: [ids.teamA] }],
      ['write token of another team', orgA.id, { name: 'write token of another team', scope: 'write', teams: [orderB.teamId!] }],
      ['write token of another org', orgB.id, { name: 'write token of another org', scope: 'write', teams: 'all' }],
    ];
    for (const [role, organizationId, input] of tokenSetups) {
      const { token } = await server.services.apiTokens.createForOrganization(adminOf(organizationId), organizationId, input);
      clients.set(role, server.client({ authorization: `Bearer ${token}` }));
      actorEmails.push(`API token ${input.name}`);
    }
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const cases = routes.flatMap((route) => ROLES.map((role) => ({ route, role, status: expected(route.expect, role) })));

  it.each(cases)('$route.name as $role answers $status', async ({ route, role, status }) => {
    const client = clients.get(role)!;
    const response = await client.request(route.method, route.path(), route.body ? { json: route.body() } : {});
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    if (status >= 400) expect(response.body.code).toBe({ 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[status]);
  });

  it('covers every route of the API: each is in the matrix, or listed with the reason it is not organization-scoped', async () => {
    const document = (await server.client().get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    const inMatrix = new Set(
      routes.map((entry) =>
        entry.template.replace(
          /\{(orgA|teamA|teamA2|emptyTeamA|licenseA|invitationA|bulkInvitationA|adminA|productId|tokenA|webhookA|deliveryA)\}/g,
          (_, name: string) =>
            `{${{ orgA: 'organizationId', teamA: 'teamId', teamA2: 'teamId', emptyTeamA: 'teamId', licenseA: 'licenseId', invitationA: 'invitationId', bulkInvitationA: 'invitationId', adminA: 'userId', productId: 'id', tokenA: 'tokenId', webhookA: 'webhookId', deliveryA: 'deliveryId' }[name]}}`,
        ),
      ),
    );
    const unclassified = documented.filter((key) => !inMatrix.has(key) && !(key in notOrganizationScoped));
    expect(unclassified).toEqual([]);
    const stale = Object.keys(notOrganizationScoped).filter((key) => !documented.includes(key));
    expect(stale, 'listed routes that no longer exist').toEqual([]);
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
