import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail } from '../support/accounts.js';
import { createOrganization, createProduct, grantOrgRole, makeOperator, placeOrder, signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import type { HttpClient } from '../support/http-client.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type RawAnswer = { status: number; body: any };

/** A request with exactly these bytes and headers, as an attacker's client would send it. */
async function raw(
  server: TestServer,
  path: string,
  init: { method?: string; body?: string | Uint8Array | FormData; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: init.method ?? 'POST',
    headers: { origin: server.baseUrl, ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
    redirect: 'manual',
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: response.status, body };
}

const BOM = '\uFEFF';
const json = (value: unknown) => JSON.stringify(value);

describe.each(DIALECTS)('hostile input on %s', (dialect) => {
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

  describe('the auth rate limits count every spelling Better Auth would act on', () => {
    it('counts sign-ins sent as JSON with a byte-order mark, a charset, or a capitalised type', async () => {
      // signedInUser signs in once: that is the first of the five attempts a minute.
      const { email } = await signedInUser(server);
      const variants: Array<{ body: string; type: string; status: number }> = [
        { body: BOM + json({ email, password: 'wrong 1' }), type: 'application/json', status: 401 },
        { body: json({ email: email.toUpperCase(), password: 'wrong 2' }), type: 'application/json; charset=UTF-8', status: 401 },
        { body: json({ email, password: 'wrong 3' }), type: 'APPLICATION/JSON', status: 401 },
        // Better Auth refuses the padded address as malformed; it still counts for the address.
        { body: BOM + json({ email: `  ${email} `, password: 'wrong 4' }), type: 'application/json;charset="utf-8"', status: 400 },
      ];
      for (const variant of variants) {
        const answer = await raw(server, '/api/auth/sign-in/email', { body: variant.body, headers: { 'content-type': variant.type } });
        expect([variant.type, answer.status]).toEqual([variant.type, variant.status]);
      }
      // Five attempts in whatever spelling: the right password is refused now too.
      const limited = await raw(server, '/api/auth/sign-in/email', {
        body: json({ email, password: PASSWORD }),
        headers: { 'content-type': 'application/json' },
      });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
    });

    it('refuses bodies Better Auth would read but the limiter would not: form posts, multipart, text, +json and other charsets', async () => {
      const { email } = await signedInUser(server);
      const form = new FormData();
      form.set('email', email);
      form.set('password', PASSWORD);
      const attempts: Array<{ body: string | FormData; headers?: Record<string, string> }> = [
        { body: new URLSearchParams({ email, password: PASSWORD }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        { body: form },
        { body: json({ email, password: PASSWORD }), headers: { 'content-type': 'text/plain' } },
        { body: json({ email, password: PASSWORD }), headers: { 'content-type': 'application/vnd.api+json' } },
        { body: json({ email, password: PASSWORD }), headers: { 'content-type': 'application/json; charset=utf-16' } },
        { body: json({ email, password: PASSWORD }), headers: { 'content-type': 'application/octet-stream' } },
        { body: json({ email, password: PASSWORD }) },
      ];
      for (const attempt of attempts) {
        const answer = await raw(server, '/api/auth/sign-in/email', attempt);
        expect([attempt.headers?.['content-type'] ?? 'default', answer.status, answer.body.code]).toEqual([
          attempt.headers?.['content-type'] ?? 'default',
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ]);
      }
      // None of them was a sign-in: plain JSON still works.
      expect(
        (await raw(server, '/api/auth/sign-in/email', { body: json({ email, password: PASSWORD }), headers: { 'content-type': 'application/json' } })).status,
      ).toBe(200);
    });

    it('counts one endpoint however its path is spelled', async () => {
      const { email } = await signedInUser(server);
      const spellings = ['/api/auth/sign-in/%65mail', '/api/auth//sign-in/email', '/api/auth/sign-in/./email', '/api/auth/sign-in/x/../email'];
      for (const path of spellings) {
        const answer = await raw(server, path, { body: json({ email, password: 'wrong' }), headers: { 'content-type': 'application/json' } });
        expect([path, answer.status]).toEqual([path, 401]);
      }
      const limited = await raw(server, '/api/auth/sign-in/email', {
        body: json({ email, password: PASSWORD }),
        headers: { 'content-type': 'application/json' },
      });
      expect(limited.status).toBe(429);
    });

    it('limits password-reset mail per address whatever the encoding, so nobody can be mail-bombed', async () => {
      const email = uniqueEmail('bombed');
      const spellings = [
        { body: BOM + json({ email }), type: 'application/json', status: 200 },
        { body: json({ email: email.toUpperCase() }), type: 'application/json; charset=utf-8', status: 200 },
        // Refused by Better Auth as malformed, and counted all the same.
        { body: json({ email: ` ${email}` }), type: 'application/json', status: 400 },
        { body: json({ email }), type: 'Application/Json', status: 200 },
        { body: json({ email }), type: 'application/json', status: 200 },
      ];
      for (const spelling of spellings) {
        expect((await raw(server, '/api/auth/request-password-reset', { body: spelling.body, headers: { 'content-type': spelling.type } })).status).toBe(
          spelling.status,
        );
      }
      expect((await raw(server, '/api/auth/request-password-reset', { body: json({ email }), headers: { 'content-type': 'application/json' } })).status).toBe(
        429,
      );
      expect(
        (
          await raw(server, '/api/auth/request-password-reset', {
            body: new URLSearchParams({ email }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          })
        ).status,
      ).toBe(415);
    });

    it('limits sign-ups naming one address, since each mails its owner a notice', async () => {
      const email = uniqueEmail('notice');
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 6; attempt++) {
        statuses.push(
          (
            await raw(server, '/api/auth/sign-up/email', {
              body: json({ email: attempt % 2 ? email.toUpperCase() : email, password: PASSWORD, name: 'Mallory' }),
              headers: { 'content-type': 'application/json' },
            })
          ).status,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    });
  });

  describe('every bad input answers 400 with a code and the field', () => {
    let operator: HttpClient;
    let admin: HttpClient;
    let organizationId: string;
    let productCode: string;
    let teamId: string;

    beforeAll(async () => {
      const operatorUser = await signedInUser(server);
      await makeOperator(server, operatorUser.userId);
      operator = operatorUser.client;
      const organization = await createOrganization(server, 'Hostile Input Inc');
      organizationId = organization.id;
      const product = await createProduct(server, 'Fuzzed IDE');
      productCode = product.code;
      const adminUser = await signedInUser(server);
      await grantOrgRole(server, organizationId, adminUser.userId, 'org_admin');
      admin = adminUser.client;
      teamId = (await placeOrder(server, { organizationId, productCode, quantity: 3 })).teamId!;
    });

    const impossibleDates = [
      '2031-02-30',
      '2031-13-01',
      '2031-01-45',
      '0000-00-00',
      '1969-12-31',
      '2031-02-28T24:00:00Z',
      '2031-02-28T12:60:00Z',
      '+275760-09-13T00:00:00Z',
      '275760-09-13',
      '-000001-01-01T00:00:00Z',
      '2031-02-28T12:00:00+25:00',
      '2031-02-28T12:00:00',
      '8.64e15',
      '',
    ];

    it('refuses dates that match a pattern but do not exist, or lie outside what a column sorts', async () => {
      for (const [index, validUntil] of impossibleDates.entries()) {
        const answer = await operator.post('/api/v1/orders', { reference: `DATE-${dialect}-${index}`, organizationId, productCode, quantity: 1, validUntil });
        expect([validUntil, answer.status, answer.body.code]).toEqual([validUntil, 400, 'VALIDATION_FAILED']);
        expect(answer.body.fields).toHaveProperty('validUntil');
      }
      const leapDay = await operator.post('/api/v1/orders', {
        reference: `DATE-${dialect}-leap`,
        organizationId,
        productCode,
        quantity: 1,
        validUntil: '2032-02-29',
      });
      expect(leapDay.status, JSON.stringify(leapDay.body)).toBe(201);
      expect(leapDay.body.order.validUntil).toBe('2032-02-29T23:59:59.999Z');
      const withOffset = await operator.post('/api/v1/orders', {
        reference: `DATE-${dialect}-offset`,
        organizationId,
        productCode,
        quantity: 1,
        validUntil: '2031-03-01T01:30:00+02:00',
      });
      expect(withOffset.body.order.validUntil).toBe('2031-02-28T23:30:00.000Z');
    });

    it('refuses impossible invitation expiries and audit-log dates', async () => {
      const product = await server.database.db.selectFrom('products').select('id').where('code', '=', productCode).executeTakeFirstOrThrow();
      for (const expiresAt of ['2031-02-30', '2031-04-31T10:00:00Z', '99999-01-01']) {
        const answer = await admin.post(`/api/v1/teams/${teamId}/invitations`, { productId: product.id, expiresAt });
        expect([expiresAt, answer.status, answer.body.code]).toEqual([expiresAt, 400, 'VALIDATION_FAILED']);
        expect(answer.body.fields).toHaveProperty('expiresAt');
      }
      const audit = await admin.get(`/api/v1/organizations/${organizationId}/audit?from=2031-02-30`);
      expect([audit.status, audit.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(audit.body.fields).toHaveProperty('from');
    });

    it('refuses NUL and unpaired surrogates in names, queries and Better Auth fields on both databases', async () => {
      for (const name of ['Team\u0000Nul', '\u0000', 'Lone \uD800 high', 'Lone \uDC00 low', 'Reversed \uDC00\uD800']) {
        const answer = await admin.post(`/api/v1/organizations/${organizationId}/teams`, { name });
        expect([JSON.stringify(name), answer.status, answer.body.code]).toEqual([JSON.stringify(name), 400, 'VALIDATION_FAILED']);
        expect(answer.body.fields).toHaveProperty('name');
      }
      // A surrogate pair is one ordinary character and stays welcome.
      expect((await admin.post(`/api/v1/organizations/${organizationId}/teams`, { name: `Rocket 🚀 ${dialect}` })).status).toBe(201);

      const search = await admin.get(`/api/v1/organizations/${organizationId}/licenses?assignee=a%00b`);
      expect([search.status, search.body.code]).toEqual([400, 'VALIDATION_FAILED']);

      const renamed = await admin.post('/api/auth/update-user', { name: 'Nul\u0000Name' });
      expect([renamed.status, renamed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(renamed.body.fields).toHaveProperty('name');
      const signUp = await server.client().post('/api/auth/sign-up/email', { email: uniqueEmail('surrogate'), password: PASSWORD, name: 'Half \uD83D' });
      expect([signUp.status, signUp.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await admin.get('/api/v1/me')).status, 'the server is still alive and the session still good').toBe(200);
    });
  });
});
