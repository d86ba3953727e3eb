import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifiedUser, openMailLink, signUp, uniqueEmail } from '../support/accounts.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DIALECTS)('first-run setup on %s', (dialect) => {
  let server: TestServer;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ dialect, smtp });
  });
  afterAll(async () => {
    await server?.destroy();
    await smtp?.stop();
  });

  it('works once and only once, and makes the named admin an org admin and operator after verification', async () => {
    const token = await server.services.setup.issueSetupToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const anonymous = server.client();
    expect((await anonymous.get('/api/v1/instance')).body.setupRequired).toBe(true);

    const bogus = await anonymous.post('/api/v1/setup', { token: 'x'.repeat(43), organizationName: 'Acme', adminEmail: 'a@acme.test' });
    expect(bogus.status).toBe(404);
    expect(bogus.body.code).toBe('SETUP_TOKEN_INVALID');
    expect((await anonymous.post('/api/v1/setup/check', { token })).body).toEqual({ valid: true, setupRequired: true });

    const adminEmail = uniqueEmail('Admin');
    const created = await anonymous.post('/api/v1/setup', { token, organizationName: 'Acme Corp', adminEmail });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ organization: { name: 'Acme Corp' }, adminEmail: adminEmail.toLowerCase(), adminAccountExists: false });

    const again = await anonymous.post('/api/v1/setup', { token, organizationName: 'Evil Corp', adminEmail: 'evil@example.test' });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('SETUP_TOKEN_INVALID');
    expect((await anonymous.post('/api/v1/setup/check', { token })).body).toEqual({ valid: false, setupRequired: false });
    expect((await anonymous.get('/api/v1/instance')).body.setupRequired).toBe(false);
    expect(await server.services.setup.issueSetupToken(), 'no new links once set up').toBeUndefined();

    const admin = server.client();
    await createVerifiedUser(admin, smtp, { email: adminEmail.toLowerCase() });
    const me = await admin.get('/api/v1/me');
    expect(me.body.isOperator).toBe(true);
    expect(me.body.organizations).toEqual([{ id: created.body.organization.id, name: 'Acme Corp', role: 'org_admin' }]);
  });

  it('holds a role named for an address until its owner verifies it', async () => {
    const organization = await server.database.db.selectFrom('organizations').select('id').executeTakeFirstOrThrow();
    const email = uniqueEmail('viewer');
    await server.services.grants.grantByEmail(server.database.db, { email, organizationId: organization.id, role: 'org_viewer', operator: false });

    const client = server.client();
    await signUp(client, { email });
    const user = await server.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const rolesBefore = await server.database.db.selectFrom('organization_roles').selectAll().where('user_id', '=', user.id).execute();
    expect(rolesBefore).toEqual([]);

    await openMailLink(client, smtp, { email, subject: 'Verify your email address' });
    const me = await client.get('/api/v1/me');
    expect(me.body).toMatchObject({ isOperator: false, organizations: [{ id: organization.id, role: 'org_viewer' }] });
  });

  it('rejects a malformed setup request with the fields named', async () => {
    const response = await server.client().post('/api/v1/setup', { token: 'short', organizationName: '', adminEmail: 'not-an-email' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(response.body.fields).sort()).toEqual(['adminEmail', 'organizationName', 'token']);
    expect(response.body.requestId).toBeTruthy();
  });
});
