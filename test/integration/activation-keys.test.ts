import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchJwks, readTicketUnverified, refresh, verifyOffline } from '../../packages/client/src/index.js';
import { main as demoProduct } from '../../packages/demo-product/src/cli.js';
import { runCli } from '../../src/cli/main.js';
import { signingKeysRepository } from '../../src/modules/signing-keys/signing-keys.repository.js';
import { uniqueEmail } from '../support/accounts.js';
import { makeOperator, placeOrder } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import { useActivationServer } from '../support/activation-server.js';

import { startTestServer, TEST_SECRET } from '../support/test-server.js';

describe.each(DIALECTS)('signing keys, offline codes, CORS and the demo product on %s', (dialect) => {
  const f = useActivationServer(dialect);

  it('keeps verifying tickets of a rotated-out key until they expire, while new tickets use the new key', async () => {
    const user = await f.licensedUser();
    const operator = await f.person();
    await makeOperator(f.server, operator.userId);
    const appPassword = await f.appPasswordFor(user);
    const machineId = f.newMachineId();
    const before = await f.activateWithAppPassword(user, appPassword, machineId);
    const oldKid = readKid(before.ticket);

    const rotated = await operator.client.post('/api/v1/signing-keys/rotate', {});
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
    expect(rotated.body.retired).toContain(oldKid);
    expect((await user.client.post('/api/v1/signing-keys/rotate', {})).status).toBe(403);

    const after = await refresh(before);
    expect(readKid(after.ticket)).toBe(rotated.body.kid);
    const jwks = await fetchJwks(f.server.baseUrl);
    expect(jwks.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, rotated.body.kid]));
    await verifyOffline(before.ticket, jwks, { productCode: f.product.code, machineId });
    await verifyOffline(after.ticket, jwks, { productCode: f.product.code, machineId });
    await f.expectAllotError(
      verifyOffline(before.ticket, jwks, { productCode: f.product.code, machineId, now: new Date(Date.now() + 8 * 86_400_000) }),
      'TICKET_EXPIRED',
    );

    // Once every ticket it signed has expired, the old key leaves the JWKS; the signing key stays.
    const published = async (at: Date) => (await signingKeysRepository.listPublished(f.server.database.db, at)).map((key) => key.kid);
    const lastExpiry = new Date(readTicketUnverified(before.ticket).exp * 1000);
    expect(await published(new Date(lastExpiry.getTime() - 60_000))).toContain(oldKid);
    const later = await published(new Date(Date.now() + 400 * 86_400_000));
    expect(later).toContain(rotated.body.kid);
    expect(later).not.toContain(oldKid);
    const audit = await f.server.database.db.selectFrom('audit_events').select('action').where('target_id', '=', rotated.body.kid).execute();
    expect(audit.map((event) => event.action)).toEqual(['signing_key.rotated']);
  });

  it('rotates keys from the CLI, storing private keys only sealed with the instance secret', async () => {
    const lines: string[] = [];
    const environment = {
      DATABASE_URL:
        f.server.testDatabase.config.dialect === 'sqlite' ? `sqlite:${f.server.testDatabase.config.file}` : f.server.testDatabase.config.connectionString,
      AUTH_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    };
    const exitCode = await runCli(['keys', 'rotate'], environment, { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    expect(exitCode, lines.join('\n')).toBe(0);
    expect(lines[0]).toMatch(/^New signing key \S+ signs license tickets/);
    const keys = await f.server.database.db.selectFrom('signing_keys').select(['kid', 'private_key_sealed', 'retired_at']).execute();
    expect(keys.filter((key) => key.retired_at === null)).toHaveLength(1);
    for (const key of keys) {
      expect(key.private_key_sealed).toMatch(/^v1\./);
      expect(key.private_key_sealed).not.toContain('PRIVATE KEY');
    }
  });

  it('lets products call the activation routes from a browser page on any origin, and no cookie route', async () => {
    const preflight = await fetch(`${f.server.baseUrl}/api/v1/activations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://f.product.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const jwks = await fetch(`${f.server.baseUrl}/.well-known/jwks.json`, { headers: { origin: 'https://f.product.example' } });
    expect(jwks.headers.get('access-control-allow-origin')).toBe('*');
    const cookieRoute = await fetch(`${f.server.baseUrl}/api/v1/me/machines`, { headers: { origin: 'https://f.product.example' } });
    expect(cookieRoute.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits activation attempts per account, answering 429 with Retry-After', async () => {
    const email = uniqueEmail('guesser');
    let last = await f.server.client().get('/healthz');
    for (let attempt = 0; attempt < 31; attempt += 1) {
      last = await f.server.client().post('/api/v1/activations', {
        productCode: f.product.code,
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
    const user = await f.licensedUser();
    const appPassword = await f.appPasswordFor(user, 'Demo f.product');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-demo-'));
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const environment = { ALLOT_SERVER_URL: f.server.baseUrl, ALLOT_PRODUCT: f.product.code, ALLOT_DEMO_HOME: home };
    try {
      expect(await demoProduct(['run'], environment, output)).toBe(3);
      expect(await demoProduct(['activate', '--email', user.email, '--app-password', appPassword], environment, output), lines.join('\n')).toBe(0);
      expect(await demoProduct(['status'], environment, output)).toBe(0);
      expect(lines.join('\n')).toContain(`Licensed: CLion for ${user.email}`);
      expect(await demoProduct(['run'], environment, output)).toBe(0);
      expect(fs.statSync(path.join(home, 'activation.json')).mode & 0o077).toBe(0);

      await f.revoke(user.licenseId);
      lines.length = 0;
      expect(await demoProduct(['refresh'], environment, output)).toBe(3);
      expect(lines.join('\n')).toContain('LICENSE_REVOKED');
      expect(await demoProduct(['run'], environment, output)).toBe(3);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('issues an offline code that verifies with no server, redeems it once online, and refuses it after a renewal', async () => {
    const user = await f.licensedUser();
    const machineId = f.newMachineId();
    const stranger = await f.person();
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
    const online = await refresh({ serverUrl: f.server.baseUrl, machineId, ticket: code, refreshToken: null });
    expect(online.refreshToken).not.toBeNull();
    expect(readTicketUnverified(online.ticket).kind).toBe('online');
    // Shown again right away (a lost answer): the same activation, no second one.
    const again = await refresh({ serverUrl: f.server.baseUrl, machineId, ticket: code, refreshToken: null });
    expect(again.refreshToken).toBe(online.refreshToken);
    // Once the online activation moved on, the code shown again means a copy: the activation ends.
    await refresh(online);
    await f.expectAllotError(refresh({ serverUrl: f.server.baseUrl, machineId, ticket: code, refreshToken: null }), 'ACTIVATION_ENDED');

    // A renewal changes the license's valid-until: a code issued before it is not redeemed.
    const renewedCode = (await user.client.post(`/api/v1/me/licenses/${user.licenseId}/offline-code`, { machineId })).body.ticket as string;
    await placeOrder(f.server, {
      organizationId: f.organization.id,
      productCode: f.product.code,
      quantity: 40,
      validUntil: new Date(Date.now() + 800 * 86_400_000),
      renewsReference: f.orderReference,
    });
    await f.expectAllotError(refresh({ serverUrl: f.server.baseUrl, machineId, ticket: renewedCode, refreshToken: null }), 'OFFLINE_CODE_SUPERSEDED');

    // With the keys saved earlier, the code checks out with no f.server at all.
    const jwks = await fetchJwks(f.server.baseUrl);
    const offlineServer = await startTestServer({ dialect });
    const unreachable = offlineServer.baseUrl;
    await offlineServer.destroy();
    await expect(fetch(`${unreachable}/healthz`)).rejects.toThrow();
    const verified = await verifyOffline(code, jwks, { productCode: f.product.code, machineId, issuer: f.server.baseUrl });
    expect(verified.licensee.email).toBe(user.email);
  });
});

function readKid(ticket: string): string {
  return JSON.parse(Buffer.from(ticket.split('.')[0]!, 'base64url').toString('utf8')).kid;
}
