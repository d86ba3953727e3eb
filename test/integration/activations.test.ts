import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllotError,
  activate,
  deviceLogin,
  fetchJwks,
  readTicketUnverified,
  refresh,
  verifyOffline,
  type Activation,
} from '../../packages/client/src/index.js';
import { main as demoProduct } from '../../packages/demo-product/src/cli.js';
import { runCli } from '../../src/cli/main.js';
import { signingKeysRepository } from '../../src/modules/signing-keys/signing-keys.repository.js';
import { openMailLink, PASSWORD, uniqueEmail } from '../support/accounts.js';
import { createOrganization, createProduct, grantOrgRole, makeOperator, placeOrder, seedSignedInUsers, signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import type { HttpClient } from '../support/http-client.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, TEST_SECRET, type TestServer } from '../support/test-server.js';

type LicensedUser = { client: HttpClient; email: string; userId: string; licenseId: string };

describe.each(DIALECTS)('product activation on %s', (dialect) => {
  let server: TestServer;
  let smtp: TestSmtpServer;
  let organization: { id: string; name: string };
  let product: { id: string; code: string; name: string };
  let teamId: string;
  let orderReference: string;
  let admin: { client: HttpClient; email: string; userId: string };
  let machineCounter = 0;
  const newMachineId = () => `machine-${process.pid}-${++machineCounter}`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ dialect, smtp, env: { DEVICE_POLL_INTERVAL_SECONDS: '1' } });
    organization = await createOrganization(server, 'Acme Robotics');
    product = await createProduct(server, 'CLion');
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 40 });
    teamId = order.teamId!;
    orderReference = order.reference;
    admin = await signedInUser(server, { name: 'Olga Orgadmin' });
    await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
  });
  afterAll(async () => {
    await server?.destroy();
    await smtp?.stop();
  });

  /**
   * A verified, signed-in person, written straight to the database (sign-up is limited to 20 an
   * hour per address, and this file needs more people than that); `withPassword` signs up for real.
   */
  async function person(): Promise<{ client: HttpClient; email: string; userId: string }> {
    const [seeded] = await seedSignedInUsers(server, 1, 'person', { withPassword: true });
    return { client: server.client({ cookie: seeded!.cookie }), email: seeded!.email, userId: seeded!.userId };
  }

  /** A person who holds one license of `product`. */
  async function licensedUser({ withPassword = false } = {}): Promise<LicensedUser> {
    const user = withPassword ? await signedInUser(server, { name: 'Lena Licensee' }) : await person();
    const assigned = await admin.client.post(`/api/v1/teams/${teamId}/assignments`, { productId: product.id, emails: [user.email] });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    return { ...user, licenseId: assigned.body.results[0].licenseId as string };
  }

  async function revoke(licenseId: string): Promise<void> {
    const revoked = await admin.client.post(`/api/v1/organizations/${organization.id}/licenses/revoke`, { licenseIds: [licenseId] });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
  }

  async function appPasswordFor(user: LicensedUser, name = 'Laptop IDE'): Promise<string> {
    const created = await user.client.post('/api/v1/me/app-passwords', { name, currentPassword: PASSWORD });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.password).toMatch(/^allot-app-/);
    return created.body.password as string;
  }

  const activateWithAppPassword = (user: LicensedUser, appPassword: string, machineId = newMachineId()) =>
    activate({
      serverUrl: server.baseUrl,
      productCode: product.code,
      machineId,
      machineName: 'build box',
      productVersion: '2026.3',
      credentials: { method: 'app_password', email: user.email, appPassword },
    });

  async function expectAllotError(promise: Promise<unknown>, code: string): Promise<AllotError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, `expected ${code}`).toBeInstanceOf(AllotError);
    expect((error as AllotError).code).toBe(code);
    return error as AllotError;
  }

  it('activates with email and password, and the ticket names license, product, licensee, organization, machine and key', async () => {
    const user = await licensedUser({ withPassword: true });
    const machineId = newMachineId();
    const activation = await activate({
      serverUrl: server.baseUrl,
      productCode: product.code,
      machineId,
      credentials: { method: 'password', email: user.email, password: PASSWORD },
    });

    const jwks = await fetchJwks(server.baseUrl);
    const claims = await verifyOffline(activation.ticket, jwks, { productCode: product.code, machineId, issuer: server.baseUrl });
    expect(claims).toMatchObject({
      sub: user.licenseId,
      kind: 'online',
      product: { code: product.code, name: 'CLion' },
      licensee: { id: user.userId, email: user.email },
      organization: { id: organization.id, name: 'Acme Robotics' },
      license: { id: user.licenseId },
      machine: { id: machineId },
    });
    const header = JSON.parse(Buffer.from(activation.ticket.split('.')[0]!, 'base64url').toString('utf8'));
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'allot-license+jwt' });
    expect(jwks.keys.map((key) => key.kid)).toContain(header.kid);
    // The default ticket lives 7 days.
    const lifetimeHours = (claims.exp - claims.iat) / 3600;
    expect(lifetimeHours).toBeCloseTo(24 * 7, 0);
    expect(activation.refreshToken).toMatch(/^[\w-]{43}$/);

    // Only the refresh token's hash is stored.
    const stored = await server.database.db
      .selectFrom('machine_activations')
      .select('refresh_token_hash')
      .where('id', '=', activation.activationId)
      .executeTakeFirstOrThrow();
    expect(stored.refresh_token_hash).not.toBe(activation.refreshToken);
    expect(stored.refresh_token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses wrong credentials the same way whether or not the account exists', async () => {
    const user = await licensedUser({ withPassword: true });
    const wrongPassword = await expectAllotError(
      activate({
        serverUrl: server.baseUrl,
        productCode: product.code,
        machineId: newMachineId(),
        credentials: { method: 'password', email: user.email, password: 'not the password' },
      }),
      'INVALID_CREDENTIALS',
    );
    const noAccount = await expectAllotError(
      activate({
        serverUrl: server.baseUrl,
        productCode: product.code,
        machineId: newMachineId(),
        credentials: { method: 'password', email: uniqueEmail('ghost'), password: 'not the password' },
      }),
      'INVALID_CREDENTIALS',
    );
    expect(wrongPassword.status).toBe(401);
    expect(noAccount.message).toBe(wrongPassword.message);
    await expectAllotError(
      activate({
        serverUrl: server.baseUrl,
        productCode: 'NO-SUCH-PRODUCT',
        machineId: newMachineId(),
        credentials: { method: 'password', email: user.email, password: PASSWORD },
      }),
      'PRODUCT_NOT_FOUND',
    );
    // A NUL character is bad input on both databases, never a server error.
    const nul = await server.client().post('/api/v1/activations', {
      productCode: 'a\u0000b',
      machineId: 'm\u0000',
      credentials: { method: 'app_password', email: 'x\u0000@example.test', appPassword: 'p' },
    });
    expect(nul.status, JSON.stringify(nul.body)).toBeGreaterThanOrEqual(400);
    expect(nul.status).toBeLessThan(500);
    const unlicensed = await signedInUser(server);
    await expectAllotError(
      activate({
        serverUrl: server.baseUrl,
        productCode: product.code,
        machineId: newMachineId(),
        credentials: { method: 'password', email: unlicensed.email, password: PASSWORD },
      }),
      'NO_LICENSE',
    );
  });

  it('asks accounts with two-factor for an app password, which works until it is revoked', async () => {
    const user = await licensedUser({ withPassword: true });
    await server.database.db.updateTable('users').set({ two_factor_enabled: 1 }).where('id', '=', user.userId).execute();
    const refused = await expectAllotError(
      activate({
        serverUrl: server.baseUrl,
        productCode: product.code,
        machineId: newMachineId(),
        credentials: { method: 'password', email: user.email, password: PASSWORD },
      }),
      'TWO_FACTOR_REQUIRED',
    );
    expect(refused.message).toMatch(/app password/);

    const appPassword = await appPasswordFor(user);
    const activation = await activateWithAppPassword(user, appPassword);
    expect(activation.licensee.email).toBe(user.email);

    const listed = await user.client.get('/api/v1/me/app-passwords');
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ name: 'Laptop IDE', hint: appPassword.slice(-4) });
    expect(listed.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(appPassword);
    const stored = await server.database.db.selectFrom('app_passwords').select('secret_hash').where('user_id', '=', user.userId).executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(appPassword);

    // Someone else's app password id answers 404; the owner's revoke works.
    const stranger = await person();
    expect((await stranger.client.delete(`/api/v1/me/app-passwords/${listed.body.items[0].id}`)).status).toBe(404);
    expect((await user.client.delete(`/api/v1/me/app-passwords/${listed.body.items[0].id}`)).status).toBe(204);
    await expectAllotError(activateWithAppPassword(user, appPassword), 'INVALID_CREDENTIALS');
  });

  it('asks for the account password to create an app password, tells the owner, and drops them all on a password reset', async () => {
    const user = await licensedUser({ withPassword: true });
    const wrong = await user.client.post('/api/v1/me/app-passwords', { name: 'Stolen session', currentPassword: 'not it' });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    // A stolen session cannot guess its way to the password: 5 tries a minute, like sign-in.
    for (let attempt = 0; attempt < 4; attempt += 1)
      await user.client.post('/api/v1/me/app-passwords', { name: 'Stolen session', currentPassword: `guess ${attempt}` });
    const limited = await user.client.post('/api/v1/me/app-passwords', { name: 'Stolen session', currentPassword: PASSWORD });
    expect([limited.status, limited.body.code]).toEqual([429, 'RATE_LIMITED']);
    await server.database.db.deleteFrom('rate_limits').where('key', 'like', 'app-password-confirm:%').execute();
    expect((await user.client.get('/api/v1/me/app-passwords')).body.items).toEqual([]);

    const appPassword = await appPasswordFor(user, 'CI runner');
    const notice = await smtp.waitFor((mail) => mail.to.includes(user.email) && mail.subject === 'A new app password was created');
    expect(notice.text).toContain('"CI runner"');
    expect(notice.text).not.toContain(appPassword);

    // A password reset through the emailed link takes every app password with it.
    expect((await server.client().post('/api/auth/request-password-reset', { email: user.email, redirectTo: '/reset-password' })).status).toBe(200);
    const landing = await openMailLink(server.client(), smtp, { email: user.email, subject: 'Reset your password' });
    const token = new URL(landing.headers.get('location')!, server.baseUrl).searchParams.get('token')!;
    expect((await server.client().post('/api/auth/reset-password', { token, newPassword: 'a brand new password' })).status).toBe(200);
    const count = await server.database.db.selectFrom('app_passwords').select('id').where('user_id', '=', user.userId).execute();
    expect(count).toEqual([]);
    await expectAllotError(activateWithAppPassword(user, appPassword), 'INVALID_CREDENTIALS');
  });

  it('activates through the device login once the person approves it in the browser', async () => {
    const user = await licensedUser();
    const machineId = newMachineId();
    let shownCode: { userCode: string; verificationUriComplete: string } | undefined;
    const approved = (async () => {
      while (!shownCode) await new Promise((resolve) => setTimeout(resolve, 20));
      // Polling before approval is answered "pending", and the product keeps waiting.
      const details = await user.client.get(`/api/v1/device-authorizations/${encodeURIComponent(shownCode.userCode.toLowerCase())}`);
      expect(details.status, JSON.stringify(details.body)).toBe(200);
      expect(details.body).toMatchObject({
        productCode: product.code,
        productName: 'CLion',
        machineId,
        machineName: 'workstation',
        holdsLicense: true,
        licenseState: 'ready',
      });
      // The product has polled and heard "pending" before the person decides.
      await expect
        .poll(
          async () =>
            (await server.database.db.selectFrom('device_authorizations').select('last_polled_at').where('machine_id', '=', machineId).executeTakeFirst())
              ?.last_polled_at,
          { timeout: 10_000 },
        )
        .not.toBeNull();
      const decision = await user.client.post(`/api/v1/device-authorizations/${shownCode.userCode}/decision`, { decision: 'approve' });
      expect(decision.status, JSON.stringify(decision.body)).toBe(204);
    })();
    const activation = await deviceLogin({
      serverUrl: server.baseUrl,
      productCode: product.code,
      machineId,
      machineName: 'workstation',
      onCode: (code) => {
        shownCode = code;
      },
    });
    await approved;
    expect(shownCode!.userCode).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    expect(shownCode!.verificationUriComplete).toBe(`${server.baseUrl}/device?code=${shownCode!.userCode}`);
    expect(activation.licensee.email).toBe(user.email);
    await verifyOffline(activation.ticket, await fetchJwks(server.baseUrl), { productCode: product.code, machineId });

    // The code is used up: approving or polling again does nothing.
    expect((await user.client.post(`/api/v1/device-authorizations/${shownCode!.userCode}/decision`, { decision: 'approve' })).body.code).toBe(
      'DEVICE_CODE_INVALID',
    );
  });

  it('answers pending, then denied, to a product polling a device login the person refuses', async () => {
    const user = await licensedUser();
    const machineId = newMachineId();
    const start = await server.client().post('/api/v1/device-authorizations', { productCode: product.code, machineId });
    expect(start.status).toBe(201);
    const poll = () =>
      server
        .client()
        .post('/api/v1/activations', { productCode: product.code, machineId, credentials: { method: 'device_code', deviceCode: start.body.deviceCode } });
    const pending = await poll();
    expect([pending.status, pending.body.code]).toEqual([400, 'DEVICE_AUTHORIZATION_PENDING']);
    // RFC 8628 slow_down: polling faster than the interval.
    const tooFast = await poll();
    expect(tooFast.body.code).toBe('DEVICE_SLOW_DOWN');
    expect((await user.client.post(`/api/v1/device-authorizations/${start.body.userCode}/decision`, { decision: 'deny' })).status).toBe(204);
    const denied = await poll();
    expect([denied.status, denied.body.code]).toEqual([403, 'DEVICE_AUTHORIZATION_DENIED']);
    expect(
      (
        await server
          .client()
          .post('/api/v1/activations', { productCode: product.code, machineId, credentials: { method: 'device_code', deviceCode: 'made-up' } })
      ).body.code,
    ).toBe('DEVICE_CODE_EXPIRED');
    // Looking codes up needs a session.
    expect((await server.client().get(`/api/v1/device-authorizations/${start.body.userCode}`)).status).toBe(401);
  });

  it('refreshes a ticket, records last seen, and refuses the refresh after the admin revokes the license', async () => {
    const user = await licensedUser();
    const appPassword = await appPasswordFor(user);
    const first = await activateWithAppPassword(user, appPassword);
    const seen = await server.database.db.selectFrom('licenses').select('last_seen_at').where('id', '=', user.licenseId).executeTakeFirstOrThrow();
    expect(seen.last_seen_at).not.toBeNull();

    const refreshed = await refresh(first, { productVersion: '2026.4' });
    await verifyOffline(refreshed.ticket, await fetchJwks(server.baseUrl), { productCode: product.code, machineId: first.machineId });
    expect(readTicketUnverified(refreshed.ticket).exp).toBeGreaterThanOrEqual(readTicketUnverified(first.ticket).exp);
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
    const machines = await user.client.get('/api/v1/me/machines');
    expect(machines.body.items).toEqual([
      expect.objectContaining({ id: first.activationId, licenseId: user.licenseId, machineName: 'build box', productVersion: '2026.4', kind: 'online' }),
    ]);

    await revoke(user.licenseId);
    // Last seen described that holder's use; the free seat starts blank.
    expect(
      (await server.database.db.selectFrom('licenses').select('last_seen_at').where('id', '=', user.licenseId).executeTakeFirstOrThrow()).last_seen_at,
    ).toBeNull();
    const refused = await expectAllotError(refresh(refreshed), 'LICENSE_REVOKED');
    expect(refused.status).toBe(403);
    // The machine's activation is over: even a retry is refused, and it left the account page.
    await expectAllotError(refresh(refreshed), 'ACTIVATION_ENDED');
    expect((await user.client.get('/api/v1/me/machines')).body.items).toEqual([]);

    const events = await server.database.db.selectFrom('audit_events').select(['action', 'details']).where('target_id', '=', user.licenseId).execute();
    const actions = events.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['activation.created', 'activation.refresh_denied']));
  });

  it('changes the refresh secret at every refresh, answers a repeated one the same way, and ends the activation when an older one shows up', async () => {
    const user = await licensedUser();
    const first = await activateWithAppPassword(user, await appPasswordFor(user));
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
    await expectAllotError(refresh(first), 'ACTIVATION_ENDED');
    await expectAllotError(refresh(third), 'ACTIVATION_ENDED');
    const row = await server.database.db
      .selectFrom('machine_activations')
      .select(['deactivated_at', 'deactivation_reason'])
      .where('id', '=', first.activationId)
      .executeTakeFirstOrThrow();
    expect(row.deactivation_reason).toBe('refresh_token_reused');
    const audit = await server.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'activation.refresh_denied')
      .where('target_id', '=', user.licenseId)
      .execute();
    expect(JSON.stringify(audit)).toContain('refresh_token_reused');
    // Secrets are stored only as hashes.
    const stored = await server.database.db.selectFrom('machine_activations').selectAll().where('id', '=', first.activationId).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(third.refreshToken!);
  });

  it('refuses to refresh a ticket once the license has expired, and to activate with it', async () => {
    const user = await licensedUser();
    const appPassword = await appPasswordFor(user);
    const activation = await activateWithAppPassword(user, appPassword);
    await server.database.db
      .updateTable('licenses')
      .set({ valid_until: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', user.licenseId)
      .execute();
    await expectAllotError(refresh(activation), 'LICENSE_EXPIRED');
    await expectAllotError(activateWithAppPassword(user, appPassword), 'LICENSE_EXPIRED');
  });

  it('makes a machine that stopped refreshing find a free seat again', async () => {
    const user = await licensedUser();
    const appPassword = await appPasswordFor(user);
    const dormant = await activateWithAppPassword(user, appPassword);
    await activateWithAppPassword(user, appPassword);
    // The dormant machine's ticket ran out, so its seat went to a third machine.
    await server.database.db
      .updateTable('machine_activations')
      .set({ ticket_expires_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', dormant.activationId)
      .execute();
    await activateWithAppPassword(user, appPassword);
    await expectAllotError(refresh(dormant), 'MACHINE_LIMIT_REACHED');
  });

  it('shows the activation as last seen in the admin license list', async () => {
    const user = await licensedUser();
    await activateWithAppPassword(user, await appPasswordFor(user));
    const list = await admin.client.get(`/api/v1/organizations/${organization.id}/licenses?q=${encodeURIComponent(user.email)}`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const row = list.body.items.find((item: { id: string }) => item.id === user.licenseId);
    expect(row.lastSeenAt).not.toBeNull();
    expect(Date.now() - new Date(row.lastSeenAt).getTime()).toBeLessThan(60_000);
    // …and, in the license's details, the machine it runs on.
    const machines = await admin.client.get(`/api/v1/licenses/${user.licenseId}/machines`);
    expect(machines.body.items).toEqual([expect.objectContaining({ machineName: 'build box', productVersion: '2026.3', kind: 'online' })]);
    expect((await user.client.get(`/api/v1/licenses/${user.licenseId}/machines`)).status).toBe(404);
  });

  it('rejects a tampered ticket, one for another machine or product, and an expired one', async () => {
    const user = await licensedUser();
    const machineId = newMachineId();
    const activation = await activateWithAppPassword(user, await appPasswordFor(user), machineId);
    const jwks = await fetchJwks(server.baseUrl);
    const [header, payload, signature] = activation.ticket.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const extended = Buffer.from(JSON.stringify({ ...claims, license: { ...claims.license, validUntil: '2099-01-01T00:00:00.000Z' } })).toString('base64url');
    await expectAllotError(verifyOffline(`${header}.${extended}.${signature}`, jwks, { productCode: product.code, machineId }), 'TICKET_INVALID');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    await expectAllotError(verifyOffline(`${header}.${payload}.${flipped}`, jwks, { productCode: product.code, machineId }), 'TICKET_INVALID');
    await expectAllotError(verifyOffline(activation.ticket, jwks, { productCode: product.code, machineId: 'another-machine' }), 'TICKET_WRONG_MACHINE');
    await expectAllotError(verifyOffline(activation.ticket, jwks, { productCode: 'OTHER', machineId }), 'TICKET_WRONG_PRODUCT');
    await expectAllotError(
      verifyOffline(activation.ticket, jwks, { productCode: product.code, machineId, now: new Date(Date.now() + 8 * 86_400_000) }),
      'TICKET_EXPIRED',
    );
    await expectAllotError(verifyOffline(activation.ticket, { keys: [] }, { productCode: product.code, machineId }), 'TICKET_UNKNOWN_KEY');
  });

  it('holds the machine limit under 20 parallel activations: exactly the limit succeeds', async () => {
    const user = await licensedUser();
    const appPassword = await appPasswordFor(user);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => activateWithAppPassword(user, appPassword)));
    const succeeded = results.filter((result): result is PromiseFulfilledResult<Activation> => result.status === 'fulfilled');
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(succeeded).toHaveLength(2);
    expect(refused.map((result) => (result.reason as AllotError).code)).toEqual(Array(18).fill('MACHINE_LIMIT_REACHED'));
    const limitError = refused[0]!.reason as AllotError;
    expect(limitError.status).toBe(409);
    expect(limitError.details).toMatchObject({ limit: 2 });
    expect(limitError.details.machines).toHaveLength(2);
    const live = await server.database.db
      .selectFrom('machine_activations')
      .select('id')
      .where('license_id', '=', user.licenseId)
      .where('deactivated_at', 'is', null)
      .execute();
    expect(live).toHaveLength(2);

    // An activated machine activating again keeps its seat; deactivating one frees a seat.
    const again = await activateWithAppPassword(user, appPassword, succeeded[0]!.value.machineId);
    expect(again.activationId).toBe(succeeded[0]!.value.activationId);
    expect((await user.client.delete(`/api/v1/me/machines/${succeeded[1]!.value.activationId}`)).status).toBe(204);
    await expectAllotError(refresh(succeeded[1]!.value), 'ACTIVATION_ENDED');
    const third = await activateWithAppPassword(user, appPassword);
    expect(third.licensee.email).toBe(user.email);
    // Another person's machine answers 404.
    const stranger = await person();
    expect((await stranger.client.delete(`/api/v1/me/machines/${third.activationId}`)).status).toBe(404);
  });

  it("follows the product's machine limit, which an operator sets", async () => {
    const operator = await person();
    await makeOperator(server, operator.userId);
    const created = await operator.client.post('/api/v1/products', { code: `THREE-${process.pid}`, name: 'Three seats', machineLimit: 3 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.machineLimit).toBe(3);
    expect((await operator.client.post('/api/v1/products', { code: `ZERO-${process.pid}`, name: 'Zero', machineLimit: 0 })).body.code).toBe(
      'VALIDATION_FAILED',
    );
    const order = await placeOrder(server, { organizationId: organization.id, productCode: created.body.code, quantity: 1 });
    const user = await person();
    const assigned = await admin.client.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: created.body.id, emails: [user.email] });
    expect(assigned.status).toBe(200);
    const appPassword = (await user.client.post('/api/v1/me/app-passwords', { name: 'seats', currentPassword: PASSWORD })).body.password as string;
    const activateThree = () =>
      activate({
        serverUrl: server.baseUrl,
        productCode: created.body.code,
        machineId: newMachineId(),
        credentials: { method: 'app_password', email: user.email, appPassword },
      });
    for (let seat = 0; seat < 3; seat += 1) await activateThree();
    const refused = await expectAllotError(activateThree(), 'MACHINE_LIMIT_REACHED');
    expect(refused.details).toMatchObject({ limit: 3 });
    const raised = await operator.client.request('PATCH', `/api/v1/products/${created.body.id}`, { json: { machineLimit: 4 } });
    expect(raised.body.machineLimit).toBe(4);
    await activateThree();
  });

  it('keeps verifying tickets of a rotated-out key until they expire, while new tickets use the new key', async () => {
    const user = await licensedUser();
    const operator = await person();
    await makeOperator(server, operator.userId);
    const appPassword = await appPasswordFor(user);
    const machineId = newMachineId();
    const before = await activateWithAppPassword(user, appPassword, machineId);
    const oldKid = readKid(before.ticket);

    const rotated = await operator.client.post('/api/v1/signing-keys/rotate', {});
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
    expect(rotated.body.retired).toContain(oldKid);
    expect((await user.client.post('/api/v1/signing-keys/rotate', {})).status).toBe(403);

    const after = await refresh(before);
    expect(readKid(after.ticket)).toBe(rotated.body.kid);
    const jwks = await fetchJwks(server.baseUrl);
    expect(jwks.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, rotated.body.kid]));
    await verifyOffline(before.ticket, jwks, { productCode: product.code, machineId });
    await verifyOffline(after.ticket, jwks, { productCode: product.code, machineId });
    await expectAllotError(
      verifyOffline(before.ticket, jwks, { productCode: product.code, machineId, now: new Date(Date.now() + 8 * 86_400_000) }),
      'TICKET_EXPIRED',
    );

    // Once every ticket it signed has expired, the old key leaves the JWKS; the signing key stays.
    const published = async (at: Date) => (await signingKeysRepository.listPublished(server.database.db, at)).map((key) => key.kid);
    const lastExpiry = new Date(readTicketUnverified(before.ticket).exp * 1000);
    expect(await published(new Date(lastExpiry.getTime() - 60_000))).toContain(oldKid);
    const later = await published(new Date(Date.now() + 400 * 86_400_000));
    expect(later).toContain(rotated.body.kid);
    expect(later).not.toContain(oldKid);
    const audit = await server.database.db.selectFrom('audit_events').select('action').where('target_id', '=', rotated.body.kid).execute();
    expect(audit.map((event) => event.action)).toEqual(['signing_key.rotated']);
  });

  it('rotates keys from the CLI, storing private keys only sealed with the instance secret', async () => {
    const lines: string[] = [];
    const environment = {
      DATABASE_URL: server.testDatabase.config.dialect === 'sqlite' ? `sqlite:${server.testDatabase.config.file}` : server.testDatabase.config.connectionString,
      AUTH_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    };
    const exitCode = await runCli(['keys', 'rotate'], environment, { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    expect(exitCode, lines.join('\n')).toBe(0);
    expect(lines[0]).toMatch(/^New signing key \S+ signs license tickets/);
    const keys = await server.database.db.selectFrom('signing_keys').select(['kid', 'private_key_sealed', 'retired_at']).execute();
    expect(keys.filter((key) => key.retired_at === null)).toHaveLength(1);
    for (const key of keys) {
      expect(key.private_key_sealed).toMatch(/^v1\./);
      expect(key.private_key_sealed).not.toContain('PRIVATE KEY');
    }
  });

  it('lets products call the activation routes from a browser page on any origin, and no cookie route', async () => {
    const preflight = await fetch(`${server.baseUrl}/api/v1/activations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://product.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const jwks = await fetch(`${server.baseUrl}/.well-known/jwks.json`, { headers: { origin: 'https://product.example' } });
    expect(jwks.headers.get('access-control-allow-origin')).toBe('*');
    const cookieRoute = await fetch(`${server.baseUrl}/api/v1/me/machines`, { headers: { origin: 'https://product.example' } });
    expect(cookieRoute.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits activation attempts per account, answering 429 with Retry-After', async () => {
    const email = uniqueEmail('guesser');
    let last = await server.client().get('/healthz');
    for (let attempt = 0; attempt < 31; attempt += 1) {
      last = await server.client().post('/api/v1/activations', {
        productCode: product.code,
        machineId: 'm',
        credentials: { method: 'app_password', email, appPassword: `guess-${attempt}` },
      });
      if (attempt < 30) expect(last.status).toBe(401);
    }
    expect(last.status).toBe(429);
    expect(last.body.code).toBe('RATE_LIMITED');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('runs the demo product: activate with an app password, verify offline, and stop after a revoke', async () => {
    const user = await licensedUser();
    const appPassword = await appPasswordFor(user, 'Demo product');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-demo-'));
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const environment = { ALLOT_SERVER_URL: server.baseUrl, ALLOT_PRODUCT: product.code, ALLOT_DEMO_HOME: home };
    try {
      expect(await demoProduct(['run'], environment, output)).toBe(3);
      expect(await demoProduct(['activate', '--email', user.email, '--app-password', appPassword], environment, output), lines.join('\n')).toBe(0);
      expect(await demoProduct(['status'], environment, output)).toBe(0);
      expect(lines.join('\n')).toContain(`Licensed: CLion for ${user.email}`);
      expect(await demoProduct(['run'], environment, output)).toBe(0);
      expect(fs.statSync(path.join(home, 'activation.json')).mode & 0o077).toBe(0);

      await revoke(user.licenseId);
      lines.length = 0;
      expect(await demoProduct(['refresh'], environment, output)).toBe(3);
      expect(lines.join('\n')).toContain('LICENSE_REVOKED');
      expect(await demoProduct(['run'], environment, output)).toBe(3);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('issues an offline code that verifies with no server, redeems it once online, and refuses it after a renewal', async () => {
    const user = await licensedUser();
    const machineId = newMachineId();
    const stranger = await person();
    expect((await stranger.client.post(`/api/v1/me/licenses/${user.licenseId}/offline-code`, { machineId })).status).toBe(404);
    const issued = await user.client.post(`/api/v1/me/licenses/${user.licenseId}/offline-code`, { machineId, machineName: 'air-gapped lab PC' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.refreshToken).toBeNull();
    const code = issued.body.ticket as string;
    const claims = readTicketUnverified(code);
    expect(claims.kind).toBe('offline');
    // Its expiry is the license's valid-until.
    expect(new Date(claims.exp * 1000).getTime()).toBe(Math.floor(new Date(claims.license.validUntil).getTime() / 1000) * 1000);
    const machines = await user.client.get('/api/v1/me/machines');
    expect(machines.body.items).toEqual([expect.objectContaining({ machineId, kind: 'offline', machineName: 'air-gapped lab PC' })]);

    // Once back online, the code becomes an online activation of the same machine.
    const online = await refresh({ serverUrl: server.baseUrl, machineId, ticket: code, refreshToken: null });
    expect(online.refreshToken).not.toBeNull();
    expect(readTicketUnverified(online.ticket).kind).toBe('online');
    // Shown again right away (a lost answer): the same activation, no second one.
    const again = await refresh({ serverUrl: server.baseUrl, machineId, ticket: code, refreshToken: null });
    expect(again.refreshToken).toBe(online.refreshToken);
    // Once the online activation moved on, the code shown again means a copy: the activation ends.
    await refresh(online);
    await expectAllotError(refresh({ serverUrl: server.baseUrl, machineId, ticket: code, refreshToken: null }), 'ACTIVATION_ENDED');

    // A renewal changes the license's valid-until: a code issued before it is not redeemed.
    const renewedCode = (await user.client.post(`/api/v1/me/licenses/${user.licenseId}/offline-code`, { machineId })).body.ticket as string;
    await placeOrder(server, {
      organizationId: organization.id,
      productCode: product.code,
      quantity: 40,
      validUntil: new Date(Date.now() + 800 * 86_400_000),
      renewsReference: orderReference,
    });
    await expectAllotError(refresh({ serverUrl: server.baseUrl, machineId, ticket: renewedCode, refreshToken: null }), 'OFFLINE_CODE_SUPERSEDED');

    // With the keys saved earlier, the code checks out with no server at all.
    const jwks = await fetchJwks(server.baseUrl);
    const offlineServer = await startTestServer({ dialect });
    const unreachable = offlineServer.baseUrl;
    await offlineServer.destroy();
    await expect(fetch(`${unreachable}/healthz`)).rejects.toThrow();
    const verified = await verifyOffline(code, jwks, { productCode: product.code, machineId, issuer: server.baseUrl });
    expect(verified.licensee.email).toBe(user.email);
  });
});

function readKid(ticket: string): string {
  return JSON.parse(Buffer.from(ticket.split('.')[0]!, 'base64url').toString('utf8')).kid;
}
