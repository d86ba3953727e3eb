import { describe, expect, it } from 'vitest';
import { activate, deviceLogin, fetchJwks, verifyOffline } from '../../packages/client/src/index.js';

import { openMailLink, PASSWORD, uniqueEmail } from '../support/accounts.js';
import { signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import { useActivationServer } from '../support/activation-server.js';

describe.each(DIALECTS)('product activation: credentials, app passwords and device login on %s', (dialect) => {
  const f = useActivationServer(dialect);

  it('activates with email and password, and the ticket names license, product, licensee, organization, machine and key', async () => {
    const user = await f.licensedUser({ withPassword: true });
    const machineId = f.newMachineId();
    const activation = await activate({
      serverUrl: f.server.baseUrl,
      productCode: f.product.code,
      machineId,
      credentials: { method: 'password', email: user.email, password: PASSWORD },
    });

    const jwks = await fetchJwks(f.server.baseUrl);
    const claims = await verifyOffline(activation.ticket, jwks, { productCode: f.product.code, machineId, issuer: f.server.baseUrl });
    expect(claims).toMatchObject({
      sub: user.licenseId,
      kind: 'online',
      product: { code: f.product.code, name: 'CLion' },
      licensee: { id: user.userId, email: user.email },
      organization: { id: f.organization.id, name: 'Acme Robotics' },
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
    const stored = await f.server.database.db
      .selectFrom('machine_activations')
      .select('refresh_token_hash')
      .where('id', '=', activation.activationId)
      .executeTakeFirstOrThrow();
    expect(stored.refresh_token_hash).not.toBe(activation.refreshToken);
    expect(stored.refresh_token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses wrong credentials the same way whether or not the account exists', async () => {
    const user = await f.licensedUser({ withPassword: true });
    const wrongPassword = await f.expectAllotError(
      activate({
        serverUrl: f.server.baseUrl,
        productCode: f.product.code,
        machineId: f.newMachineId(),
        credentials: { method: 'password', email: user.email, password: 'not the password' },
      }),
      'INVALID_CREDENTIALS',
    );
    const noAccount = await f.expectAllotError(
      activate({
        serverUrl: f.server.baseUrl,
        productCode: f.product.code,
        machineId: f.newMachineId(),
        credentials: { method: 'password', email: uniqueEmail('ghost'), password: 'not the password' },
      }),
      'INVALID_CREDENTIALS',
    );
    expect(wrongPassword.status).toBe(401);
    expect(noAccount.message).toBe(wrongPassword.message);
    await f.expectAllotError(
      activate({
        serverUrl: f.server.baseUrl,
        productCode: 'NO-SUCH-PRODUCT',
        machineId: f.newMachineId(),
        credentials: { method: 'password', email: user.email, password: PASSWORD },
      }),
      'PRODUCT_NOT_FOUND',
    );
    // A NUL character is bad input on both databases, never a f.server error.
    const nul = await f.server.client().post('/api/v1/activations', {
      productCode: 'a\u0000b',
      machineId: 'm\u0000',
      credentials: { method: 'app_password', email: 'x\u0000@example.test', appPassword: 'p' },
    });
    expect(nul.status, JSON.stringify(nul.body)).toBeGreaterThanOrEqual(400);
    expect(nul.status).toBeLessThan(500);
    const unlicensed = await signedInUser(f.server);
    await f.expectAllotError(
      activate({
        serverUrl: f.server.baseUrl,
        productCode: f.product.code,
        machineId: f.newMachineId(),
        credentials: { method: 'password', email: unlicensed.email, password: PASSWORD },
      }),
      'NO_LICENSE',
    );
  });

  it('asks accounts with two-factor for an app password, which works until it is revoked', async () => {
    const user = await f.licensedUser({ withPassword: true });
    await f.server.database.db.updateTable('users').set({ two_factor_enabled: 1 }).where('id', '=', user.userId).execute();
    const refused = await f.expectAllotError(
      activate({
        serverUrl: f.server.baseUrl,
        productCode: f.product.code,
        machineId: f.newMachineId(),
        credentials: { method: 'password', email: user.email, password: PASSWORD },
      }),
      'TWO_FACTOR_REQUIRED',
    );
    expect(refused.message).toMatch(/app password/);

    const appPassword = await f.appPasswordFor(user);
    const activation = await f.activateWithAppPassword(user, appPassword);
    expect(activation.licensee.email).toBe(user.email);

    const listed = await user.client.get('/api/v1/me/app-passwords');
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ name: 'Laptop IDE', hint: appPassword.slice(-4) });
    expect(listed.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(appPassword);
    const stored = await f.server.database.db.selectFrom('app_passwords').select('secret_hash').where('user_id', '=', user.userId).executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(appPassword);

    // Someone else's app password id answers 404; the owner's f.revoke works.
    const stranger = await f.person();
    expect((await stranger.client.delete(`/api/v1/me/app-passwords/${listed.body.items[0].id}`)).status).toBe(404);
    expect((await user.client.delete(`/api/v1/me/app-passwords/${listed.body.items[0].id}`)).status).toBe(204);
    await f.expectAllotError(f.activateWithAppPassword(user, appPassword), 'INVALID_CREDENTIALS');
  });

  it('asks for the account password to create an app password, tells the owner, and drops them all on a password reset', async () => {
    const user = await f.licensedUser({ withPassword: true });
    const wrong = await user.client.post('/api/v1/me/app-passwords', { name: 'Stolen session', currentPassword: 'not it' });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    // A stolen session cannot guess its way to the password: 5 tries a minute, like sign-in.
    for (let attempt = 0; attempt < 4; attempt += 1)
      await user.client.post('/api/v1/me/app-passwords', { name: 'Stolen session', currentPassword: `guess ${attempt}` });
    const limited = await user.client.post('/api/v1/me/app-passwords', { name: 'Stolen session', currentPassword: PASSWORD });
    expect([limited.status, limited.body.code]).toEqual([429, 'RATE_LIMITED']);
    await f.server.database.db.deleteFrom('rate_limits').where('key', 'like', 'app-password-confirm:%').execute();
    expect((await user.client.get('/api/v1/me/app-passwords')).body.items).toEqual([]);

    const appPassword = await f.appPasswordFor(user, 'CI runner');
    const notice = await f.smtp.waitFor((mail) => mail.to.includes(user.email) && mail.subject === 'A new app password was created');
    expect(notice.text).toContain('"CI runner"');
    expect(notice.text).not.toContain(appPassword);

    // A password reset through the emailed link takes every app password with it.
    expect((await f.server.client().post('/api/auth/request-password-reset', { email: user.email, redirectTo: '/reset-password' })).status).toBe(200);
    const landing = await openMailLink(f.server.client(), f.smtp, { email: user.email, subject: 'Reset your password' });
    const token = new URL(landing.headers.get('location')!, f.server.baseUrl).searchParams.get('token')!;
    expect((await f.server.client().post('/api/auth/reset-password', { token, newPassword: 'a brand new password' })).status).toBe(200);
    const count = await f.server.database.db.selectFrom('app_passwords').select('id').where('user_id', '=', user.userId).execute();
    expect(count).toEqual([]);
    await f.expectAllotError(f.activateWithAppPassword(user, appPassword), 'INVALID_CREDENTIALS');
  });

  it('activates through the device login once the person approves it in the browser', async () => {
    const user = await f.licensedUser();
    const machineId = f.newMachineId();
    let shownCode: { userCode: string; verificationUriComplete: string } | undefined;
    const approved = (async () => {
      while (!shownCode) await new Promise((resolve) => setTimeout(resolve, 20));
      // Polling before approval is answered "pending", and the f.product keeps waiting.
      const details = await user.client.get(`/api/v1/device-authorizations/${encodeURIComponent(shownCode.userCode.toLowerCase())}`);
      expect(details.status, JSON.stringify(details.body)).toBe(200);
      expect(details.body).toMatchObject({
        productCode: f.product.code,
        productName: 'CLion',
        machineId,
        machineName: 'workstation',
        holdsLicense: true,
        licenseState: 'ready',
      });
      // The f.product has polled and heard "pending" before the f.person decides.
      await expect
        .poll(
          async () =>
            (await f.server.database.db.selectFrom('device_authorizations').select('last_polled_at').where('machine_id', '=', machineId).executeTakeFirst())
              ?.last_polled_at,
          { timeout: 10_000 },
        )
        .not.toBeNull();
      const decision = await user.client.post(`/api/v1/device-authorizations/${shownCode.userCode}/decision`, { decision: 'approve' });
      expect(decision.status, JSON.stringify(decision.body)).toBe(204);
    })();
    const activation = await deviceLogin({
      serverUrl: f.server.baseUrl,
      productCode: f.product.code,
      machineId,
      machineName: 'workstation',
      onCode: (code) => {
        shownCode = code;
      },
    });
    await approved;
    expect(shownCode!.userCode).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    expect(shownCode!.verificationUriComplete).toBe(`${f.server.baseUrl}/device?code=${shownCode!.userCode}`);
    expect(activation.licensee.email).toBe(user.email);
    await verifyOffline(activation.ticket, await fetchJwks(f.server.baseUrl), { productCode: f.product.code, machineId });

    // The code is used up: approving or polling again does nothing.
    expect((await user.client.post(`/api/v1/device-authorizations/${shownCode!.userCode}/decision`, { decision: 'approve' })).body.code).toBe(
      'DEVICE_CODE_INVALID',
    );
  });

  it('answers pending, then denied, to a product polling a device login the person refuses', async () => {
    const user = await f.licensedUser();
    const machineId = f.newMachineId();
    const start = await f.server.client().post('/api/v1/device-authorizations', { productCode: f.product.code, machineId });
    expect(start.status).toBe(201);
    const poll = () =>
      f.server
        .client()
        .post('/api/v1/activations', { productCode: f.product.code, machineId, credentials: { method: 'device_code', deviceCode: start.body.deviceCode } });
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
        await f.server
          .client()
          .post('/api/v1/activations', { productCode: f.product.code, machineId, credentials: { method: 'device_code', deviceCode: 'made-up' } })
      ).body.code,
    ).toBe('DEVICE_CODE_EXPIRED');
    // Looking codes up needs a session.
    expect((await f.server.client().get(`/api/v1/device-authorizations/${start.body.userCode}`)).status).toBe(401);
  });
});
