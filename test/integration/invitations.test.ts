import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDbTime } from '../../src/db/column-types.js';
import { uniqueEmail } from '../support/accounts.js';
import { createOrganization, createProduct, grantOrgRole, grantTeamRole, placeOrder, seedSignedInUsers, signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import type { HttpClient } from '../support/http-client.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DIALECTS)('bulk invitations on %s', (dialect) => {
  let server: TestServer;
  let smtp: TestSmtpServer;
  let organization: { id: string; name: string };
  let product: { id: string; code: string; name: string };
  let teamAdmin: { client: HttpClient; email: string; userId: string };
  let orgAdmin: HttpClient;
  let admin: { client: HttpClient; email: string; userId: string };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ dialect, smtp });
    organization = await createOrganization(server, 'Acme Robotics');
    product = await createProduct(server, 'PyCharm Professional');
    teamAdmin = await signedInUser(server, { name: 'Tess Teamadmin' });
    admin = await signedInUser(server, { name: 'Olga Orgadmin' });
    orgAdmin = admin.client;
    await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
  });
  afterAll(async () => {
    await server?.destroy();
    await smtp?.stop();
  });

  /** A team with `quantity` licenses, administered by teamAdmin, and an invitation for it. */
  async function invitationWith(quantity: number, settings: Record<string, unknown> = {}) {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity });
    await grantTeamRole(server, order.teamId!, teamAdmin.userId, 'team_admin');
    const created = await teamAdmin.client.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id, name: 'Spring hires', ...settings });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const token = created.body.link.split('/invite/')[1] as string;
    return { order, invitation: created.body, token };
  }

  const claim = (client: HttpClient, token: string) => client.post('/api/v1/invite/claim', { token });

  it('creates a link of 256 random-looking bits that an admin can copy again, and previews it to anyone', async () => {
    const { invitation, token } = await invitationWith(2, {
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      allowedDomains: 'Example.TEST, *.acme.test',
    });
    expect(invitation.link).toBe(`${server.baseUrl}/invite/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invitation).toMatchObject({ status: 'active', remaining: 2, claims: 0, allowedDomains: ['example.test', '*.acme.test'], productName: product.name });
    expect((await teamAdmin.client.get(`/api/v1/invitations/${invitation.id}`)).body.link).toBe(invitation.link);
    const viewer = await signedInUser(server);
    await grantOrgRole(server, organization.id, viewer.userId, 'org_viewer');
    const seenByViewer = await viewer.client.get(`/api/v1/invitations/${invitation.id}`);
    expect(seenByViewer.status).toBe(200);
    expect(seenByViewer.body.link, 'the link is a credential: readers do not get it').toBeNull();
    const stored = await server.database.db.selectFrom('invitations').selectAll().where('id', '=', invitation.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);

    const preview = await server.client().post('/api/v1/invite/preview', { token });
    // The team was created by an order and carries its reference: claimers are not shown it.
    expect(preview.body).toMatchObject({ name: 'Spring hires', productName: product.name, organizationName: organization.name, teamName: null, forYou: null });
    await teamAdmin.client.request('PATCH', `/api/v1/teams/${invitation.teamId}`, { json: { name: 'Robotics lab' } });
    expect((await server.client().post('/api/v1/invite/preview', { token })).body.teamName, 'a real team name is shown').toBe('Robotics lab');
  });

  it('rejects a malformed domain with a message naming it', async () => {
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 1 });
    const response = await orgAdmin.post(`/api/v1/teams/${order.teamId}/invitations`, {
      productId: product.id,
      allowedDomains: 'acme.com, not a domain!, -bad-.com',
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.fields.allowedDomains).toContain('Not a domain: not, a, domain!, -bad-.com');
  });

  it('lets a verified user claim once: the license shows on the account page, everyone is told, and a retry returns the same license', async () => {
    const { invitation, token } = await invitationWith(2);
    const claimer = await signedInUser(server, { name: 'Cleo Claimer' });
    const first = await claim(claimer.client, token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ productName: product.name, organizationName: organization.name, alreadyClaimed: false });
    const again = await claim(claimer.client, token);
    expect(again.body).toMatchObject({ licenseId: first.body.licenseId, alreadyClaimed: true });

    const mine = await claimer.client.get('/api/v1/me/licenses');
    // The team still carries its order's reference as its name: the holder is not shown it.
    expect(mine.body.items).toEqual([expect.objectContaining({ id: first.body.licenseId, productName: product.name, teamName: null })]);
    expect(invitation.teamName).toMatch(/^Order T-/);
    await smtp.waitFor((m) => m.to.includes(claimer.email) && m.subject === `Your ${product.name} license is ready`);
    const notice = await smtp.waitFor((m) => m.to.includes(teamAdmin.email) && m.subject === `Cleo Claimer claimed a ${product.name} license`);
    expect(notice.text).toContain('1 free license remains');

    const accepted = await teamAdmin.client.get(`/api/v1/invitations/${invitation.id}/accepted`);
    expect(accepted.body.items).toEqual([
      expect.objectContaining({ userName: 'Cleo Claimer', email: claimer.email, licenseId: first.body.licenseId, stillHeld: true }),
    ]);
    const history = await orgAdmin.get(`/api/v1/licenses/${first.body.licenseId}/history`);
    expect(history.body.items[0]).toMatchObject({ source: 'invitation', email: claimer.email });
    const audit = await orgAdmin.get(`/api/v1/organizations/${organization.id}/audit?action=invitation.claimed`);
    expect(audit.body.items.some((e: { targetId: string }) => e.targetId === first.body.licenseId)).toBe(true);
  });

  it('checks the verified address against the allowed domains, and says which are accepted', async () => {
    const { token } = await invitationWith(2, { allowedDomains: ['*.acme.test'] });
    const outsider = await signedInUser(server, { email: uniqueEmail('outsider') });
    const refused = await claim(outsider.client, token);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'EMAIL_DOMAIN_NOT_ALLOWED', details: { allowedDomains: ['*.acme.test'] } });
    expect(refused.body.message).toContain('*.acme.test');
    const insider = await signedInUser(server, { email: `dev-${Date.now()}@berlin.acme.test` });
    expect((await claim(insider.client, token)).status).toBe(200);

    const unverified = await signedInUser(server, { email: `late-${Date.now()}@acme.test` });
    await server.database.db.updateTable('users').set({ email_verified: 0 }).where('id', '=', unverified.userId).execute();
    const notVerified = await claim(unverified.client, token);
    expect(notVerified.status).toBe(403);
    expect(notVerified.body.code).toBe('EMAIL_NOT_VERIFIED');
  });

  it('answers disabled, expired, exhausted and unknown links with their own codes', async () => {
    const { invitation, token } = await invitationWith(3, { maxClaims: 1 });
    const users = await Promise.all([signedInUser(server), signedInUser(server), signedInUser(server)]);

    await teamAdmin.client.request('PATCH', `/api/v1/invitations/${invitation.id}`, { json: { enabled: false } });
    expect((await claim(users[0].client, token)).body.code).toBe('INVITATION_DISABLED');
    expect((await server.client().post('/api/v1/invite/preview', { token })).body.code).toBe('INVITATION_DISABLED');
    await teamAdmin.client.request('PATCH', `/api/v1/invitations/${invitation.id}`, { json: { enabled: true } });

    expect((await claim(users[0].client, token)).status).toBe(200);
    const exhausted = await claim(users[1].client, token);
    expect(exhausted.status).toBe(410);
    expect(exhausted.body.code).toBe('INVITATION_EXHAUSTED');
    expect((await teamAdmin.client.get(`/api/v1/invitations/${invitation.id}`)).body.status).toBe('exhausted');

    await teamAdmin.client.request('PATCH', `/api/v1/invitations/${invitation.id}`, {
      json: { maxClaims: null, expiresAt: new Date(Date.now() - 1000).toISOString() },
    });
    expect((await claim(users[2].client, token)).body.code).toBe('INVITATION_EXPIRED');

    for (const bogus of ['x'.repeat(43), 'short', '../../etc/passwd']) {
      const response = await claim(users[2].client, bogus);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('INVITATION_NOT_FOUND');
    }
  });

  it('regenerating kills the old link at once; deleting keeps the accepted list in the audit log', async () => {
    const { invitation, token } = await invitationWith(3);
    const early = await signedInUser(server);
    await claim(early.client, token);
    const regenerated = await teamAdmin.client.post(`/api/v1/invitations/${invitation.id}/regenerate`);
    const newToken = regenerated.body.link.split('/invite/')[1];
    expect(newToken).not.toBe(token);
    const late = await signedInUser(server);
    expect((await claim(late.client, token)).body.code).toBe('INVITATION_NOT_FOUND');
    expect((await claim(late.client, newToken)).status).toBe(200);

    expect((await teamAdmin.client.request('DELETE', `/api/v1/invitations/${invitation.id}`)).status).toBe(204);
    expect((await claim(late.client, newToken)).body.code).toBe('INVITATION_NOT_FOUND');
    const audit = await orgAdmin.get(`/api/v1/organizations/${organization.id}/audit?action=invitation.deleted`);
    const deleted = audit.body.items.find((e: { targetId: string }) => e.targetId === invitation.id);
    expect(deleted.details.accepted.map((a: { email: string }) => a.email).sort()).toEqual([early.email, late.email].sort());
    expect((await early.client.get('/api/v1/me/licenses')).body.items, 'claimed licenses stay').toHaveLength(1);
  });

  it('after a revoke the same link does not hand the license back, but an admin can still assign it', async () => {
    const { order, token } = await invitationWith(2);
    const user = await signedInUser(server);
    const claimed = await claim(user.client, token);
    await orgAdmin.post(`/api/v1/organizations/${organization.id}/licenses/revoke`, { licenseIds: [claimed.body.licenseId] });
    const again = await claim(user.client, token);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVITATION_ALREADY_USED');
    const direct = await orgAdmin.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [user.email] });
    expect(direct.body.results[0].status).toBe('assigned');
  });

  it('previews what a claim would do for the signed-in person: claimable, claimed, or refused with the reason', async () => {
    const { token } = await invitationWith(1);
    const first = await signedInUser(server, { name: 'Fay First' });
    const second = await signedInUser(server, { name: 'Sam Second' });
    const forYou = async (client: HttpClient) => (await client.post('/api/v1/invite/preview', { token })).body.forYou;

    expect(await forYou(first.client)).toEqual({ email: first.email, outcome: 'claimable', refusal: null, licenseId: null });
    const claimed = await claim(first.client, token);
    expect(await forYou(first.client)).toEqual({ email: first.email, outcome: 'claimed', refusal: null, licenseId: claimed.body.licenseId });
    expect(await forYou(second.client)).toMatchObject({ outcome: 'refused', refusal: { code: 'NO_ASSETS_LEFT', message: 'No assets left' } });
    // The forecast and the claim agree.
    expect((await claim(second.client, token)).body.code).toBe('NO_ASSETS_LEFT');

    await orgAdmin.post(`/api/v1/organizations/${organization.id}/licenses/revoke`, { licenseIds: [claimed.body.licenseId] });
    const afterRevoke = await forYou(first.client);
    expect(afterRevoke).toMatchObject({ outcome: 'refused', refusal: { code: 'INVITATION_ALREADY_USED' } });
    expect(afterRevoke.refusal.message).toContain(`was revoked by ${organization.name} on`);
    const mine = await first.client.get('/api/v1/me/licenses');
    expect(mine.body.items).toEqual([]);
    expect(mine.body.ended).toEqual([
      expect.objectContaining({ licenseId: claimed.body.licenseId, productName: product.name, organizationName: organization.name, reason: 'revoked' }),
    ]);

    await server.database.db.updateTable('users').set({ email_verified: 0 }).where('id', '=', second.userId).execute();
    expect(await forYou(second.client)).toMatchObject({ outcome: 'refused', refusal: { code: 'EMAIL_NOT_VERIFIED' } });
  });

  it('emails whoever created an invitation at each claim by default, in a team without team administrators, and lists who hears and why', async () => {
    const settingsPath = `/api/v1/organizations/${organization.id}/notification-settings`;
    await orgAdmin.request('PUT', settingsPath, { json: { claimNotifications: 'mine' } });
    const otherAdmin = await signedInUser(server, { name: 'Otto Otheradmin' });
    await grantOrgRole(server, organization.id, otherAdmin.userId, 'org_admin');
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 3 });
    const created = await orgAdmin.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id });
    const token = created.body.link.split('/invite/')[1] as string;

    const settings = await orgAdmin.get(settingsPath);
    expect(settings.body).toMatchObject({ claimNotifications: 'mine', reach: { organizationAdmin: true, teamsAdministered: [] } });
    expect(settings.body.reach.invitationsCreated).toBeGreaterThanOrEqual(1);
    const recipients = await otherAdmin.client.get(`/api/v1/invitations/${created.body.id}/claim-emails`);
    expect(recipients.body.items).toEqual([expect.objectContaining({ name: 'Olga Orgadmin', delivery: 'each', reason: 'created' })]);

    for (const name of ['Ann Claimer', 'Ben Claimer']) {
      const claimer = await signedInUser(server, { name });
      expect((await claim(claimer.client, token)).status).toBe(200);
      const notice = await smtp.waitFor((m) => m.subject === `${name} claimed a ${product.name} license`);
      expect(notice.to, 'the creator hears of each claim').toEqual([admin.email]);
    }
    const claimNotices = smtp.received.filter((m) => m.subject.endsWith(`Claimer claimed a ${product.name} license`));
    expect(
      claimNotices.some((m) => m.to.includes(otherAdmin.email)),
      'other organization admins are not flooded',
    ).toBe(false);

    // Turned off: the list is empty and the next claim mails nobody.
    await orgAdmin.request('PUT', settingsPath, { json: { claimNotifications: 'off' } });
    expect((await orgAdmin.get(`/api/v1/invitations/${created.body.id}/claim-emails`)).body.items).toEqual([]);
    const quiet = await claim((await signedInUser(server)).client, token);
    const claimRow = await server.database.db
      .selectFrom('invitation_claims')
      .select('id')
      .where('license_id', '=', quiet.body.licenseId)
      .executeTakeFirstOrThrow();
    const keys = await server.database.db.selectFrom('outbox').select('dedup_key').where('dedup_key', 'like', `claim-notification:${claimRow.id}:%`).execute();
    expect(keys).toEqual([]);
    expect((await orgAdmin.request('PUT', settingsPath, { json: { claimNotifications: 'mine' } })).body.claimNotifications).toBe('mine');
  });

  it('says No assets left when the pool is empty and notifies the administrators once per person', async () => {
    const { token } = await invitationWith(1);
    const first = await signedInUser(server);
    const tooEarly = await first.client.post('/api/v1/invite/notify-admins', { token });
    expect(tooEarly.status, 'nothing to wait for while licenses are free').toBe(400);
    await claim(first.client, token);
    const waiting = await signedInUser(server, { name: 'Wanda Waiting' });
    const refused = await claim(waiting.client, token);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'NO_ASSETS_LEFT', message: 'No assets left' });
    expect((await waiting.client.post('/api/v1/invite/notify-admins', { token })).body).toEqual({ notified: true });
    expect((await waiting.client.post('/api/v1/invite/notify-admins', { token })).body).toEqual({ notified: false });
    await smtp.waitFor((m) => m.to.includes(teamAdmin.email) && m.subject === `Wanda Waiting is waiting for a ${product.name} license`);
    // Another pass of the mail worker sends nothing more.
    await server.services.deliveryWorker.runOnce();
    expect(smtp.received.filter((m) => m.subject === `Wanda Waiting is waiting for a ${product.name} license` && m.to.includes(teamAdmin.email))).toHaveLength(
      1,
    );
  });

  it('sends digest subscribers one daily email instead of one per claim, and nothing to those who turned it off', async () => {
    const { token } = await invitationWith(3);
    await orgAdmin.request('PUT', `/api/v1/organizations/${organization.id}/notification-settings`, { json: { claimNotifications: 'digest' } });
    await teamAdmin.client.request('PUT', `/api/v1/organizations/${organization.id}/notification-settings`, { json: { claimNotifications: 'off' } });
    try {
      const claimers = await Promise.all([signedInUser(server, { name: 'Dora Digest' }), signedInUser(server, { name: 'Dan Digest' })]);
      for (const c of claimers) expect((await claim(c.client, token)).status).toBe(200);
      const adminEmail = admin.email;
      expect(await server.services.invitations.sendDueDigests(), 'not due before a day has passed').toBe(0);
      await server.database.db
        .updateTable('claim_digest_items')
        .set({ created_at: toDbTime(new Date(Date.now() - 25 * 3_600_000)) })
        .where('sent_at', 'is', null)
        .execute();
      expect(await server.services.invitations.sendDueDigests()).toBe(1);
      const digest = await smtp.waitFor((m) => m.to.includes(adminEmail) && m.subject.startsWith('2 licenses were claimed'));
      expect(digest.text).toContain('Dora Digest');
      expect(digest.text).toContain('Dan Digest');
      expect(smtp.received.some((m) => m.to.includes(teamAdmin.email) && m.subject.includes('Dora Digest'))).toBe(false);
    } finally {
      await orgAdmin.request('PUT', `/api/v1/organizations/${organization.id}/notification-settings`, { json: { claimNotifications: 'off' } });
      await teamAdmin.client.request('PUT', `/api/v1/organizations/${organization.id}/notification-settings`, { json: { claimNotifications: 'mine' } });
    }
  });

  it('gives exactly 10 of 500 concurrent claimers a license, over HTTP, and records each claim once', async () => {
    const { invitation, token } = await invitationWith(10);
    const claimers = await seedSignedInUsers(server, 500);
    const answers = await Promise.all(
      claimers.map(async ({ cookie }) => {
        const response = await fetch(`${server.baseUrl}/api/v1/invite/claim`, {
          method: 'POST',
          headers: { cookie, origin: server.baseUrl, 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        });
        const body = (await response.json()) as { code?: string };
        return { status: response.status, code: body.code };
      }),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
    expect(answers.filter((a) => a.code === 'NO_ASSETS_LEFT')).toHaveLength(490);

    const db = server.database.db;
    const assigned = await db
      .selectFrom('licenses')
      .select('assignee_user_id')
      .where('team_id', '=', invitation.teamId)
      .where('assignee_email', 'is not', null)
      .execute();
    expect(assigned).toHaveLength(10);
    expect(new Set(assigned.map((a) => a.assignee_user_id)).size).toBe(10);
    const claimIds = (await db.selectFrom('invitation_claims').select('id').where('invitation_id', '=', invitation.id).execute()).map((c) => String(c.id));
    expect(claimIds).toHaveLength(10);
    const notifications = await db.selectFrom('outbox').select('dedup_key').where('dedup_key', 'like', 'claim-notification:%').execute();
    expect(notifications.filter((n) => claimIds.includes(n.dedup_key.split(':')[1]!))).toHaveLength(10);
    expect((await teamAdmin.client.get(`/api/v1/invitations/${invitation.id}/accepted`)).body.items).toHaveLength(10);
    // Accepted invitations come a page at a time, newest first, each claim once.
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ licenseId: string }>; nextCursor: string | null } } = await teamAdmin.client.get(
        `/api/v1/invitations/${invitation.id}/accepted?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(page.body.items.map((item) => item.licenseId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([4, 4, 2]);
    expect(new Set(pages.flat()).size).toBe(10);
  });

  it('gives one license to one person claiming from 20 parallel requests', async () => {
    const { invitation, token } = await invitationWith(5);
    const [person] = await seedSignedInUsers(server, 1, 'eager');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${server.baseUrl}/api/v1/invite/claim`, {
          method: 'POST',
          headers: { cookie: person!.cookie, origin: server.baseUrl, 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { licenseId?: string } })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => a.body.licenseId)).size).toBe(1);
    const held = await server.database.db
      .selectFrom('licenses')
      .select('id')
      .where('team_id', '=', invitation.teamId)
      .where('assignee_user_id', '=', person!.userId)
      .execute();
    expect(held).toHaveLength(1);
  });

  it('keeps a license consistent when a claim and a revoke race for it', async () => {
    for (let round = 0; round < 10; round++) {
      const { token } = await invitationWith(1);
      const [holder, challenger] = await seedSignedInUsers(server, 2, `duel${round}`);
      const post = (cookie: string) =>
        fetch(`${server.baseUrl}/api/v1/invite/claim`, {
          method: 'POST',
          headers: { cookie, origin: server.baseUrl, 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        });
      const held = (await (await post(holder!.cookie)).json()) as { licenseId: string };
      await Promise.all([
        orgAdmin.post(`/api/v1/organizations/${organization.id}/licenses/revoke`, { licenseIds: [held.licenseId] }),
        post(challenger!.cookie),
      ]);
      const license = await server.database.db
        .selectFrom('licenses')
        .select(['assignee_user_id', 'assignee_email'])
        .where('id', '=', held.licenseId)
        .executeTakeFirstOrThrow();
      expect([null, challenger!.userId]).toContain(license.assignee_user_id);
      const active = await server.database.db
        .selectFrom('license_assignments')
        .select(['user_id'])
        .where('license_id', '=', held.licenseId)
        .where('ended_at', 'is', null)
        .execute();
      expect(active.map((a) => a.user_id)).toEqual(license.assignee_user_id ? [license.assignee_user_id] : []);
    }
  });
});
