import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/modules/access/actor.js';
import { uniqueEmail } from '../support/accounts.js';
import { createOrganization, createProduct, grantOrgRole, makeOperator, placeOrder, signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import type { HttpClient } from '../support/http-client.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DIALECTS)('orders, teams and licenses on %s', (dialect) => {
  let server: TestServer;
  let smtp: TestSmtpServer;
  let organization: { id: string; name: string };
  let product: { id: string; code: string; name: string };
  let admin: HttpClient;
  let adminUserId: string;
  let token: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ dialect, smtp });
    organization = await createOrganization(server, 'Acme Robotics');
    product = await createProduct(server, 'IntelliJ IDEA Ultimate');
    const signedIn = await signedInUser(server, { name: 'Olga Admin' });
    admin = signedIn.client;
    adminUserId = signedIn.userId;
    await grantOrgRole(server, organization.id, adminUserId, 'org_admin');
    token = (await server.services.access.createOperatorToken(cliActor, 'billing')).token;
  });
  afterAll(async () => {
    await server?.destroy();
    await smtp?.stop();
  });

  const api = () => server.client({ authorization: `Bearer ${token}` });
  const licensesOf = async (query: string) => (await admin.get(`/api/v1/organizations/${organization.id}/licenses?${query}`)).body;

  it('takes an order over the API once, creating its licenses and a team named after it', async () => {
    const body = { reference: `A-${dialect}-10423`, organizationId: organization.id, productCode: product.code, quantity: 3, validUntil: '2030-12-31' };
    const first = await api().post('/api/v1/orders', body);
    expect(first.status).toBe(201);
    expect(first.body.order).toMatchObject({ reference: body.reference, quantity: 3, teamName: `Order ${body.reference}`, source: 'api' });
    expect(first.body.order.validUntil).toBe('2030-12-31T23:59:59.999Z');

    const replay = await api().post('/api/v1/orders', body);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ ...first.body, created: false });
    const listed = await licensesOf(`orderReference=${body.reference}`);
    expect(listed.items).toHaveLength(3);
    expect(listed.items.every((l: { teamName: string }) => l.teamName === `Order ${body.reference}`)).toBe(true);
    expect(listed.items[0].id).toMatch(/^[0-9A-Z]{10}$/);

    const conflicting = await api().post('/api/v1/orders', { ...body, quantity: 4 });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.code).toBe('ORDER_REFERENCE_CONFLICT');
  });

  it('creates a replayed order once even when both posts arrive together', async () => {
    const body = { reference: `A-${dialect}-RACE`, organizationId: organization.id, productCode: product.code, quantity: 5, validUntil: '2030-01-01' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => api().post('/api/v1/orders', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.order.id)).size).toBe(1);
    expect((await licensesOf(`orderReference=${body.reference}`)).items).toHaveLength(5);
  });

  it('refuses orders from anyone but an operator, and a bad token outright', async () => {
    const body = { reference: `A-${dialect}-nope`, organizationId: organization.id, productCode: product.code, quantity: 1, validUntil: '2030-01-01' };
    expect((await admin.post('/api/v1/orders', body)).status).toBe(403);
    const forged = await server.client({ authorization: 'Bearer allot_forged' }).post('/api/v1/orders', body);
    expect(forged.status).toBe(401);
    const unknownProduct = await api().post('/api/v1/orders', { ...body, productCode: 'NOPE' });
    expect(unknownProduct.body.code).toBe('PRODUCT_NOT_FOUND');
  });

  it('renews an order: its licenses live longer and keep their assignees', async () => {
    const order = await placeOrder(server, {
      organizationId: organization.id,
      productCode: product.code,
      quantity: 2,
      validUntil: new Date('2029-06-30T00:00:00Z'),
    });
    const holder = uniqueEmail('holder');
    const assigned = await admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [holder] });
    expect(assigned.body.results[0].status).toBe('assigned');

    const renewal = await api().post('/api/v1/orders', {
      reference: `${order.reference}-R1`,
      organizationId: organization.id,
      productCode: product.code,
      quantity: 3,
      validUntil: '2031-06-30',
      renewsReference: order.reference,
    });
    expect(renewal.status).toBe(201);
    const original = (await licensesOf(`orderReference=${order.reference}`)).items;
    expect(original).toHaveLength(2);
    expect(original.every((l: { validUntil: string }) => l.validUntil === '2031-06-30T23:59:59.999Z')).toBe(true);
    expect(original.find((l: { assignee: { email: string } | null }) => l.assignee?.email === holder)).toBeDefined();
    const added = (await licensesOf(`orderReference=${order.reference}-R1`)).items;
    expect(added, 'a third seat was bought').toHaveLength(1);
    expect(added[0].teamId).toBe(order.teamId);
  });

  it('assigns by email: a known address sees it at once, an unknown one after signing up', async () => {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 2 });
    const known = await signedInUser(server, { name: 'Kim Known' });
    const unknownEmail = uniqueEmail('newcomer');
    const result = await admin.post(`/api/v1/teams/${order.teamId}/assignments`, {
      productId: product.id,
      emails: [`${known.email}, ${unknownEmail.toUpperCase()}\n${known.email}`],
    });
    expect(result.status).toBe(200);
    expect(result.body.results).toEqual([
      { email: known.email, status: 'assigned', licenseId: expect.any(String), pendingAccount: false },
      { email: unknownEmail, status: 'assigned', licenseId: expect.any(String), pendingAccount: true },
    ]);
    const mine = await known.client.get('/api/v1/me/licenses');
    expect(mine.body.items).toEqual([expect.objectContaining({ productName: product.name, organizationName: organization.name, teamName: order.teamName })]);

    const invitation = await smtp.waitFor((m) => m.to.includes(unknownEmail));
    expect(invitation.links[0]).toBe(`${server.baseUrl}/sign-up?email=${encodeURIComponent(unknownEmail)}`);
    const newcomer = await signedInUser(server, { email: unknownEmail });
    expect((await newcomer.client.get('/api/v1/me/licenses')).body.items).toHaveLength(1);
  });

  it('answers NO_ASSETS_LEFT per line when the team runs out, leaving nothing partial', async () => {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 1 });
    const [first, second] = [uniqueEmail('first'), uniqueEmail('second')];
    const result = await admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [first, second, 'not-an-email'] });
    expect(result.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual(['assigned', 'NO_ASSETS_LEFT', 'INVALID_EMAIL']);
    expect(result.body.results[1].message).toBe('No assets left');
    const history = await server.database.db.selectFrom('license_assignments').select('email').where('email', '=', second).execute();
    expect(history).toEqual([]);
    const again = await admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [first] });
    expect(again.body.results[0].code).toBe('LICENSE_ALREADY_HELD');
  });

  it('revokes: the license is free at once, the holder loses it and is told; the minimum-days rule blocks early revokes', async () => {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 1 });
    const holder = await signedInUser(server);
    const assigned = await admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [holder.email] });
    const licenseId = assigned.body.results[0].licenseId;

    await admin.request('PATCH', `/api/v1/organizations/${organization.id}`, { json: { minDaysBeforeRevoke: 30 } });
    const blocked = await admin.post(`/api/v1/organizations/${organization.id}/licenses/revoke`, { licenseIds: [licenseId] });
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({ code: 'RECENTLY_ASSIGNED', details: { licenseIds: [licenseId], minDaysBeforeRevoke: 30 } });
    await admin.request('PATCH', `/api/v1/organizations/${organization.id}`, { json: { minDaysBeforeRevoke: 0 } });

    const revoked = await admin.post(`/api/v1/organizations/${organization.id}/licenses/revoke`, { licenseIds: [licenseId] });
    expect(revoked.body).toEqual({ revoked: [licenseId] });
    expect((await holder.client.get('/api/v1/me/licenses')).body.items).toEqual([]);
    expect((await licensesOf(`orderReference=${order.reference}`)).items[0].assignee).toBeNull();
    await smtp.waitFor((m) => m.to.includes(holder.email) && m.subject.includes('revoked'));
    const history = await admin.get(`/api/v1/licenses/${licenseId}/history`);
    expect(history.body.items[0]).toMatchObject({ email: holder.email, source: 'manual', endReason: 'revoked', assignedByName: 'Olga Admin' });
  });

  it('transfers licenses to another team, keeping their holders', async () => {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 2 });
    const target = await admin.post(`/api/v1/organizations/${organization.id}/teams`, { name: `Platform ${dialect}` });
    expect(target.status).toBe(201);
    const holder = uniqueEmail('mover');
    const licenseId = (await admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [holder] })).body.results[0].licenseId;
    const moved = await admin.post(`/api/v1/organizations/${organization.id}/licenses/transfer`, { licenseIds: [licenseId], targetTeamId: target.body.id });
    expect(moved.body).toEqual({ transferred: [licenseId] });
    const inTarget = (await licensesOf(`teamId=${target.body.id}`)).items;
    expect(inTarget).toEqual([expect.objectContaining({ id: licenseId, assignee: expect.objectContaining({ email: holder }) })]);
  });

  it('lists with filters and keyset pages that cover every license exactly once', async () => {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 120 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await licensesOf(
        `teamId=${order.teamId}&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect([...seen].sort()).toEqual(seen);

    const holder = uniqueEmail('filter');
    await admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [holder] });
    expect((await licensesOf(`teamId=${order.teamId}&status=assigned`)).items).toHaveLength(1);
    expect((await licensesOf(`teamId=${order.teamId}&status=unassigned&limit=200`)).items).toHaveLength(119);
    expect(
      (await licensesOf(`assignee=${encodeURIComponent(holder.slice(0, 12))}`)).items.map((l: { assignee: { email: string } }) => l.assignee.email),
    ).toContain(holder);

    const subscriptions = await admin.get(`/api/v1/organizations/${organization.id}/subscriptions`);
    expect(subscriptions.body.items).toEqual([expect.objectContaining({ productCode: product.code, total: expect.any(Number), assigned: expect.any(Number) })]);
    const row = subscriptions.body.items[0];
    expect(row.free).toBe(row.total - row.assigned);
  });

  it('finds inactive seats: assigned licenses not seen for N days, or never seen since being held that long', async () => {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 4 });
    const [recent, stale, never, newcomer] = [uniqueEmail('recent'), uniqueEmail('stale'), uniqueEmail('never'), uniqueEmail('newcomer')];
    const results = (await admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [recent, stale, never, newcomer] })).body
      .results as Array<{ email: string; licenseId: string }>;
    const idOf = (email: string) => results.find((r) => r.email === email)!.licenseId;
    await server.database.db
      .updateTable('licenses')
      .set({ last_seen_at: new Date(Date.now() - 86_400_000).toISOString() })
      .where('id', '=', idOf(recent))
      .execute();
    await server.database.db
      .updateTable('licenses')
      .set({ last_seen_at: new Date(Date.now() - 40 * 86_400_000).toISOString() })
      .where('id', '=', idOf(stale))
      .execute();
    // Held for 40 days and never used; the newcomer got theirs today and is not idle yet.
    await server.database.db
      .updateTable('licenses')
      .set({ assigned_at: new Date(Date.now() - 40 * 86_400_000).toISOString() })
      .where('id', '=', idOf(never))
      .execute();
    const inactive = await licensesOf(`orderReference=${order.reference}&inactiveDays=30`);
    expect(inactive.items.map((l: { id: string }) => l.id).sort()).toEqual([idOf(stale), idOf(never)].sort());
  });

  it('exports the filtered list as CSV, with formula-looking cells neutralised', async () => {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 2 });
    const response = await admin.get(`/api/v1/organizations/${organization.id}/licenses/export.csv?orderReference=${order.reference}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (response.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('License ID,Product,Team,Assignee name,Assignee email,Assigned since,Valid until,Last seen,Order');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,${order.reference}`);
  });

  it('deletes only empty teams and keeps team names unique', async () => {
    const empty = await admin.post(`/api/v1/organizations/${organization.id}/teams`, { name: `Empty ${dialect}` });
    expect((await admin.post(`/api/v1/organizations/${organization.id}/teams`, { name: `Empty ${dialect}` })).body.code).toBe('TEAM_NAME_TAKEN');
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 1 });
    const full = await admin.request('DELETE', `/api/v1/teams/${order.teamId}`);
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('TEAM_NOT_EMPTY');
    expect((await admin.request('DELETE', `/api/v1/teams/${empty.body.id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/teams/${empty.body.id}`)).status).toBe(404);
  });

  it('writes every change to the audit log, filterable and exportable', async () => {
    const page = await admin.get(`/api/v1/organizations/${organization.id}/audit?action=license.revoked`);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    expect(page.body.items.every((e: { action: string }) => e.action === 'license.revoked')).toBe(true);
    expect(page.body.items[0]).toMatchObject({ actorLabel: expect.stringContaining('@'), targetType: 'license', ip: '127.0.0.1' });
    const all = await admin.get(`/api/v1/organizations/${organization.id}/audit?limit=200`);
    const actions = new Set(all.body.items.map((e: { action: string }) => e.action));
    for (const action of [
      'order.created',
      'order.renewed',
      'team.created',
      'license.assigned',
      'license.revoked',
      'license.transferred',
      'team.deleted',
      'organization.updated',
    ]) {
      expect(actions, action).toContain(action);
    }
    const csv = await admin.get(`/api/v1/organizations/${organization.id}/audit/export.csv?action=team.deleted`);
    expect((csv.body as string).split('\r\n')[1]).toContain('team.deleted');
  });

  it('keeps counts true when 100 assignments race for 10 free licenses', async () => {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 10 });
    const emails = Array.from({ length: 100 }, (_, i) => uniqueEmail(`race${i}`));
    const answers = await Promise.all(
      emails.map((email) => admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [email] })),
    );
    const codes = answers.map((a) => a.body.results[0].code ?? a.body.results[0].status);
    expect(codes.filter((c) => c === 'assigned')).toHaveLength(10);
    expect(codes.filter((c) => c === 'NO_ASSETS_LEFT')).toHaveLength(90);
    const rows = await server.database.db.selectFrom('licenses').select('assignee_email').where('order_id', '=', order.id).execute();
    expect(rows.filter((r) => r.assignee_email !== null)).toHaveLength(10);
    const active = await server.database.db
      .selectFrom('license_assignments')
      .innerJoin('licenses', 'licenses.id', 'license_assignments.license_id')
      .select('license_assignments.id')
      .where('licenses.order_id', '=', order.id)
      .where('license_assignments.ended_at', 'is', null)
      .execute();
    expect(active).toHaveLength(10);
  });

  it('lets operators manage the product catalog and organizations', async () => {
    const operator = await signedInUser(server);
    await makeOperator(server, operator.userId);
    const created = await operator.client.post('/api/v1/products', { code: `CLION${dialect}`, name: 'CLion' });
    expect(created.status).toBe(201);
    expect((await operator.client.post('/api/v1/products', { code: `CLION${dialect}`, name: 'Again' })).body.code).toBe('PRODUCT_CODE_TAKEN');
    expect((await admin.post('/api/v1/products', { code: 'X', name: 'X' })).status).toBe(403);
    const org = await operator.client.post('/api/v1/organizations', { name: 'Initech', adminEmail: uniqueEmail('initech') });
    expect(org.status).toBe(201);
    const listed = await operator.client.get('/api/v1/organizations');
    expect(listed.body.items.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['Initech', 'Acme Robotics']));
    expect((await admin.get('/api/v1/organizations')).body.items).toEqual([{ id: organization.id, name: 'Acme Robotics', access: 'admin' }]);
    expect(cliActor.isOperator).toBe(true);
  });

  it('keeps the per-team counters equal to a recount of the licenses after every kind of change', async () => {
    // Every test above created, renewed, assigned, revoked and transferred licenses in this organization.
    const recount = await server.database.db
      .selectFrom('licenses')
      .select((eb) => ['team_id', 'product_id', eb.fn.countAll().as('total'), eb.fn.count('assignee_email').as('assigned')])
      .where('organization_id', '=', organization.id)
      .groupBy(['team_id', 'product_id'])
      .execute();
    const teams = (await admin.get(`/api/v1/organizations/${organization.id}/teams`)).body.items as Array<{
      id: string;
      products: Array<{ productId: string; total: number; assigned: number }>;
    }>;
    const reported = teams.flatMap((team) => team.products.map((p) => `${team.id}/${p.productId}: ${p.total} total, ${p.assigned} assigned`)).sort();
    const expected = recount.map((r) => `${r.team_id}/${r.product_id}: ${Number(r.total)} total, ${Number(r.assigned)} assigned`).sort();
    expect(reported).toEqual(expected);
    expect(reported.length).toBeGreaterThan(5);
  });
});
