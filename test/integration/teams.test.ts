import { describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/accounts.js';
import { placeOrder, useConsoleServer } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('teams on %s', (dialect) => {
  const f = useConsoleServer(dialect);

  it('deletes only empty teams and keeps team names unique', async () => {
    const empty = await f.admin.post(`/api/v1/organizations/${f.organization.id}/teams`, { name: `Empty ${dialect}` });
    expect((await f.admin.post(`/api/v1/organizations/${f.organization.id}/teams`, { name: `Empty ${dialect}` })).body.code).toBe('TEAM_NAME_TAKEN');
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 1 });
    const full = await f.admin.request('DELETE', `/api/v1/teams/${order.teamId}`);
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('TEAM_NOT_EMPTY');
    expect((await f.admin.request('DELETE', `/api/v1/teams/${empty.body.id}`)).status).toBe(204);
    expect((await f.admin.get(`/api/v1/teams/${empty.body.id}`)).status).toBe(404);
  });

  it('keeps the per-team counters equal to a recount of the licenses after every kind of change', async () => {
    // Licenses created, renewed, assigned, revoked and transferred, here.
    const orgPath = `/api/v1/organizations/${f.organization.id}`;
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 4 });
    const renewal = {
      reference: `${order.reference}-R`,
      organizationId: f.organization.id,
      productCode: f.product.code,
      quantity: 6,
      validUntil: '2032-01-31',
    };
    expect((await f.api().post('/api/v1/orders', { ...renewal, renewsReference: order.reference })).status).toBe(201);
    await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 3 });
    const target = await f.admin.post(`${orgPath}/teams`, { name: `Counted ${dialect}` });
    const emails = [uniqueEmail('c1'), uniqueEmail('c2'), uniqueEmail('c3')];
    const assigned = await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails });
    const [first, second] = assigned.body.results.map((result: { licenseId: string }) => result.licenseId);
    expect((await f.admin.post(`${orgPath}/licenses/revoke`, { licenseIds: [first] })).status).toBe(200);
    expect((await f.admin.post(`${orgPath}/licenses/transfer`, { licenseIds: [second], targetTeamId: target.body.id })).status).toBe(200);
    const recount = await f.server.database.db
      .selectFrom('licenses')
      .select((eb) => ['team_id', 'product_id', eb.fn.countAll().as('total'), eb.fn.count('assignee_email').as('assigned')])
      .where('organization_id', '=', f.organization.id)
      .groupBy(['team_id', 'product_id'])
      .execute();
    const teams = (await f.admin.get(`/api/v1/organizations/${f.organization.id}/teams`)).body.items as Array<{
      id: string;
      products: Array<{ productId: string; total: number; assigned: number }>;
    }>;
    const reported = teams.flatMap((team) => team.products.map((p) => `${team.id}/${p.productId}: ${p.total} total, ${p.assigned} assigned`)).sort();
    const expected = recount.map((r) => `${r.team_id}/${r.product_id}: ${Number(r.total)} total, ${Number(r.assigned)} assigned`).sort();
    expect(reported).toEqual(expected);
    expect(reported.length).toBeGreaterThanOrEqual(3);
  });
});
