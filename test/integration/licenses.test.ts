import { describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/accounts.js';
import { placeOrder, signedInUser, useConsoleServer } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('licenses: assign, revoke, transfer, list, export on %s', (dialect) => {
  const f = useConsoleServer(dialect);

  it('assigns by email: a known address sees it at once, an unknown one after signing up', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 2 });
    const known = await signedInUser(f.server, { name: 'Kim Known' });
    const unknownEmail = uniqueEmail('newcomer');
    const result = await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, {
      productId: f.product.id,
      emails: [`${known.email}, ${unknownEmail.toUpperCase()}\n${known.email}`],
    });
    expect(result.status).toBe(200);
    expect(result.body.results).toEqual([
      { email: known.email, status: 'assigned', licenseId: expect.any(String), pendingAccount: false },
      { email: unknownEmail, status: 'assigned', licenseId: expect.any(String), pendingAccount: true },
    ]);
    const mine = await known.client.get('/api/v1/me/licenses');
    // The team still carries its order's reference as its name: the holder is not shown it.
    expect(mine.body.items).toEqual([expect.objectContaining({ productName: f.product.name, organizationName: f.organization.name, teamName: null })]);
    expect(order.teamName).toMatch(/^Order /);

    const invitation = await f.smtp.waitFor((m) => m.to.includes(unknownEmail));
    expect(invitation.links[0]).toBe(`${f.server.baseUrl}/sign-up?email=${encodeURIComponent(unknownEmail)}`);
    const newcomer = await signedInUser(f.server, { email: unknownEmail });
    expect((await newcomer.client.get('/api/v1/me/licenses')).body.items).toHaveLength(1);
  });

  it('answers NO_ASSETS_LEFT per line when the team runs out, leaving nothing partial', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 1 });
    const [first, second] = [uniqueEmail('first'), uniqueEmail('second')];
    const result = await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [first, second, 'not-an-email'] });
    expect(result.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual(['assigned', 'NO_ASSETS_LEFT', 'INVALID_EMAIL']);
    expect(result.body.results[1].message).toBe('No assets left');
    const history = await f.server.database.db.selectFrom('license_assignments').select('email').where('email', '=', second).execute();
    expect(history).toEqual([]);
    const again = await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [first] });
    expect(again.body.results[0].code).toBe('LICENSE_ALREADY_HELD');
  });

  it('revokes: the license is free at once, the holder loses it and is told; the minimum-days rule blocks early revokes', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 1 });
    const holder = await signedInUser(f.server);
    const assigned = await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [holder.email] });
    const licenseId = assigned.body.results[0].licenseId;

    await f.admin.request('PATCH', `/api/v1/organizations/${f.organization.id}`, { json: { minDaysBeforeRevoke: 30 } });
    const blocked = await f.admin.post(`/api/v1/organizations/${f.organization.id}/licenses/revoke`, { licenseIds: [licenseId] });
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({ code: 'RECENTLY_ASSIGNED', details: { licenseIds: [licenseId], minDaysBeforeRevoke: 30 } });
    await f.admin.request('PATCH', `/api/v1/organizations/${f.organization.id}`, { json: { minDaysBeforeRevoke: 0 } });

    const revoked = await f.admin.post(`/api/v1/organizations/${f.organization.id}/licenses/revoke`, { licenseIds: [licenseId] });
    expect(revoked.body).toEqual({ revoked: [licenseId] });
    expect((await holder.client.get('/api/v1/me/licenses')).body.items).toEqual([]);
    expect((await f.licensesOf(`orderReference=${order.reference}`)).items[0].assignee).toBeNull();
    await f.smtp.waitFor((m) => m.to.includes(holder.email) && m.subject.includes('revoked'));
    const history = await f.admin.get(`/api/v1/licenses/${licenseId}/history`);
    expect(history.body.items[0]).toMatchObject({ email: holder.email, source: 'manual', endReason: 'revoked', assignedByName: 'Olga Admin' });
  });

  it('transfers licenses to another team, keeping their holders', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 2 });
    const target = await f.admin.post(`/api/v1/organizations/${f.organization.id}/teams`, { name: `Platform ${dialect}` });
    expect(target.status).toBe(201);
    const holder = uniqueEmail('mover');
    const licenseId = (await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [holder] })).body.results[0]
      .licenseId;
    const moved = await f.admin.post(`/api/v1/organizations/${f.organization.id}/licenses/transfer`, { licenseIds: [licenseId], targetTeamId: target.body.id });
    expect(moved.body).toEqual({ transferred: [licenseId] });
    const inTarget = (await f.licensesOf(`teamId=${target.body.id}`)).items;
    expect(inTarget).toEqual([expect.objectContaining({ id: licenseId, assignee: expect.objectContaining({ email: holder }) })]);
  });

  it('lists with filters and keyset pages that cover every license exactly once', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 120 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await f.licensesOf(
        `teamId=${order.teamId}&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect([...seen].sort()).toEqual(seen);

    const holder = uniqueEmail('filter');
    await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [holder] });
    expect((await f.licensesOf(`teamId=${order.teamId}&status=assigned`)).items).toHaveLength(1);
    expect((await f.licensesOf(`teamId=${order.teamId}&status=unassigned&limit=200`)).items).toHaveLength(119);
    expect(
      (await f.licensesOf(`assignee=${encodeURIComponent(holder.slice(0, 12))}`)).items.map((l: { assignee: { email: string } }) => l.assignee.email),
    ).toContain(holder);

    const subscriptions = await f.admin.get(`/api/v1/organizations/${f.organization.id}/subscriptions`);
    expect(subscriptions.body.items).toEqual([
      expect.objectContaining({ productCode: f.product.code, total: expect.any(Number), assigned: expect.any(Number) }),
    ]);
    const row = subscriptions.body.items[0];
    expect(row.free).toBe(row.total - row.assigned);
  });

  it('finds inactive seats: assigned licenses not seen for N days, or never seen since being held that long', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 4 });
    const [recent, stale, never, newcomer] = [uniqueEmail('recent'), uniqueEmail('stale'), uniqueEmail('never'), uniqueEmail('newcomer')];
    const results = (await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [recent, stale, never, newcomer] }))
      .body.results as Array<{ email: string; licenseId: string }>;
    const idOf = (email: string) => results.find((r) => r.email === email)!.licenseId;
    await f.server.database.db
      .updateTable('licenses')
      .set({ last_seen_at: new Date(Date.now() - 86_400_000).toISOString() })
      .where('id', '=', idOf(recent))
      .execute();
    await f.server.database.db
      .updateTable('licenses')
      .set({ last_seen_at: new Date(Date.now() - 40 * 86_400_000).toISOString() })
      .where('id', '=', idOf(stale))
      .execute();
    // Held for 40 days and never used; the newcomer got theirs today and is not idle yet.
    await f.server.database.db
      .updateTable('licenses')
      .set({ assigned_at: new Date(Date.now() - 40 * 86_400_000).toISOString() })
      .where('id', '=', idOf(never))
      .execute();
    const inactive = await f.licensesOf(`orderReference=${order.reference}&inactiveDays=30`);
    expect(inactive.items.map((l: { id: string }) => l.id).sort()).toEqual([idOf(stale), idOf(never)].sort());
  });

  it('exports the filtered list as CSV, with formula-looking cells neutralised', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 2 });
    const response = await f.admin.get(`/api/v1/organizations/${f.organization.id}/licenses/export.csv?orderReference=${order.reference}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (response.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('License ID,Product,Team,Assignee name,Assignee email,Assigned since,Valid until,Last seen,Order');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,${order.reference}`);
  });

  it('keeps counts true when 100 assignments race for 10 free licenses', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 10 });
    const emails = Array.from({ length: 100 }, (_, i) => uniqueEmail(`race${i}`));
    const answers = await Promise.all(
      emails.map((email) => f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [email] })),
    );
    const codes = answers.map((a) => a.body.results[0].code ?? a.body.results[0].status);
    expect(codes.filter((c) => c === 'assigned')).toHaveLength(10);
    expect(codes.filter((c) => c === 'NO_ASSETS_LEFT')).toHaveLength(90);
    const rows = await f.server.database.db.selectFrom('licenses').select('assignee_email').where('order_id', '=', order.id).execute();
    expect(rows.filter((r) => r.assignee_email !== null)).toHaveLength(10);
    const active = await f.server.database.db
      .selectFrom('license_assignments')
      .innerJoin('licenses', 'licenses.id', 'license_assignments.license_id')
      .select('license_assignments.id')
      .where('licenses.order_id', '=', order.id)
      .where('license_assignments.ended_at', 'is', null)
      .execute();
    expect(active).toHaveLength(10);
  });
});
