import { describe, expect, it } from 'vitest';
import { type AllotError, activate, fetchJwks, readTicketUnverified, refresh, verifyOffline, type Activation } from '../../packages/client/src/index.js';

import { PASSWORD } from '../support/accounts.js';
import { makeOperator, placeOrder } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import { useActivationServer } from '../support/activation-server.js';

describe.each(DIALECTS)('license tickets: refresh, seats, machine limits and verification on %s', (dialect) => {
  const f = useActivationServer(dialect);

  it('refreshes a ticket, records last seen, and refuses the refresh after the admin revokes the license', async () => {
    const user = await f.licensedUser();
    const appPassword = await f.appPasswordFor(user);
    const first = await f.activateWithAppPassword(user, appPassword);
    const seen = await f.server.database.db.selectFrom('licenses').select('last_seen_at').where('id', '=', user.licenseId).executeTakeFirstOrThrow();
    expect(seen.last_seen_at).not.toBeNull();

    const refreshed = await refresh(first, { productVersion: '2026.4' });
    await verifyOffline(refreshed.ticket, await fetchJwks(f.server.baseUrl), { productCode: f.product.code, machineId: first.machineId });
    expect(readTicketUnverified(refreshed.ticket).exp).toBeGreaterThanOrEqual(readTicketUnverified(first.ticket).exp);
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
    const machines = await user.client.get('/api/v1/me/machines');
    expect(machines.body.items).toEqual([
      expect.objectContaining({ id: first.activationId, licenseId: user.licenseId, machineName: 'build box', productVersion: '2026.4', kind: 'online' }),
    ]);

    await f.revoke(user.licenseId);
    // Last seen described that holder's use; the free seat starts blank.
    expect(
      (await f.server.database.db.selectFrom('licenses').select('last_seen_at').where('id', '=', user.licenseId).executeTakeFirstOrThrow()).last_seen_at,
    ).toBeNull();
    const refused = await f.expectAllotError(refresh(refreshed), 'LICENSE_REVOKED');
    expect(refused.status).toBe(403);
    // The machine's activation is over: even a retry is refused, and it left the account page.
    await f.expectAllotError(refresh(refreshed), 'ACTIVATION_ENDED');
    expect((await user.client.get('/api/v1/me/machines')).body.items).toEqual([]);

    const events = await f.server.database.db.selectFrom('audit_events').select(['action', 'details']).where('target_id', '=', user.licenseId).execute();
    const actions = events.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['activation.created', 'activation.refresh_denied']));
  });

  it('changes the refresh secret at every refresh, answers a repeated one the same way, and ends the activation when an older one shows up', async () => {
    const user = await f.licensedUser();
    const first = await f.activateWithAppPassword(user, await f.appPasswordFor(user));
    // Two refreshes at once with the same secret (two processes, or a retry after a lost answer)
    // both succeed and agree on the next secret.
    const together = await Promise.all(Array.from({ length: 5 }, () => refresh(first)));
    const second = together[0]!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(new Set(together.map((activation) => activation.refreshToken))).toEqual(new Set([second.refreshToken]));
    // Much later, the same lost answer is asked for again: same next secret, nothing ends.
    expect((await refresh(first)).refreshToken).toBe(second.refreshToken);
    const third = await refresh(second);
    expect(third.refreshToken).not.toBe(second.refreshToken);

    // The first secret is now two steps behind: a copy of the activation is in use, and it ends for everyone.
    await f.expectAllotError(refresh(first), 'ACTIVATION_ENDED');
    await f.expectAllotError(refresh(third), 'ACTIVATION_ENDED');
    const row = await f.server.database.db
      .selectFrom('machine_activations')
      .select(['deactivated_at', 'deactivation_reason'])
      .where('id', '=', first.activationId)
      .executeTakeFirstOrThrow();
    expect(row.deactivation_reason).toBe('refresh_token_reused');
    const audit = await f.server.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'activation.refresh_denied')
      .where('target_id', '=', user.licenseId)
      .execute();
    expect(JSON.stringify(audit)).toContain('refresh_token_reused');
    // Secrets are stored only as hashes.
    const stored = await f.server.database.db.selectFrom('machine_activations').selectAll().where('id', '=', first.activationId).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(third.refreshToken!);
  });

  it('refuses to refresh a ticket once the license has expired, and to activate with it', async () => {
    const user = await f.licensedUser();
    const appPassword = await f.appPasswordFor(user);
    const activation = await f.activateWithAppPassword(user, appPassword);
    await f.server.database.db
      .updateTable('licenses')
      .set({ valid_until: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', user.licenseId)
      .execute();
    await f.expectAllotError(refresh(activation), 'LICENSE_EXPIRED');
    await f.expectAllotError(f.activateWithAppPassword(user, appPassword), 'LICENSE_EXPIRED');
  });

  it('makes a machine that stopped refreshing find a free seat again', async () => {
    const user = await f.licensedUser();
    const appPassword = await f.appPasswordFor(user);
    const dormant = await f.activateWithAppPassword(user, appPassword);
    await f.activateWithAppPassword(user, appPassword);
    // The dormant machine's ticket ran out, so its seat went to a third machine.
    await f.server.database.db
      .updateTable('machine_activations')
      .set({ ticket_expires_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', dormant.activationId)
      .execute();
    await f.activateWithAppPassword(user, appPassword);
    await f.expectAllotError(refresh(dormant), 'MACHINE_LIMIT_REACHED');
  });

  it('shows the activation as last seen in the admin license list', async () => {
    const user = await f.licensedUser();
    await f.activateWithAppPassword(user, await f.appPasswordFor(user));
    const list = await f.admin.client.get(`/api/v1/organizations/${f.organization.id}/licenses?q=${encodeURIComponent(user.email)}`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const row = list.body.items.find((item: { id: string }) => item.id === user.licenseId);
    expect(row.lastSeenAt).not.toBeNull();
    expect(Date.now() - new Date(row.lastSeenAt).getTime()).toBeLessThan(60_000);
    // …and, in the license's details, the machine it runs on.
    const machines = await f.admin.client.get(`/api/v1/licenses/${user.licenseId}/machines`);
    expect(machines.body.items).toEqual([expect.objectContaining({ machineName: 'build box', productVersion: '2026.3', kind: 'online' })]);
    expect((await user.client.get(`/api/v1/licenses/${user.licenseId}/machines`)).status).toBe(404);
  });

  it('rejects a tampered ticket, one for another machine or product, and an expired one', async () => {
    const user = await f.licensedUser();
    const machineId = f.newMachineId();
    const activation = await f.activateWithAppPassword(user, await f.appPasswordFor(user), machineId);
    const jwks = await fetchJwks(f.server.baseUrl);
    const [header, payload, signature] = activation.ticket.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const extended = Buffer.from(JSON.stringify({ ...claims, license: { ...claims.license, validUntil: '2099-01-01T00:00:00.000Z' } })).toString('base64url');
    await f.expectAllotError(verifyOffline(`${header}.${extended}.${signature}`, jwks, { productCode: f.product.code, machineId }), 'TICKET_INVALID');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    await f.expectAllotError(verifyOffline(`${header}.${payload}.${flipped}`, jwks, { productCode: f.product.code, machineId }), 'TICKET_INVALID');
    await f.expectAllotError(verifyOffline(activation.ticket, jwks, { productCode: f.product.code, machineId: 'another-machine' }), 'TICKET_WRONG_MACHINE');
    await f.expectAllotError(verifyOffline(activation.ticket, jwks, { productCode: 'OTHER', machineId }), 'TICKET_WRONG_PRODUCT');
    await f.expectAllotError(
      verifyOffline(activation.ticket, jwks, { productCode: f.product.code, machineId, now: new Date(Date.now() + 8 * 86_400_000) }),
      'TICKET_EXPIRED',
    );
    await f.expectAllotError(verifyOffline(activation.ticket, { keys: [] }, { productCode: f.product.code, machineId }), 'TICKET_UNKNOWN_KEY');
  });

  it('holds the machine limit under 20 parallel activations: exactly the limit succeeds', async () => {
    const user = await f.licensedUser();
    const appPassword = await f.appPasswordFor(user);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => f.activateWithAppPassword(user, appPassword)));
    const succeeded = results.filter((result): result is PromiseFulfilledResult<Activation> => result.status === 'fulfilled');
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(succeeded).toHaveLength(2);
    expect(refused.map((result) => (result.reason as AllotError).code)).toEqual(Array(18).fill('MACHINE_LIMIT_REACHED'));
    const limitError = refused[0]!.reason as AllotError;
    expect(limitError.status).toBe(409);
    expect(limitError.details).toMatchObject({ limit: 2 });
    expect(limitError.details.machines).toHaveLength(2);
    const live = await f.server.database.db
      .selectFrom('machine_activations')
      .select('id')
      .where('license_id', '=', user.licenseId)
      .where('deactivated_at', 'is', null)
      .execute();
    expect(live).toHaveLength(2);

    // An activated machine activating again keeps its seat; deactivating one frees a seat.
    const again = await f.activateWithAppPassword(user, appPassword, succeeded[0]!.value.machineId);
    expect(again.activationId).toBe(succeeded[0]!.value.activationId);
    expect((await user.client.delete(`/api/v1/me/machines/${succeeded[1]!.value.activationId}`)).status).toBe(204);
    await f.expectAllotError(refresh(succeeded[1]!.value), 'ACTIVATION_ENDED');
    const third = await f.activateWithAppPassword(user, appPassword);
    expect(third.licensee.email).toBe(user.email);
    // Another f.person's machine answers 404.
    const stranger = await f.person();
    expect((await stranger.client.delete(`/api/v1/me/machines/${third.activationId}`)).status).toBe(404);
  });

  it("follows the product's machine limit, which an operator sets", async () => {
    const operator = await f.person();
    await makeOperator(f.server, operator.userId);
    const created = await operator.client.post('/api/v1/products', { code: `THREE-${process.pid}`, name: 'Three seats', machineLimit: 3 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.machineLimit).toBe(3);
    expect((await operator.client.post('/api/v1/products', { code: `ZERO-${process.pid}`, name: 'Zero', machineLimit: 0 })).body.code).toBe(
      'VALIDATION_FAILED',
    );
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: created.body.code, quantity: 1 });
    const user = await f.person();
    const assigned = await f.admin.client.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: created.body.id, emails: [user.email] });
    expect(assigned.status).toBe(200);
    const appPassword = (await user.client.post('/api/v1/me/app-passwords', { name: 'seats', currentPassword: PASSWORD })).body.password as string;
    const activateThree = () =>
      activate({
        serverUrl: f.server.baseUrl,
        productCode: created.body.code,
        machineId: f.newMachineId(),
        credentials: { method: 'app_password', email: user.email, appPassword },
      });
    for (let seat = 0; seat < 3; seat += 1) await activateThree();
    const refused = await f.expectAllotError(activateThree(), 'MACHINE_LIMIT_REACHED');
    expect(refused.details).toMatchObject({ limit: 3 });
    const raised = await operator.client.request('PATCH', `/api/v1/products/${created.body.id}`, { json: { machineLimit: 4 } });
    expect(raised.body.machineLimit).toBe(4);
    await activateThree();
  });
});
