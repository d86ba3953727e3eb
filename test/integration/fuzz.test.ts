import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createProduct, grantOrgRole, makeOperator, placeOrder, signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import type { HttpClient } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Property: whatever a client sends to any operation of the OpenAPI document or of Better Auth,
 * the server answers below 500 and stays up. Requests go out signed in as an operator who is also
 * an organization admin, so they reach the services and repositories, not just the sign-in gate.
 * FUZZ_RUNS sets the budget per operation (`npm run fuzz` runs a larger one).
 */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 40);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
};
type Operation = { method: string; path: string; pathParams: string[]; query: Record<string, JsonSchema>; body: JsonSchema | undefined };
type Sent = { method: string; path: string; contentType: string | undefined; body: string | undefined; status: number };

/** Text that has broken servers: nothing a form would send, everything a script can. */
const hostileText = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '2031-02-30',
  '2031-13-01',
  '0000-00-00',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '9'.repeat(400),
  'a'.repeat(5_000),
  "' OR 1=1 --",
  '"; drop table licenses; --',
  '../../../../etc/passwd',
  '%00',
  '%E0%A4%A',
  '\\',
  '<script>alert(1)</script>',
  '=cmd|"/c calc"!A1',
  '{}',
  'null',
  '1e309',
  '-0',
  'NaN',
  '\u202Eevil',
  '🚀'.repeat(50),
  'a@b',
  '@@',
  'ǅǆǄ',
  '00000000-0000-0000-0000-000000000000',
  'ZZZZZZZZZZ',
);
const hostileNumber = fc.constantFrom(-1, 0, 0.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER);
const anyText = fc.oneof(hostileText, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  anyText,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A value that mostly fits the schema, with a hostile value anywhere it fits least. */
function valueFor(schema: JsonSchema | undefined, known: Map<string, string[]>, name = ''): fc.Arbitrary<unknown> {
  if (!schema) return hostileValue;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((variant) => valueFor(variant, known, name)), hostileValue);
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), hostileValue);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const knownValues = known.get(name);
  switch (type) {
    case 'object': {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, child]) => [key, valueFor(child, known, key)]));
      return fc.oneof({ weight: 4, arbitrary: fc.record(properties, { requiredKeys: [] }) }, { weight: 1, arbitrary: hostileValue });
    }
    case 'array':
      return fc.oneof(fc.array(valueFor(schema.items, known, name), { maxLength: 4 }), hostileValue);
    case 'integer':
    case 'number':
      return fc.oneof(fc.integer({ min: -5, max: 500 }), hostileNumber, hostileValue);
    case 'boolean':
      return fc.oneof(fc.boolean(), hostileValue);
    default:
      return fc.oneof(
        ...(knownValues?.length ? [{ weight: 3, arbitrary: fc.constantFrom(...knownValues) }] : []),
        { weight: 2, arbitrary: anyText },
        { weight: 1, arbitrary: hostileValue },
      );
  }
}

/** How the body travels: mostly JSON, sometimes what a careless or hostile client sends. */
const bodyEncoding = fc.constantFrom('json', 'json', 'json', 'json', 'bom-json', 'form', 'text', 'garbage-json', 'none');

function encode(encoding: string, value: unknown): { contentType: string | undefined; body: string | undefined } {
  switch (encoding) {
    case 'json':
      return { contentType: 'application/json', body: JSON.stringify(value) };
    case 'bom-json':
      return { contentType: 'application/json; charset=utf-8', body: `\uFEFF${JSON.stringify(value)}` };
    case 'form':
      return {
        contentType: 'application/x-www-form-urlencoded',
        body: Object.entries((value ?? {}) as object)
          .map(([k, v]) => `${percentEncode(k)}=${percentEncode(textOf(v))}`)
          .join('&'),
      };
    case 'text':
      return { contentType: 'text/plain', body: JSON.stringify(value) };
    case 'garbage-json':
      return { contentType: 'application/json', body: `${JSON.stringify(value)}}{` };
    default:
      return { contentType: undefined, body: undefined };
  }
}

