import { describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/accounts.js';
import { placeOrder, useConsoleServer } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('Idempotency-Key on %s', (dialect) => {
  const f = useConsoleServer(dialect);
  const withKey = (key: string) => ({ headers: { 'idempotency-key': key } });

  async function tokenClient(scope: 'read' | 'write' = 'write') {
    const created = await f.admin.post(`/api/v1/organizations/${f.organization.id}/api-tokens`, { name: `idem ${scope}`, scope, teams: 'all' });
    return { client: f.server.client({ authorization: `Bearer ${created.body.token}` }), token: created.body.token as string };
  }

  const auditCount = async (action: string, targetId: string) =>
    (await f.server.database.db.selectFrom('audit_events').select('id').where('action', '=', action).where('target_id', '=', targetId).execute()).length;

  it('replays the first answer to a retried assignment and assigns once', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 3 });
    const { client } = await tokenClient();
    const body = { productId: f.product.id, emails: [uniqueEmail('hire')] };
    const path = `/api/v1/teams/${order.teamId}/assignments`;
    const first = await client.post(path, body, withKey(`onboard-${dialect}-1`));
    expect(first.status).toBe(200);
    expect(first.body.results[0].status).toBe('assigned');
    const again = await client.post(path, body, withKey(`onboard-${dialect}-1`));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await auditCount('license.assigned', first.body.results[0].licenseId)).toBe(1);
    const held = await f.server.database.db.selectFrom('licenses').select('id').where('assignee_email', '=', body.emails[0]!).execute();
    expect(held).toHaveLength(1);

    const reused = await client.post(path, { ...body, emails: [uniqueEmail('other')] }, withKey(`onboard-${dialect}-1`));
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('revokes once however often the offboarding retries, and keeps keys apart per credential', async () => {
    const order = await placeOrder(f.server, { organizationId: f.organization.id, productCode: f.product.code, quantity: 2 });
    const assigned = await f.admin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: f.product.id, emails: [uniqueEmail('leaver')] });
    const licenseId = assigned.body.results[0].licenseId as string;
    const { client } = await tokenClient();
    const path = `/api/v1/organizations/${f.organization.id}/licenses/revoke`;
    const answers = await Promise.all([1, 2, 3].map(() => client.post(path, { licenseIds: [licenseId] }, withKey(`offboard-${dialect}`))));
    // One ran; the others replayed it, or were told it was still running.
    expect(answers.filter((answer) => answer.status === 200 && answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    const replay = await client.post(path, { licenseIds: [licenseId] }, withKey(`offboard-${dialect}`));
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual({ revoked: [licenseId] });
    expect(await auditCount('license.revoked', licenseId)).toBe(1);

    // The same key from another credential is another request: it runs (and finds nothing left to revoke).
    const other = await tokenClient();
    const fresh = await other.client.post(path, { licenseIds: [licenseId] }, withKey(`offboard-${dialect}`));
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keeps answers that describe the request, not those a retry may change, and seals what it keeps', async () => {
    const { client } = await tokenClient();
    const path = `/api/v1/organizations/${f.organization.id}/teams`;
    expect((await client.post(path, { name: `Taken ${dialect}` })).status).toBe(201);
    const taken = await client.post(path, { name: `Taken ${dialect}` }, withKey(`team-${dialect}-taken`));
    expect(taken.body.code).toBe('TEAM_NAME_TAKEN');
    const takenAgain = await client.post(path, { name: `Taken ${dialect}` }, withKey(`team-${dialect}-taken`));
    expect(takenAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(takenAgain.body).toEqual(taken.body);

    const anonymous = await f.server.client().post(path, { name: 'x' }, withKey(`team-${dialect}-anon`));
    expect(anonymous.status).toBe(401);
    expect(await f.server.database.db.selectFrom('idempotency_keys').select('key').where('key', '=', `team-${dialect}-anon`).execute()).toEqual([]);

    const created = await f.admin.post(
      `/api/v1/organizations/${f.organization.id}/api-tokens`,
      { name: 'replayed', scope: 'read', teams: 'all' },
      withKey(`token-${dialect}`),
    );
    const replayed = await f.admin.post(
      `/api/v1/organizations/${f.organization.id}/api-tokens`,
      { name: 'replayed', scope: 'read', teams: 'all' },
      withKey(`token-${dialect}`),
    );
    expect(replayed.body.token).toBe(created.body.token);
    const rows = await f.server.database.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(created.body.token.slice('allot_'.length));

    expect((await client.post(path, { name: 'x' }, withKey('not a valid key'))).body.code).toBe('IDEMPOTENCY_KEY_INVALID');
  });
});
