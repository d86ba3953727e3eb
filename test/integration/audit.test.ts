import { describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/accounts.js';
import { placeOrder, useConsoleServer } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('the audit log on %s', (dialect) => {
  const f = useConsoleServer(dialect);

  it('writes every change to the audit log, filterable and exportable', async () => {
    const orgPath = `/api/v1/organizations/${f.organization.id}`;
    // One change of each kind, made here.
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 2 });
    const renewal = {
      reference: `${order.reference}-R`,
      organizationId: f.organization.id,
      productCode: f.product.code,
      quantity: 2,
      validUntil: '2032-01-31',
    };
    expect((await f.api().post('/api/v1/orders', { ...renewal, renewsReference: order.reference })).status).toBe(201);
    const team = await f.admin.post(`${orgPath}/teams`, { name: `Audited ${dialect}` });
    const assigned = await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [uniqueEmail('a'), uniqueEmail('b')] });
    const [first, second] = assigned.body.results.map((result: { licenseId: string }) => result.licenseId);
    expect((await f.admin.post(`${orgPath}/licenses/revoke`, { licenseIds: [first] })).status).toBe(200);
    expect((await f.admin.post(`${orgPath}/licenses/transfer`, { licenseIds: [second], targetTeamId: team.body.id })).status).toBe(200);
    const empty = await f.admin.post(`${orgPath}/teams`, { name: `Short-lived ${dialect}` });
    expect((await f.admin.request('DELETE', `/api/v1/teams/${empty.body.id}`)).status).toBe(204);
    expect((await f.admin.request('PATCH', orgPath, { json: { minDaysBeforeRevoke: 0 } })).status).toBe(200);

    const page = await f.admin.get(`${orgPath}/audit?action=license.revoked`);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    expect(page.body.items.every((e: { action: string }) => e.action === 'license.revoked')).toBe(true);
    expect(page.body.items[0]).toMatchObject({ actorLabel: expect.stringContaining('@'), targetType: 'license', targetId: first, ip: '127.0.0.1' });
    const all = await f.admin.get(`${orgPath}/audit?limit=200`);
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
    const csv = await f.admin.get(`${orgPath}/audit/export.csv?action=team.deleted`);
    expect((csv.body as string).split('\r\n')[1]).toContain('team.deleted');
  });
});
