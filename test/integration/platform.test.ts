import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifiedUser } from '../support/accounts.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DIALECTS)('the HTTP platform on %s', (dialect) => {
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

  it('reports alive and ready', async () => {
    expect((await server.client().get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await server.client().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas, and a docs page', async () => {
    const document = await server.client().get('/api/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body.openapi).toBe('3.1.0');
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/api/v1/me', '/api/v1/setup', '/api/v1/instance']));
    const setup = document.body.paths['/api/v1/setup'].post;
    expect(setup.requestBody.content['application/json'].schema.properties).toHaveProperty('organizationName');
    const docs = await fetch(`${server.baseUrl}/api/docs/`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('exposes Prometheus metrics with request durations by route and the outbox depth', async () => {
    await server.client().get('/api/v1/instance');
    const metrics = await server.client().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/allot_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/instance"/);
    expect(metrics.body).toMatch(/^allot_outbox_pending_messages \d+$/m);
  });

  it('serves metrics only with METRICS_TOKEN when one is set', async () => {
    const token = 'a-metrics-token-long-enough';
    const guarded = await startTestServer({ dialect, env: { METRICS_TOKEN: token } });
    try {
      expect((await guarded.client().get('/metrics')).status).toBe(404);
      expect((await guarded.client().get('/metrics', { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(404);
      const scraped = await guarded.client().get('/metrics', { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      expect(scraped.body).toMatch(/^allot_outbox_pending_messages \d+$/m);
    } finally {
      await guarded.destroy();
    }
  });

  it('answers schema failures with 400 VALIDATION_FAILED, the fields and a request id', async () => {
    const response = await server.client().post('/api/v1/setup/check', { token: 42 });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: { token: expect.any(String) } });
    expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('answers malformed JSON with 400 and a non-JSON body with 415, never 500', async () => {
    const malformed = await fetch(`${server.baseUrl}/api/v1/setup/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"token": ',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    const wrongType = await fetch(`${server.baseUrl}/api/v1/setup/check`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<token/>' });
    expect(wrongType.status).toBe(415);
    expect(((await wrongType.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown API paths with a JSON 404, and pages with the web app', async () => {
    const api = await server.client().get('/api/v1/no-such-thing');
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('NOT_FOUND');
    const page = await server.client().get('/account/security', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('<div id="root">');
  });

  it('answers GET / with the app page for any client, curl with no Accept header included', async () => {
    const { request } = await import('node:http');
    const noAccept = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      request(`${server.baseUrl}/`, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, type: String(response.headers['content-type']), body }));
      })
        .on('error', reject)
        .end();
    });
    expect(noAccept.status).toBe(200);
    expect(noAccept.type).toContain('text/html');
    expect(noAccept.body).toContain('<div id="root">');
    expect((await server.client().get('/teams', { headers: { accept: '*/*' } })).status).toBe(200);
    // A missing file and a client that asks for JSON still get the JSON 404.
    expect((await server.client().get('/assets/no-such-file.js')).body.code).toBe('NOT_FOUND');
    expect((await server.client().get('/teams', { headers: { accept: 'application/json' } })).body.code).toBe('NOT_FOUND');
  });

  it('answers 401 UNAUTHENTICATED without a session', async () => {
    const response = await server.client().get('/api/v1/me');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a cookie-carrying write from another origin', async () => {
    const client = server.client();
    await createVerifiedUser(client, smtp);
    const forged = await client.post('/api/v1/setup/check', { token: 'x'.repeat(43) }, { headers: { origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('CSRF_REJECTED');
    const sameSite = await client.post('/api/v1/setup/check', { token: 'x'.repeat(43) });
    expect(sameSite.status).toBe(200);
    const encoded = await client.post('/api/%761/setup/check', { token: 'x'.repeat(43) }, { headers: { origin: 'https://evil.example' } });
    expect(encoded.status, 'a percent-encoded path reaches the same route and the same check').toBe(403);
    const betterAuth = await client.post('/api/auth/sign-out', {}, { headers: { origin: 'https://evil.example' } });
    expect(betterAuth.status, 'the same rule covers Better Auth routes').toBe(403);
    expect((await client.get('/api/v1/me')).status, 'the forged sign-out did nothing').toBe(200);
  });

  it('sends security headers and a request id on every answer', async () => {
    const response = await server.client().get('/healthz');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
