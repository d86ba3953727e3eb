import { describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/accounts.js';
import { placeOrder, useConsoleServer } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('orders on %s', (dialect) => {
  const f = useConsoleServer(dialect);

  it('takes an order over the API once, creating its licenses and a team named after it', async () => {
    const body = { reference: `A-${dialect}-10423`, organizationId: f.organization.id, productCode: f.product.code, quantity: 3, validUntil: '2030-12-31' };
    const first = await f.api().post('/api/v1/orders', body);
    expect(first.status).toBe(201);
    expect(first.body.order).toMatchObject({ reference: body.reference, quantity: 3, teamName: `Order ${body.reference}`, source: 'api' });
    expect(first.body.order.validUntil).toBe('2030-12-31T23:59:59.999Z');

    const replay = await f.api().post('/api/v1/orders', body);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ ...first.body, created: false });
    const listed = await f.licensesOf(`orderReference=${body.reference}`);
    expect(listed.items).toHaveLength(3);
    expect(listed.items.every((l: { teamName: string }) => l.teamName === `Order ${body.reference}`)).toBe(true);
    expect(listed.items[0].id).toMatch(/^[0-9A-Z]{10}$/);

    const conflicting = await f.api().post('/api/v1/orders', { ...body, quantity: 4 });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.code).toBe('ORDER_REFERENCE_CONFLICT');
  });

  it('creates a replayed order once even when both posts arrive together', async () => {
    const body = { reference: `A-${dialect}-RACE`, organizationId: f.organization.id, productCode: f.product.code, quantity: 5, validUntil: '2030-01-01' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => f.api().post('/api/v1/orders', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.order.id)).size).toBe(1);
    expect((await f.licensesOf(`orderReference=${body.reference}`)).items).toHaveLength(5);
  });

  it('refuses orders from anyone but an operator, and a bad token outright', async () => {
    const body = { reference: `A-${dialect}-nope`, organizationId: f.organization.id, productCode: f.product.code, quantity: 1, validUntil: '2030-01-01' };
    expect((await f.admin.post('/api/v1/orders', body)).status).toBe(403);
    const forged = await f.server.client({ authorization: 'Bearer allot_forged' }).post('/api/v1/orders', body);
    expect(forged.status).toBe(401);
    const unknownProduct = await f.api().post('/api/v1/orders', { ...body, productCode: 'NOPE' });
    expect(unknownProduct.body.code).toBe('PRODUCT_NOT_FOUND');
  });

  it('renews an order: its licenses live longer and keep their assignees', async () => {
    const order = await placeOrder(f.server, {
      organizationId: f.organization.id,
      productCode: f.product.code,
      quantity: 2,
      validUntil: new Date('2029-06-30T00:00:00Z'),
    });
    const holder = uniqueEmail('holder');
    const assigned = await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [holder] });
    expect(assigned.body.results[0].status).toBe('assigned');

    const renewal = await f.api().post('/api/v1/orders', {
      reference: `${order.reference}-R1`,
      organizationId: f.organization.id,
      productCode: f.product.code,
      quantity: 3,
      validUntil: '2031-06-30',
      renewsReference: order.reference,
    });
    expect(renewal.status).toBe(201);
    const original = (await f.licensesOf(`orderReference=${order.reference}`)).items;
    expect(original).toHaveLength(2);
    expect(original.every((l: { validUntil: string }) => l.validUntil === '2031-06-30T23:59:59.999Z')).toBe(true);
    expect(original.find((l: { assignee: { email: string } | null }) => l.assignee?.email === holder)).toBeDefined();
    const added = (await f.licensesOf(`orderReference=${order.reference}-R1`)).items;
    expect(added, 'a third seat was bought').toHaveLength(1);
    expect(added[0].teamId).toBe(order.teamId);
  });
});