function operationsOf(document: {
  paths: Record<
    string,
    Record<string, { parameters?: Array<{ in: string; name: string; schema: JsonSchema }>; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>
  >;
}): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      pathParams: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      query: Object.fromEntries((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
      body: operation.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

/** Better Auth's routes, with the fields its endpoints read; its schemas are not in our document. */
const BETTER_AUTH_FIELDS: JsonSchema = {
  type: 'object',
  properties: Object.fromEntries(
    [
      'email',
      'password',
      'name',
      'image',
      'newPassword',
      'currentPassword',
      'newEmail',
      'token',
      'callbackURL',
      'redirectTo',
      'code',
      'trustDevice',
      'revokeOtherSessions',
      'rememberMe',
      'disableRedirect',
    ].map((field) => [field, {}]),
  ),
};

describe.each(DIALECTS)('fuzzing every operation on %s', (dialect) => {
  let server: TestServer;
  let admin: HttpClient;
  const known = new Map<string, string[]>();
  const sent: Sent[] = [];

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const user = await signedInUser(server, { name: 'Fuzz Admin' });
    await makeOperator(server, user.userId);
    admin = user.client;
    const organization = await createOrganization(server, 'Fuzz Org');
    await grantOrgRole(server, organization.id, user.userId, 'org_admin');
    const product = await createProduct(server, 'Fuzz Product');
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 5 });
    const invitation = await admin.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id });
    const license = await server.database.db.selectFrom('licenses').select('id').where('team_id', '=', order.teamId!).executeTakeFirstOrThrow();
    known.set('organizationId', [organization.id]);
    known.set('teamId', [order.teamId!]);
    known.set('productId', [product.id]);
    known.set('id', [product.id]);
    known.set('productCode', [product.code]);
    known.set('invitationId', [invitation.body.id]);
    known.set('licenseId', [license.id]);
    known.set('licenseIds', [license.id]);
    known.set('token', [invitation.body.link.split('/invite/')[1]]);
    known.set('email', [user.email]);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  async function send(
    client: HttpClient,
    request: { method: string; path: string; contentType: string | undefined; body: string | undefined },
  ): Promise<number> {
    const headers: Record<string, string> = { origin: server.baseUrl, cookie: client.cookieHeader() };
    if (request.contentType) headers['content-type'] = request.contentType;
    const response = await fetch(`${server.baseUrl}${request.path}`, {
      method: request.method,
      headers,
      redirect: 'manual',
      ...(request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD' ? { body: request.body } : {}),
    });
    await response.arrayBuffer();
    sent.push({ ...request, status: response.status });
    return response.status;
  }

  function requestFor(operation: Operation): fc.Arbitrary<{ method: string; path: string; contentType: string | undefined; body: string | undefined }> {
    const params = fc.record(Object.fromEntries(operation.pathParams.map((name) => [name, fc.oneof(fc.constantFrom(...(known.get(name) ?? ['x'])), anyText)])));
    const query = fc.record(Object.fromEntries(Object.entries(operation.query).map(([name, schema]) => [name, valueFor(schema, known, name)])), {
      requiredKeys: [],
    });
    const body = operation.body ? valueFor(operation.body, known) : fc.constant(undefined);
    return fc.tuple(params, query, body, bodyEncoding).map(([pathValues, queryValues, bodyValue, encoding]) => {
      const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => percentEncode(textOf((pathValues as Record<string, unknown>)[name])));
      const search = Object.entries(queryValues as Record<string, unknown>)
        .map(([k, v]) => `${k}=${percentEncode(textOf(v))}`)
        .join('&');
      return {
        method: operation.method,
        path: search ? `${path}?${search}` : path,
        ...(operation.body || operation.method !== 'GET' ? encode(encoding, bodyValue) : { contentType: undefined, body: undefined }),
      };
    });
  }

  async function fuzz(client: HttpClient, operations: Operation[]): Promise<void> {
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(operation), async (request) => {
          const status = await send(client, request);
          return status < 500;
        }),
        { numRuns: RUNS_PER_OPERATION, seed: Number(process.env.FUZZ_SEED ?? 20261202), endOnFailure: true },
      );
    }
  }

  it('answers every generated request to our API below 500, and stays up', { timeout: 600_000 }, async () => {
    const document = (await server.client().get('/api/openapi.json')).body;
    const operations = operationsOf(document).filter((operation) => !operation.path.startsWith('/api/v1/signing-keys/rotate'));
    expect(operations.length).toBeGreaterThan(50);
    await fuzz(admin, operations);
    expect((await server.client().get('/healthz')).status).toBe(200);
    expect((await server.client().get('/readyz')).status).toBe(200);
    const failures = sent.filter((request) => request.status >= 500);
    expect(failures, JSON.stringify(failures.slice(0, 5), null, 1)).toEqual([]);
    console.info(
      `[fuzz ${dialect}] ${sent.length} requests to ${operations.length} operations; statuses: ${JSON.stringify(countBy(sent.map((s) => s.status)))}`,
    );
  });

  it('answers every generated request to Better Auth below 500, and stays up', { timeout: 600_000 }, async () => {
    // Its own user: these routes sign out, revoke sessions and change passwords.
    const { client } = await signedInUser(server, { name: 'Fuzz Auth' });
    const before = sent.length;
    const endpoints = Object.values(server.services.auth.api as Record<string, { path?: string; options?: { method?: string | string[] } }>)
      .filter((endpoint) => endpoint.path && endpoint.path !== '/delete-user')
      .flatMap((endpoint) =>
        [endpoint.options?.method ?? 'GET']
          .flat()
          .filter((method) => method === 'GET' || method === 'POST')
          .map((method) => ({ method, path: endpoint.path! })),
      );
    const operations: Operation[] = endpoints.map(({ method, path }) => ({
      method,
      path: `/api/auth${path.replace(/:(\w+)/g, '{$1}')}`,
      pathParams: [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!),
      query: (method === 'GET' ? { token: {}, callbackURL: {}, code: {} } : {}) as Record<string, JsonSchema>,
      body: method === 'POST' ? BETTER_AUTH_FIELDS : undefined,
    }));
    expect(operations.length).toBeGreaterThan(25);
    await fuzz(client, operations);
    expect((await server.client().get('/healthz')).status).toBe(200);
    expect((await server.client().get('/readyz')).status).toBe(200);
    const failures = sent.slice(before).filter((request) => request.status >= 500);
    expect(failures, JSON.stringify(failures.slice(0, 5), null, 1)).toEqual([]);
    console.info(
      `[fuzz ${dialect}] ${sent.length - before} requests to ${operations.length} Better Auth operations; statuses: ${JSON.stringify(countBy(sent.slice(before).map((s) => s.status)))}`,
    );
  });
});

/** A generated value as the text a client would put in a URL or form field. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

/** Percent-encodes UTF-8 bytes (a lone surrogate becomes U+FFFD, as any client would send it). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

function countBy(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
