import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/lib/tokens.js';
import { uniqueEmail } from '../support/accounts.js';
import { createOrganization, grantOrgRole, makeOperator, placeOrder, signedInUser, useConsoleServer } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import { startTestServer } from '../support/test-server.js';

describe.each(DIALECTS)('organization API tokens on %s', (dialect) => {
  const f = useConsoleServer(dialect);
  const tokensPath = () => `/api/v1/organizations/${f.organization.id}/api-tokens`;
  const bearer = (token: string) => f.server.client({ authorization: `Bearer ${token}` });

  async function createToken(body: Record<string, unknown>) {
    const created = await f.admin.post(tokensPath(), body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: string; token: string; status: string };
  }

  it('shows a token once, keeps only its digest, lists it with its maker, and audits it', async () => {
    const created = await createToken({ name: 'HR onboarding', scope: 'write', teams: 'all', expiresAt: '2031-01-31' });
    expect(created.token).toMatch(/^allot_[A-Za-z0-9_-]{43}$/);
    const stored = await f.server.database.db.selectFrom('api_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(created.token.slice('allot_'.length));
    expect(stored.token_hash).toBe(hashToken(created.token));

    await bearer(created.token).get(`/api/v1/organizations/${f.organization.id}/teams`);
    const listed = await f.admin.get(tokensPath());
    const item = listed.body.items.find((token: { id: string }) => token.id === created.id);
    expect(item).toMatchObject({
      name: 'HR onboarding',
      scope: 'write',
      teams: 'all',
      status: 'active',
      createdBy: { name: 'Olga Admin' },
      lastUsedIp: '127.0.0.1',
    });
    expect(item.lastUsedAt).not.toBeNull();
    expect(item.expiresAt).toMatch(/^2031-01-31T23:59:59/);
    expect(item).not.toHaveProperty('token');
    const audit = await f.admin.get(`/api/v1/organizations/${f.organization.id}/audit?action=api_token.created`);
    expect(audit.body.items.some((event: { targetId: string }) => event.targetId === created.id)).toBe(true);
  });

  it('does what its scope and teams allow, and nothing else; another organization is not found', async () => {
    const teamA = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 2 });
    const teamB = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 2 });
    const licensesPath = `/api/v1/organizations/${f.organization.id}/licenses`;

    const reader = bearer((await createToken({ name: 'Finance', scope: 'read', teams: 'all' })).token);
    expect((await reader.get(licensesPath)).status).toBe(200);
    expect((await reader.get(`/api/v1/teams/${teamB.teamId}`)).status).toBe(200);
    const readerAssign = await reader.post(`/api/v1/teams/${teamA.teamId}/assignments`, { productId: f.product.id, emails: [uniqueEmail()] });
    expect(readerAssign.status).toBe(403);

    const teamWriter = bearer((await createToken({ name: 'Team A bot', scope: 'write', teams: [teamA.teamId] })).token);
    const assigned = await teamWriter.post(`/api/v1/teams/${teamA.teamId}/assignments`, { productId: f.product.id, emails: [uniqueEmail('bot')] });
    expect(assigned.status).toBe(200);
    expect(assigned.body.results[0].status).toBe('assigned');
    expect((await teamWriter.get(`/api/v1/teams/${teamB.teamId}`)).status).toBe(404);
    const seen = await teamWriter.get(licensesPath);
    expect(seen.status).toBe(200);
    expect(new Set(seen.body.items.map((license: { teamId: string }) => license.teamId))).toEqual(new Set([teamA.teamId]));
    expect((await teamWriter.post(`/api/v1/organizations/${f.organization.id}/teams`, { name: 'Not mine' })).status).toBe(403);

    const other = await createOrganization(f.server, `Globex ${dialect}`);
    const otherAdmin = await signedInUser(f.server);
    await grantOrgRole(f.server, other.id, otherAdmin.userId, 'org_admin');
    const outsider = await otherAdmin.client.post(`/api/v1/organizations/${other.id}/api-tokens`, { name: 'Globex', scope: 'write', teams: 'all' });
    expect((await bearer(outsider.body.token).get(licensesPath)).status).toBe(404);
    expect((await bearer(outsider.body.token).get(`/api/v1/teams/${teamA.teamId}`)).status).toBe(404);
    // A team of another organization cannot be named in a token.
    expect((await otherAdmin.client.post(`/api/v1/organizations/${other.id}/api-tokens`, { name: 'x', scope: 'read', teams: [teamA.teamId] })).status).toBe(
      400,
    );
  });

  it('never manages people, tokens, webhooks or settings, even with write scope', async () => {
    const writer = bearer((await createToken({ name: 'Ops', scope: 'write', teams: 'all' })).token);
    const orgPath = `/api/v1/organizations/${f.organization.id}`;
    for (const response of [
      await writer.get(`${orgPath}/api-tokens`),
      await writer.post(`${orgPath}/api-tokens`, { name: 'child', scope: 'write', teams: 'all' }),
      await writer.post(`${orgPath}/admin-invitations`, { email: uniqueEmail(), role: 'org_admin' }),
      await writer.request('PATCH', orgPath, { json: { name: 'Taken over' } }),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('TOKEN_NOT_ALLOWED');
    }
  });

  it('stops working at once when revoked or expired', async () => {
    const created = await createToken({ name: 'Short-lived', scope: 'read', teams: 'all' });
    const client = bearer(created.token);
    expect((await client.get(`/api/v1/organizations/${f.organization.id}/teams`)).status).toBe(200);
    expect((await f.admin.request('DELETE', `${tokensPath()}/${created.id}`)).status).toBe(204);
    const refused = await client.get(`/api/v1/organizations/${f.organization.id}/teams`);
    expect(refused.status).toBe(401);
    expect((await f.admin.get(tokensPath())).body.items.find((token: { id: string }) => token.id === created.id).status).toBe('revoked');

    const expiring = await createToken({ name: 'Expiring', scope: 'read', teams: 'all' });
    await f.server.database.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', expiring.id)
      .execute();
    expect((await bearer(expiring.token).get(`/api/v1/organizations/${f.organization.id}/teams`)).status).toBe(401);
  });

  it('lets operators list and revoke operator tokens over the API', async () => {
    const operator = await signedInUser(f.server, { name: 'Otto Operator' });
    await makeOperator(f.server, operator.userId);
    const created = await operator.client.post('/api/v1/operator/api-tokens', { name: 'billing sync' });
    expect(created.status).toBe(201);
    expect((await f.admin.get('/api/v1/operator/api-tokens')).status).toBe(403);
    const listed = await operator.client.get('/api/v1/operator/api-tokens');
    expect(listed.body.items.some((token: { id: string; scope: string }) => token.id === created.body.id && token.scope === 'operator')).toBe(true);
    expect((await operator.client.request('DELETE', `/api/v1/operator/api-tokens/${created.body.id}`)).status).toBe(204);
    expect((await bearer(created.body.token).get('/api/v1/orders')).status).toBe(401);
  });
});

