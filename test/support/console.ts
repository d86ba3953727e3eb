import { afterAll, beforeAll, expect } from 'vitest';
import { hashPassword } from '../../src/auth/password-hashing.js';
import { sessionTokenDigest } from '../../src/auth/session-tokens.js';
import { cliActor } from '../../src/modules/access/actor.js';
import { organizationsRepository } from '../../src/modules/organizations/organizations.repository.js';
import { adminsRepository } from '../../src/modules/admins/admins.repository.js';
import type { OrganizationRole, TeamRole } from '../../src/db/tables.js';
import { PASSWORD, uniqueEmail } from './accounts.js';
import type { Dialect } from '../../src/db/database.js';
import type { HttpClient } from './http-client.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * A signed-in user with a verified address, made without the mail round trip (the account tests
 * cover that); the verification flag is set the way Better Auth sets it.
 */
export async function signedInUser(
  server: TestServer,
  options: { email?: string; name?: string } = {},
): Promise<{ client: HttpClient; email: string; userId: string }> {
  const email = options.email ?? uniqueEmail();
  const client = server.client();
  const signUp = await client.post('/api/auth/sign-up/email', { email, password: PASSWORD, name: options.name ?? email.split('@')[0] });
  expect(signUp.status).toBe(200);
  // Fixtures make dozens of accounts from one address; the sign-up limit per address has its own tests.
  await server.database.db.deleteFrom('rate_limits').where('key', 'like', 'sign-up:ip:%').execute();
  await server.database.db.updateTable('users').set({ email_verified: 1 }).where('email', '=', email).execute();
  const user = await server.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  await server.services.licenses.bindPendingAssignments({ id: user.id, email });
  const signIn = await client.post('/api/auth/sign-in/email', { email, password: PASSWORD });
  expect(signIn.status).toBe(200);
  return { client, email, userId: user.id };
}

export async function makeOperator(server: TestServer, userId: string): Promise<void> {
  await organizationsRepository.addOperator(server.database.db, userId);
}

export async function grantOrgRole(server: TestServer, organizationId: string, userId: string, role: OrganizationRole): Promise<void> {
  await organizationsRepository.addRole(server.database.db, { organizationId, userId, role });
}

export async function grantTeamRole(server: TestServer, teamId: string, userId: string, role: TeamRole): Promise<void> {
  await adminsRepository(server.database.dialect).addTeamRole(server.database.db, { teamId, userId, role });
}

let productCounter = 0;
export async function createProduct(server: TestServer, name = 'IntelliJ IDEA Ultimate'): Promise<{ id: string; code: string; name: string }> {
  productCounter += 1;
  return server.services.products.create(cliActor, { code: `P${process.pid}X${productCounter}`, name });
}

export async function createOrganization(server: TestServer, name = 'Acme'): Promise<{ id: string; name: string }> {
  return server.services.organizations.create(cliActor, { name, adminEmail: uniqueEmail('nobody') });
}

let orderCounter = 0;
/** An order placed the way the operator API does, with a fresh reference. */
export async function placeOrder(
  server: TestServer,
  input: { organizationId: string; productCode: string; quantity: number; teamId?: string; validUntil?: Date; renewsReference?: string },
) {
  orderCounter += 1;
  const { order } = await server.services.orders.create(
    cliActor,
    { reference: `T-${process.pid}-${orderCounter}`, validUntil: input.validUntil ?? new Date(Date.now() + 365 * 86_400_000), ...input },
    'api',
  );
  return order;
}

let seededPasswordHash: Promise<string> | undefined;

/**
 * Many verified, signed-in users at once, for race tests: rows written directly, with the session
 * cookie signed exactly as Better Auth signs it (HMAC-SHA256 of the token with the auth secret)
 * and the table holding the token's digest, as the server stores it.
 */
export async function seedSignedInUsers(
  server: TestServer,
  count: number,
  prefix = 'racer',
  { withPassword = false }: { withPassword?: boolean } = {},
): Promise<Array<{ userId: string; email: string; cookie: string }>> {
  const { createHmac, randomBytes, randomUUID } = await import('node:crypto');
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const users = Array.from({ length: count }, () => {
    const token = randomBytes(24).toString('base64url');
    const signature = createHmac('sha256', server.config.authSecret).update(token).digest('base64');
    return {
      userId: randomUUID(),
      sessionId: randomUUID(),
      email: uniqueEmail(prefix),
      token,
      cookie: `allot.session_token=${encodeURIComponent(`${token}.${signature}`)}`,
    };
  });
  for (let start = 0; start < users.length; start += 200) {
    const chunk = users.slice(start, start + 200);
    await server.database.db
      .insertInto('users')
      .values(chunk.map((u) => ({ id: u.userId, name: u.email.split('@')[0]!, email: u.email, email_verified: 1, created_at: now, updated_at: now })))
      .execute();
    await server.database.db
      .insertInto('sessions')
      // The table keeps the digest; the cookie carries the token (auth/session-tokens.ts).
      .values(
        chunk.map((u) => ({ id: u.sessionId, token: sessionTokenDigest(u.token), user_id: u.userId, expires_at: expires, created_at: now, updated_at: now })),
      )
      .execute();
    if (withPassword) {
      // A Better Auth credential row with PASSWORD, hashed once for all of them.
      seededPasswordHash ??= hashPassword(PASSWORD);
      const hash = await seededPasswordHash;
      await server.database.db
        .insertInto('accounts')
        .values(
          chunk.map((u) => ({
            id: randomUUID(),
            account_id: u.userId,
            provider_id: 'credential',
            user_id: u.userId,
            password: hash,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
  }
  return users.map(({ userId, email, cookie }) => ({ userId, email, cookie }));
}

/**
 * A server with an organization, a product, an organization admin (signed in) and an operator
 * API token, made before the describe block's tests and stopped after them. The module test
 * files of the console share it; fields are filled in once beforeAll has run.
 */
export function useConsoleServer(dialect: Dialect) {
  const fixture = {
    server: undefined as unknown as TestServer,
    smtp: undefined as unknown as TestSmtpServer,
    organization: undefined as unknown as { id: string; name: string },
    product: undefined as unknown as { id: string; code: string; name: string },
    admin: undefined as unknown as HttpClient,
    adminUserId: '',
    operatorToken: '',
    /** A client with the operator API token. */
    api: () => fixture.server.client({ authorization: `Bearer ${fixture.operatorToken}` }),
    /** The organization's license list, as the admin reads it. */
    licensesOf: async (query: string) => (await fixture.admin.get(`/api/v1/organizations/${fixture.organization.id}/licenses?${query}`)).body,
  };
  beforeAll(async () => {
    fixture.smtp = await startSmtpServer();
    fixture.server = await startTestServer({ dialect, smtp: fixture.smtp });
    fixture.organization = await createOrganization(fixture.server, 'Acme Robotics');
    fixture.product = await createProduct(fixture.server, 'IntelliJ IDEA Ultimate');
    const signedIn = await signedInUser(fixture.server, { name: 'Olga Admin' });
    fixture.admin = signedIn.client;
    fixture.adminUserId = signedIn.userId;
    await grantOrgRole(fixture.server, fixture.organization.id, signedIn.userId, 'org_admin');
    fixture.operatorToken = (await fixture.server.services.apiTokens.createOperatorToken(cliActor, 'billing')).token;
  });
  afterAll(async () => {
    await fixture.server?.destroy();
    await fixture.smtp?.stop();
  });
  return fixture;
}
