import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionTokenDigest } from '../../src/auth/session-tokens.js';
import { createVerifiedUser, openMailLink, PASSWORD, signIn, signUp, totp, uniqueEmail } from '../support/accounts.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DIALECTS)('accounts on %s', (dialect) => {
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

  it('signs up, verifies through the emailed link, signs in and out', async () => {
    const client = server.client();
    const email = uniqueEmail('flow');
    await signUp(client, { email, name: 'Ada Lovelace' });

    // Unverified: sign-in is refused and no session exists.
    const early = await signIn(server.client(), { email });
    expect(early.status).toBe(403);
    expect(early.body.code).toBe('EMAIL_NOT_VERIFIED');

    const verified = await openMailLink(client, smtp, { email, subject: 'Verify your email address' });
    expect(verified.status).toBe(302);
    expect(verified.headers.get('location')).toContain('/email-verified');

    const fresh = server.client();
    const signedIn = await signIn(fresh, { email });
    expect(signedIn.status).toBe(200);
    const me = await fresh.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email, name: 'Ada Lovelace', emailVerified: true, twoFactorEnabled: false });

    expect((await fresh.post('/api/auth/sign-out')).status).toBe(200);
    expect((await fresh.get('/api/v1/me')).status).toBe(401);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const client = server.client();
    const { email } = await createVerifiedUser(client, smtp);
    const response = await fetch(`${server.baseUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.baseUrl },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const sessionCookie = response.headers.getSetCookie().find((c) => c.startsWith('allot.session_token='));
    expect(sessionCookie).toBeDefined();
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
  });

  it('answers a sign-up for an existing address exactly like a new one, and tells the owner', async () => {
    const { email } = await createVerifiedUser(server.client(), smtp);
    const again = await server.client().post('/api/auth/sign-up/email', { email, password: 'another password', name: 'Mallory' });
    const brandNew = await server.client().post('/api/auth/sign-up/email', { email: uniqueEmail('new'), password: 'another password', name: 'Mallory' });
    expect(again.status).toBe(brandNew.status);
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(brandNew.body).sort());
    expect(Object.keys(again.body.user).sort()).toEqual(Object.keys(brandNew.body.user).sort());
    await smtp.waitFor((mail) => mail.to.includes(email) && mail.subject === 'You already have an Allot account');
  });

  it('resets a password through the emailed link and signs out every session', async () => {
    const owner = server.client();
    const { email } = await createVerifiedUser(owner, smtp);
    expect((await owner.get('/api/v1/me')).status).toBe(200);

    const request = await server.client().post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' });
    expect(request.status).toBe(200);
    const landing = await openMailLink(server.client(), smtp, { email, subject: 'Reset your password' });
    expect(landing.status).toBe(302);
    const location = new URL(landing.headers.get('location')!, server.baseUrl);
    expect(location.pathname).toBe('/reset-password');
    const token = location.searchParams.get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(22);

    const reset = await server.client().post('/api/auth/reset-password', { token, newPassword: 'a brand new password' });
    expect(reset.status).toBe(200);
    expect((await signIn(server.client(), { email })).status).toBe(401);
    expect((await signIn(server.client(), { email, password: 'a brand new password' })).status).toBe(200);
    expect((await owner.get('/api/v1/me')).status, 'old sessions end on reset').toBe(401);

    const reused = await server.client().post('/api/auth/reset-password', { token, newPassword: 'yet another password' });
    expect(reused.status).toBe(400);
  });

  it('answers a reset request identically for known and unknown addresses', async () => {
    const { email } = await createVerifiedUser(server.client(), smtp);
    const known = await server.client().post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' });
    const unknown = await server.client().post('/api/auth/request-password-reset', { email: uniqueEmail('ghost'), redirectTo: '/reset-password' });
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
  });

  it('stores reset tokens only as hashes', async () => {
    const { email } = await createVerifiedUser(server.client(), smtp);
    await server.client().post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' });
    const landing = await openMailLink(server.client(), smtp, { email, subject: 'Reset your password' });
    const token = new URL(landing.headers.get('location')!, server.baseUrl).searchParams.get('token')!;
    const rows = await server.database.db.selectFrom('verifications').select('identifier').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.identifier.includes(token))).toBe(false);
  });

  it('enrols TOTP two-factor and then requires a code (or a recovery code) to sign in', async () => {
    const client = server.client();
    const { email } = await createVerifiedUser(client, smtp);
    const enable = await client.post('/api/auth/two-factor/enable', { password: PASSWORD });
    expect(enable.status).toBe(200);
    const secret = new URL(enable.body.totpURI).searchParams.get('secret')!;
    expect(enable.body.backupCodes).toHaveLength(10);
    const confirm = await client.post('/api/auth/two-factor/verify-totp', { code: totp(secret) });
    expect(confirm.status).toBe(200);
    expect((await client.get('/api/v1/me')).body.user.twoFactorEnabled).toBe(true);

    const second = server.client();
    const first = await signIn(second, { email });
    expect(first.status).toBe(200);
    expect(first.body.twoFactorRedirect).toBe(true);
    expect((await second.get('/api/v1/me')).status, 'no session before the code').toBe(401);
    const wrong = await second.post('/api/auth/two-factor/verify-totp', { code: totp(secret, Date.now() - 10 * 60_000) });
    expect(wrong.status).toBe(401);
    const verified = await second.post('/api/auth/two-factor/verify-totp', { code: totp(secret) });
    expect(verified.status).toBe(200);
    expect((await second.get('/api/v1/me')).status).toBe(200);

    const third = server.client();
    await signIn(third, { email });
    const recovery = await third.post('/api/auth/two-factor/verify-backup-code', { code: enable.body.backupCodes[0] });
    expect(recovery.status).toBe(200);
    expect((await third.get('/api/v1/me')).status).toBe(200);
  });

  it('lists the own sessions and revokes one', async () => {
    const laptop = server.client();
    const { email } = await createVerifiedUser(laptop, smtp);
    const phone = server.client();
    expect((await signIn(phone, { email })).status).toBe(200);

    const listed = await laptop.get('/api/auth/list-sessions');
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(2);

    // Sessions are listed (and revoked) by the digest the table keeps, never by the cookie's token.
    const phoneToken = decodeURIComponent(phone.cookie('allot.session_token')!).split('.')[0]!;
    expect(listed.body.map((s: { token: string }) => s.token)).not.toContain(phoneToken);
    const phoneSession = listed.body.find((s: { token: string }) => s.token === sessionTokenDigest(phoneToken));
    expect(phoneSession).toBeDefined();
    expect((await laptop.post('/api/auth/revoke-session', { token: phoneSession.token })).status).toBe(200);
    expect((await phone.get('/api/v1/me')).status).toBe(401);
    expect((await laptop.get('/api/v1/me')).status).toBe(200);
  });

  it('changes the email only after the new address is verified', async () => {
    const client = server.client();
    const { email } = await createVerifiedUser(client, smtp);
    const newEmail = uniqueEmail('moved');
    const change = await client.post('/api/auth/change-email', { newEmail, callbackURL: '/account' });
    expect(change.status).toBe(200);
    expect((await client.get('/api/v1/me')).body.user.email, 'unchanged until verified').toBe(email);

    const confirm = await openMailLink(client, smtp, { email: newEmail, subject: 'Verify your email address' });
    expect(confirm.status).toBe(302);
    const me = await client.get('/api/v1/me');
    expect(me.body.user).toMatchObject({ email: newEmail, emailVerified: true });
  });

  it('limits sign-in to 5 attempts a minute per address and client, answering 429 with Retry-After', async () => {
    const { email } = await createVerifiedUser(server.client(), smtp);
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await signIn(server.client(), { email, password: 'wrong password' })).status).toBe(401);
    }
    const limited = await signIn(server.client(), { email, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);

    // The same endpoint spelled differently is the same limit.
    const respelled = await server.client().post('/api/auth/sign-in/%65mail/', { email, password: PASSWORD });
    expect(respelled.status).toBe(429);

    // A forged X-Forwarded-For is ignored without TRUST_PROXY: it buys no extra attempts.
    const spoofed = await signIn(server.client({ 'x-forwarded-for': '203.0.113.9' }), { email, password: PASSWORD });
    expect(spoofed.status).toBe(429);

    // Another account from the same client is not locked out.
    const other = await createVerifiedUser(server.client(), smtp);
    expect((await signIn(server.client(), { email: other.email })).status).toBe(200);
  });

  it('limits password-reset requests to 5 an hour per address', async () => {
    const email = uniqueEmail('reset-limit');
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await server.client().post('/api/auth/request-password-reset', { email })).status).toBe(200);
    }
    const limited = await server.client().post('/api/auth/request-password-reset', { email });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60);
  });

  it('hashes passwords with argon2id', async () => {
    const { email } = await createVerifiedUser(server.client(), smtp);
    const row = await server.database.db
      .selectFrom('accounts')
      .innerJoin('users', 'users.id', 'accounts.user_id')
      .select('accounts.password')
      .where('users.email', '=', email)
      .executeTakeFirstOrThrow();
    expect(row.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