describe.each(DIALECTS)('API token rate limits on %s', (dialect) => {
  it('counts each token per minute, says so in RateLimit-* headers, and answers 429 with Retry-After past the limit', async () => {
    const server = await startTestServer({ dialect, env: { API_TOKEN_RATE_LIMIT: '3' } });
    try {
      const organization = await createOrganization(server, 'Limited');
      const admin = await signedInUser(server);
      await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
      const [first, second] = await Promise.all(
        ['one', 'two'].map(
          async (name) => (await admin.client.post(`/api/v1/organizations/${organization.id}/api-tokens`, { name, scope: 'read', teams: 'all' })).body.token,
        ),
      );
      const client = server.client({ authorization: `Bearer ${first}` });
      const path = `/api/v1/organizations/${organization.id}/teams`;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await client.get(path));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
      expect(answers[0]!.headers.get('ratelimit-limit')).toBe('3');
      expect(answers[0]!.headers.get('ratelimit-remaining')).toBe('2');
      expect(answers[2]!.headers.get('ratelimit-remaining')).toBe('0');
      expect(answers[3]!.body.code).toBe('RATE_LIMITED');
      expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another token has its own budget.
      expect((await server.client({ authorization: `Bearer ${second}` }).get(path)).status).toBe(200);
    } finally {
      await server.destroy();
    }
  });
});
