import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifiedUser, signUp, uniqueEmail } from '../support/accounts.js';
import { createOrganization, grantOrgRole, signedInUser } from '../support/console.js';
import { DIALECTS, dumpAllRows } from '../support/databases.js';
import { memoryLog } from '../support/memory-log.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The secret part of an emailed link: the token in its query or its last path segment. */
function secretOf(link: string): string {
  const url = new URL(link);
  return url.searchParams.get('token') ?? url.pathname.split('/').at(-1)!;
}

describe.each(DIALECTS)('secrets at rest and in logs on %s', (dialect) => {
  let server: TestServer;
  let smtp: TestSmtpServer;
  const log = memoryLog();
  const announced: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ dialect, smtp, log: { level: 'debug', destination: log.destination }, announce: (line) => announced.push(line) });
  });
  afterAll(async () => {
    await server?.destroy();
    await smtp?.stop();
  });

  /** The links of every message sent so far that act as someone: verification, reset, invitations. */
  const credentialLinks = () => smtp.received.flatMap((mail) => mail.links).filter((link) => /token=|\/reset-password\/|\/invite\//.test(link));

  it('keeps no working link in a copy of the database, waiting or delivered', async () => {
    const waiting = uniqueEmail('waiting');
    smtp.down();
    try {
      await signUp(server.client(), { email: waiting });
      await server.client().post('/api/auth/request-password-reset', { email: waiting, redirectTo: '/reset-password' });
      // While SMTP refuses, the messages wait sealed: the dump holds neither link nor any token.
      const queued = await server.database.db.selectFrom('outbox').select(['text_body', 'html_body']).where('to_address', '=', waiting).execute();
      expect(queued.map((row) => [row.text_body.slice(0, 10), row.html_body])).toEqual([
        ['sealed:v1.', null],
        ['sealed:v1.', null],
      ]);
      const whileWaiting = await dumpAllRows(server.database);
      expect(whileWaiting).not.toContain('verify-email?token=');
      expect(whileWaiting).not.toContain('reset-password');
    } finally {
      smtp.up();
    }
    await server.database.db.updateTable('outbox').set({ next_attempt_at: new Date().toISOString() }).where('to_address', '=', waiting).execute();

    // Verification, password reset and an admin invitation, delivered.
    const { email } = await createVerifiedUser(server.client(), smtp);
    await server.client().post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' });
    await smtp.waitFor((mail) => mail.to.includes(email) && mail.subject === 'Reset your password');
    const admin = await signedInUser(server);
    const organization = await createOrganization(server, `Sealed ${dialect}`);
    await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
    const invitee = uniqueEmail('invitee');
    expect((await admin.client.post(`/api/v1/organizations/${organization.id}/admin-invitations`, { email: invitee, role: 'org_admin' })).status).toBe(201);
    await smtp.waitFor((mail) => mail.to.includes(invitee));
    await smtp.waitFor((mail) => mail.to.includes(waiting) && mail.subject === 'Verify your email address');

    const links = credentialLinks();
    expect(links.length).toBeGreaterThanOrEqual(4);
    // Delivered bodies are erased once SMTP took them.
    await expect
      .poll(
        async () =>
          (await server.database.db.selectFrom('outbox').select('text_body').where('status', '=', 'sent').execute()).filter((row) => row.text_body !== '')
            .length,
      )
      .toBe(0);

    const dump = await dumpAllRows(server.database);
    for (const link of links) {
      expect(dump, `the database holds ${link}`).not.toContain(secretOf(link));
    }
    if (server.testDatabase.config.dialect === 'sqlite') {
      // The file itself too, with its write-ahead log: no page ever held a body in the clear.
      const file = server.testDatabase.config.file;
      const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]).toString('latin1');
      for (const link of links) expect(bytes.includes(secretOf(link)), `the SQLite file holds ${link}`).toBe(false);
    }
  });

  it('writes no token into any log line: request URLs, redirects, errors or mail notices', async () => {
    const { email } = await createVerifiedUser(server.client(), smtp);
    await server.client().post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' });
    const reset = await smtp.waitFor((mail) => mail.to.includes(email) && mail.subject === 'Reset your password');
    // Opening the reset link (a token in the path) redirects to a page with the token in the query.
    const opened = await server.client().get(reset.links[0]!.slice(server.baseUrl.length));
    expect(opened.status).toBe(302);
    await server.client().get(opened.headers.get('location')!.replace(server.baseUrl, ''), { headers: { accept: 'text/html' } });
    // A page route with a token in its path, and an unknown API path quoting a token.
    await server.client().get('/invite/AbC123dEf456GhI789jKl012mNo345pQr678sTu90', { headers: { accept: 'text/html' } });
    await server.client().get('/api/v1/no-such-route/Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1');

    const secrets = [...credentialLinks().map(secretOf), 'AbC123dEf456GhI789jKl012mNo345pQr678sTu90', 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1'];
    const text = log.lines.join('\n');
    expect(log.lines.length).toBeGreaterThan(20);
    expect(text).toContain('[redacted]');
    for (const secret of secrets) expect(text, `the log holds ${secret}`).not.toContain(secret);
    // The first-run setup link went to the terminal, not the log.
    expect(announced.join('\n')).toMatch(/\/setup\?token=[A-Za-z0-9_-]{43}/);
    const setupToken = /\/setup\?token=([A-Za-z0-9_-]{43})/.exec(announced.join('\n'))![1]!;
    expect(text).not.toContain(setupToken);
  });
});
