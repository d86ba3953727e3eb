import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionTokenDigest, signCookieValue } from '../../src/auth/session-tokens.js';
import { toDbTime } from '../../src/db/column-types.js';
import { createVerifiedUser, signIn } from '../support/accounts.js';
import { DIALECTS } from '../support/databases.js';
import type { HttpClient } from '../support/http-client.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Our lean session path (one HMAC, one indexed query) must say exactly what Better Auth says.
 * Each case asks both: Better Auth's /api/auth/get-session and our /api/v1/me.
 */
describe.each(DIALECTS)('the lean session resolver on %s', (dialect) => {
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

  async function verdicts(client: HttpClient) {
    const betterAuth = await client.get('/api/auth/get-session');
    const ours = await client.get('/api/v1/me');
    return { betterAuthSignedIn: betterAuth.status === 200 && betterAuth.body !== null, oursSignedIn: ours.status === 200, ours };
  }

  async function signedInClient() {
    const client = server.client();
    const { email } = await createVerifiedUser(client, smtp);
    return { client, email };
  }

  it('agrees on a valid session', async () => {
    const { client, email } = await signedInClient();
    const result = await verdicts(client);
    expect(result).toMatchObject({ betterAuthSignedIn: true, oursSignedIn: true });
    expect(result.ours.body.user.email).toBe(email);
  });

  it('agrees after sign-out', async () => {
    const { client } = await signedInClient();
    const cookie = client.cookie('allot.session_token')!;
    await client.post('/api/auth/sign-out');
    // Replay the old cookie, as a stolen copy would be.
    client.setCookie('allot.session_token', cookie);
    expect(await verdicts(client)).toMatchObject({ betterAuthSignedIn: false, oursSignedIn: false });
  });

  it('agrees after the session is revoked from another device, with no delay', async () => {
    const { client: laptop, email } = await signedInClient();
    const phone = server.client();
    await signIn(phone, { email });
    expect((await verdicts(phone)).oursSignedIn).toBe(true);
    await laptop.post('/api/auth/revoke-other-sessions');
    expect(await verdicts(phone)).toMatchObject({ betterAuthSignedIn: false, oursSignedIn: false });
    expect(await verdicts(laptop)).toMatchObject({ betterAuthSignedIn: true, oursSignedIn: true });
  });

  it('agrees on an expired session', async () => {
    const { client } = await signedInClient();
    const token = decodeURIComponent(client.cookie('allot.session_token')!).split('.')[0]!;
    await server.database.db
      .updateTable('sessions')
      .set({ expires_at: toDbTime(new Date(Date.now() - 1000)) })
      .where('token', '=', sessionTokenDigest(token))
      .execute();
    expect(await verdicts(client)).toMatchObject({ betterAuthSignedIn: false, oursSignedIn: false });
  });

  it('agrees on a tampered cookie: a changed token or a changed signature', async () => {
    const { client } = await signedInClient();
    const [token, signature] = decodeURIComponent(client.cookie('allot.session_token')!).split('.') as [string, string];
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

    client.setCookie('allot.session_token', encodeURIComponent(`${flip(token, 3)}.${signature}`));
    expect(await verdicts(client)).toMatchObject({ betterAuthSignedIn: false, oursSignedIn: false });

    client.setCookie('allot.session_token', encodeURIComponent(`${token}.${flip(signature, 5)}`));
    expect(await verdicts(client)).toMatchObject({ betterAuthSignedIn: false, oursSignedIn: false });

    // The token, unsigned, is not enough either.
    client.setCookie('allot.session_token', token);
    expect(await verdicts(client)).toMatchObject({ betterAuthSignedIn: false, oursSignedIn: false });
  });

  it('keeps only a digest of the session token: the stored value, even validly signed, is no cookie', async () => {
    const { client, email } = await signedInClient();
    const token = decodeURIComponent(client.cookie('allot.session_token')!).split('.')[0]!;
    const user = await server.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const stored = await server.database.db.selectFrom('sessions').select('token').where('user_id', '=', user.id).execute();
    expect(stored.map((row) => row.token)).toContain(sessionTokenDigest(token));
    expect(stored.map((row) => row.token)).not.toContain(token);
    // The stored value is no cookie, even signed with the cookie key, and even quoted (which
    // Better Auth's cookie parser unquotes).
    const forged = server.client();
    const forgedValue = encodeURIComponent(signCookieValue(sessionTokenDigest(token), server.config.authSecret));
    forged.setCookie('allot.session_token', forgedValue);
    expect(await verdicts(forged)).toMatchObject({ betterAuthSignedIn: false, oursSignedIn: false });
    forged.setCookie('allot.session_token', `"${forgedValue}"`);
    expect(await verdicts(forged)).toMatchObject({ betterAuthSignedIn: false, oursSignedIn: false });
    // A quoted genuine cookie still works on both paths.
    const quoted = server.client();
    quoted.setCookie('allot.session_token', `"${client.cookie('allot.session_token')!}"`);
    expect(await verdicts(quoted)).toMatchObject({ betterAuthSignedIn: true, oursSignedIn: true });
    // Better Auth lists the session under its stored value, and revokes it by that value.
    const sessions = await client.get('/api/auth/list-sessions');
    expect(sessions.body.map((session: { token: string }) => session.token)).toContain(sessionTokenDigest(token));
  });
});
