import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '../../src/compose.js';
import type { Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { cliActor, type Actor } from '../../src/modules/access/actor.js';
import { PASSWORD, totp, uniqueEmail } from '../support/accounts.js';
import { createOrganization, createProduct, grantOrgRole, grantTeamRole, placeOrder, seedSignedInUsers, signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import { sealerFor } from '../../src/lib/sealing.js';
import { webhooksRepository } from '../../src/modules/webhooks/webhooks.repository.js';
import { expectCountersAgreeWithRows } from '../support/invariants.js';
import { ManualClock, startTestServer, type TestServer } from '../support/test-server.js';

const DAY = 86_400_000;
const dayOf = (instant: Date) => instant.toISOString().slice(0, 10);

/**
 * The seat lifecycle (issue 13) on a server whose clock the test moves: usage history, expiry
 * notices, low-seat alerts, the idle-seat policy, give-back, the 2FA policy and account deletion.
 * Sessions are Better Auth's, valid 7 real days: the clock moves into the past to build history
 * and never more than a few days past now while a test speaks HTTP.
 */
describe.each(DIALECTS)('seat lifecycle on %s', (dialect) => {
  const realNow = new Date();
  const clock = new ManualClock(realNow);
  let server: TestServer;
  /** A second instance on the same database (services only), with the same clock. */
  let second: ReturnType<typeof composeServices>;
  let secondDatabase: Database;
  let product: { id: string; code: string; name: string };

  beforeAll(async () => {
    server = await startTestServer({ dialect, clock });
    secondDatabase = server.testDatabase.open();
    second = composeServices({ config: server.config, database: secondDatabase, logger: createLogger({ level: 'silent' }), clock });
    product = await createProduct(server, 'CLion');
  });
  afterAll(async () => {
    await secondDatabase?.close();
    await server?.destroy();
  });

  /**
   * A job run by both instances: at once on PostgreSQL; on SQLite one after the other, since one
   * server owns an embedded database (its pid file refuses a second) and a restart is the nearest case.
   */
  async function bothInstances<T>(job: (services: ReturnType<typeof composeServices>) => Promise<T>): Promise<T[]> {
    if (dialect === 'postgres') return Promise.all([job(server.services), job(second)]);
    return [await job(server.services), await job(second)];
  }

  async function organizationWithAdmin(name: string) {
    clock.set(realNow);
    const organization = await createOrganization(server, name);
    const admin = await signedInUser(server, { name: `${name} Admin` });
    await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
    return { organization, admin };
  }

  /** A bulk invitation's token, for an organization's team. */
  const bulkInvitationIn = async (organizationId: string, teamId: string) => {
    const invitation = await server.services.invitations.create(adminOf(organizationId), teamId, { productId: product.id, name: undefined });
    return invitation.link!.split('/').pop()!;
  };

  /** An order of `quantity` licenses of the product, valid `days` days from now. */
  const orderOf = (organizationId: string, quantity: number, days: number) =>
    placeOrder(server, { organizationId, productCode: product.code, quantity, validUntil: new Date(realNow.getTime() + days * DAY) });

  /** Outbox messages to an address whose subject matches. */
  async function mailTo(email: string, subject: RegExp) {
    const rows = await server.database.db.selectFrom('outbox').select(['subject', 'dedup_key']).where('to_address', '=', email).orderBy('id').execute();
    return rows.filter((row) => subject.test(row.subject));
  }

  /** The CLI's powers as an administrator of one organization (services check roles, not the operator flag). */
  const adminOf = (organizationId: string): Actor => ({ ...cliActor, orgRoles: new Map([[organizationId, new Set(['org_admin' as const])]]) });

  async function assign(organizationId: string, teamId: string, emails: string[]) {
    const results = await server.services.licenses.assign(adminOf(organizationId), { teamId, productId: product.id, emails });
    for (const result of results) expect(result.status).toBe('assigned');
    return results.map((result) => (result as { licenseId: string }).licenseId);
  }

  it('records one row per day and pool, from history, without doubling across instances, and serves it as JSON and CSV', async () => {
    const { organization, admin } = await organizationWithAdmin('Usage Co');
    const start = new Date(realNow.getTime() - 10 * DAY);
    clock.set(start);
    const order = await orderOf(organization.id, 10, 300);
    const [first, second_, third] = await assign(organization.id, order.teamId!, [uniqueEmail('u1'), uniqueEmail('u2'), uniqueEmail('u3')]);
    clock.set(new Date(realNow.getTime() - 8 * DAY));
    await server.services.licenses.revoke(adminOf(organization.id), organization.id, [third!]);
    // One holder's product was in use from 9 to 7 days ago: active in the 30 days after.
    const holder = await server.database.db.selectFrom('licenses').select(['assignee_email']).where('id', '=', first!).executeTakeFirstOrThrow();
    const holderUser = await signedInUser(server, { email: holder.assignee_email! });
    await server.database.db
      .insertInto('machine_activations')
      .values({
        id: crypto.randomUUID(),
        license_id: first!,
        user_id: holderUser.userId,
        machine_id: 'm-1',
        machine_name: 'Laptop',
        product_version: '1.0',
        kind: 'online',
        refresh_token_hash: null,
        previous_refresh_token_hash: null,
        older_refresh_token_hash: null,
        offline_code_id: null,
        first_seen_at: new Date(realNow.getTime() - 9 * DAY).toISOString(),
        last_seen_at: new Date(realNow.getTime() - 7 * DAY).toISOString(),
        ticket_expires_at: new Date(realNow.getTime() + 7 * DAY).toISOString(),
        deactivated_at: null,
        deactivation_reason: null,
      })
      .execute();
    expect(second_).toBeDefined();

    clock.set(realNow);
    // Both instances at once, twice: the day keys make it one row per day and pool.
    await bothInstances((services) => services.usage.recordDays());
    await server.services.usage.recordDays();
    const rows = await server.database.db
      .selectFrom('usage_daily')
      .select(['day', 'total', 'assigned', 'active'])
      .where('organization_id', '=', organization.id)
      .orderBy('day')
      .execute();
    expect(rows.map((row) => row.day)).toEqual(Array.from({ length: 11 }, (_, i) => dayOf(new Date(start.getTime() + i * DAY))));
    const byDay = new Map(rows.map((row) => [row.day, row]));
    expect(byDay.get(dayOf(start))).toMatchObject({ total: 10, assigned: 3, active: 0 });
    expect(byDay.get(dayOf(new Date(realNow.getTime() - 8 * DAY)))).toMatchObject({ total: 10, assigned: 2, active: 1 });
    expect(byDay.get(dayOf(realNow))).toMatchObject({ total: 10, assigned: 2, active: 1 });

    const report = await admin.client.get(`/api/v1/organizations/${organization.id}/usage?days=30`);
    expect(report.status).toBe(200);
    expect(report.body.from).toBe(dayOf(new Date(realNow.getTime() - 29 * DAY)));
    expect(report.body.overall).toHaveLength(11);
    expect(report.body.overall.at(-1)).toEqual({ day: dayOf(realNow), total: 10, assigned: 2, free: 8, active: 1 });
    expect(report.body.byTeam[0]).toMatchObject({ teamId: order.teamId });
    expect(report.body.products).toEqual([{ id: product.id, code: product.code, name: product.name }]);
    expect((await admin.client.get(`/api/v1/organizations/${organization.id}/usage?days=31`)).body.code).toBe('VALIDATION_FAILED');

    const csv = await admin.client.get(`/api/v1/organizations/${organization.id}/usage.csv?days=90`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe('Day,Product code,Product,Team,Total,Assigned,Free,Active');
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe(`${dayOf(realNow)},${product.code},${product.name},${order.teamName},10,2,8,1`);

    // Another organization's admin learns nothing.
    const { admin: stranger } = await organizationWithAdmin('Elsewhere');
    expect((await stranger.client.get(`/api/v1/organizations/${organization.id}/usage`)).status).toBe(404);
  });

  it('sends each expiry notice once, at 30, 7 and 1 days, to administrators who want it, and the 7-day one to holders, across two instances', async () => {
    const { organization, admin } = await organizationWithAdmin('Expiring Co');
    const validUntil = new Date(realNow.getTime() + 40 * DAY);
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 3, validUntil });
    const teamAdmin = await signedInUser(server, { name: 'Tess Team' });
    await grantTeamRole(server, order.teamId!, teamAdmin.userId, 'team_admin');
    const quietAdmin = await signedInUser(server, { name: 'Quinn Quiet' });
    await grantOrgRole(server, organization.id, quietAdmin.userId, 'org_admin');
    const viewer = await signedInUser(server, { name: 'Vic Viewer' });
    await grantOrgRole(server, organization.id, viewer.userId, 'org_viewer');
    const off = await quietAdmin.client.put(`/api/v1/organizations/${organization.id}/notice-preferences`, { expiry: false });
    expect(off.body).toEqual({ expiry: false, lowSeats: true });
    expect((await viewer.client.get(`/api/v1/organizations/${organization.id}/notice-preferences`)).status).toBe(403);
    const holderWithAccount = await signedInUser(server, { name: 'Hal Holder' });
    const holders = [holderWithAccount.email, uniqueEmail('h2')];
    await assign(organization.id, order.teamId!, holders);

    const runBoth = () => bothInstances((services) => services.seats.sendDueExpiryNotices());
    const noticesTo = (email: string) => mailTo(email, /end/);
    clock.set(new Date(validUntil.getTime() - 31 * DAY));
    await runBoth();
    expect(await noticesTo(admin.email)).toHaveLength(0);

    clock.set(new Date(validUntil.getTime() - 29 * DAY));
    await runBoth();
    await runBoth();
    expect((await noticesTo(admin.email)).map((m) => m.subject)).toEqual([`${product.name} licenses of ${order.teamName} end in 30 days`]);
    expect(await noticesTo(teamAdmin.email)).toHaveLength(1);
    expect(await noticesTo(quietAdmin.email)).toHaveLength(0);
    expect(await noticesTo(viewer.email)).toHaveLength(0);
    expect(await noticesTo(holders[0]!)).toHaveLength(0);

    clock.set(new Date(validUntil.getTime() - 20 * DAY));
    await runBoth();
    expect(await noticesTo(admin.email)).toHaveLength(1);

    clock.set(new Date(validUntil.getTime() - 6 * DAY));
    await runBoth();
    await runBoth();
    expect((await noticesTo(admin.email)).map((m) => m.subject)).toContain(`${product.name} licenses of ${order.teamName} end in 7 days`);
    expect(await noticesTo(admin.email)).toHaveLength(2);
    for (const holder of holders)
      expect((await noticesTo(holder)).map((m) => m.subject)).toEqual([expect.stringMatching(new RegExp(`^Your ${product.name} license ends on `))]);

    clock.set(new Date(validUntil.getTime() - 12 * 3_600_000));
    await runBoth();
    expect((await noticesTo(admin.email)).map((m) => m.subject).at(-1)).toBe(`${product.name} licenses of ${order.teamName} end tomorrow`);
    expect(await noticesTo(admin.email)).toHaveLength(3);
    expect(await noticesTo(teamAdmin.email)).toHaveLength(3);
    expect(await noticesTo(holders[0]!)).toHaveLength(1);

    // After the end: the license list shows them as expired, and filters them.
    clock.set(new Date(validUntil.getTime() + DAY));
    const expired = await server.services.licenses.list(adminOf(organization.id), { organizationId: organization.id, status: 'expired', limit: 50 });
    expect(expired.items).toHaveLength(3);
    const unassigned = await server.services.licenses.list(adminOf(organization.id), { organizationId: organization.id, status: 'unassigned', limit: 50 });
    expect(unassigned.items).toHaveLength(0);
    expect(await server.services.seats.sendDueExpiryNotices()).toBe(0);
    // The account page: no longer held, shown as expired on the day it ended.
    const mine = await server.services.licenses.listForUser(holderWithAccount.userId);
    expect(mine.items).toEqual([]);
    expect(mine.ended).toEqual([expect.objectContaining({ reason: 'expired', endedAt: validUntil, productName: product.name })]);
  });

  it('alerts the administrators once when a pool runs out, not per claim, and again after it was refilled and emptied', async () => {
    const { organization, admin } = await organizationWithAdmin('Scarce Co');
    const order = await orderOf(organization.id, 3, 200);
    const token = await bulkInvitationIn(organization.id, order.teamId!);
    // Ten people race for three licenses through the link.
    const racers = await seedSignedInUsers(server, 10, 'scarce');
    const answers = await Promise.all(racers.map((racer) => server.client({ cookie: racer.cookie }).post('/api/v1/invite/claim', { token })));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    expect(answers.filter((answer) => answer.body.code === 'NO_ASSETS_LEFT')).toHaveLength(7);
    const alerts = () => mailTo(admin.email, new RegExp(`^No ${product.name} licenses left`));
    expect(await alerts()).toHaveLength(1);

    // One back, one taken: a new crossing.
    const taken = await server.database.db
      .selectFrom('licenses')
      .select('id')
      .where('team_id', '=', order.teamId!)
      .where('assignee_email', 'is not', null)
      .execute();
    await server.services.licenses.revoke(adminOf(organization.id), organization.id, [taken[0]!.id]);
    expect(await alerts()).toHaveLength(1);
    await assign(organization.id, order.teamId!, [uniqueEmail('refill')]);
    expect(await alerts()).toHaveLength(2);

    // A threshold of 2: one alert when the free seats reach 2, none below.
    expect((await admin.client.patch(`/api/v1/organizations/${organization.id}`, { lowSeatThreshold: 2 })).body.lowSeatThreshold).toBe(2);
    const bigger = await orderOf(organization.id, 5, 200);
    await assign(organization.id, bigger.teamId!, [uniqueEmail('b1'), uniqueEmail('b2')]);
    const low = () => mailTo(admin.email, new RegExp(`^\\d+ ${product.name} licenses left`));
    expect(await low()).toHaveLength(0);
    await assign(organization.id, bigger.teamId!, [uniqueEmail('b3')]);
    expect((await low()).map((m) => m.subject)).toEqual([`2 ${product.name} licenses left in ${bigger.teamName}`]);
    await assign(organization.id, bigger.teamId!, [uniqueEmail('b4')]);
    expect(await low()).toHaveLength(1);
    await expectCountersAgreeWithRows(server.database);
  });

  it('warns idle holders, keeps a seat when asked, and releases the others like a revoke, reported on the Usage page', async () => {
    const { organization, admin } = await organizationWithAdmin('Idle Co');
    const assignedAt = new Date(realNow.getTime() - 30 * DAY);
    clock.set(assignedAt);
    const order = await orderOf(organization.id, 3, 300);
    const idle = await signedInUser(server, { name: 'Ida Idle' });
    const keeper = await signedInUser(server, { name: 'Kim Keeper' });
    const user = await signedInUser(server, { name: 'Uma User' });
    const [idleLicense, keeperLicense, usedLicense] = await assign(organization.id, order.teamId!, [idle.email, keeper.email, user.email]);
    expect((await admin.client.patch(`/api/v1/organizations/${organization.id}`, { reclaimIdleDays: 13 })).body.code).toBe('VALIDATION_FAILED');
    expect((await admin.client.patch(`/api/v1/organizations/${organization.id}`, { reclaimIdleDays: 14 })).body.reclaimIdleDays).toBe(14);

    // Day 8: all three idle for 8 days (the warning comes at 14 − 7 = 7); one uses the product.
    clock.set(new Date(assignedAt.getTime() + 8 * DAY));
    await server.database.db.updateTable('licenses').set({ last_seen_at: clock.now().toISOString() }).where('id', '=', usedLicense!).execute();
    await bothInstances((services) => services.seats.reclaimIdleSeats());
    const warnings = (email: string) => mailTo(email, new RegExp(`^Do you still use ${product.name}\\?`));
    expect(await warnings(idle.email)).toHaveLength(1);
    expect(await warnings(keeper.email)).toHaveLength(1);
    expect(await warnings(user.email)).toHaveLength(0);
    const keepLink = await server.database.db
      .selectFrom('outbox')
      .select('dedup_key')
      .where('to_address', '=', keeper.email)
      .where('subject', 'like', 'Do you still use%')
      .executeTakeFirstOrThrow();
    expect(keepLink.dedup_key).toMatch(/^idle-warning:/);

    // "I still use it", from the account page (the warning's link leads there); someone else's license answers 404.
    expect((await keeper.client.post(`/api/v1/me/licenses/${keeperLicense}/keep`)).status).toBe(204);
    expect((await keeper.client.post(`/api/v1/me/licenses/${idleLicense}/keep`)).status).toBe(404);

    // Day 10: nothing new.
    clock.set(new Date(assignedAt.getTime() + 10 * DAY));
    expect(await server.services.seats.reclaimIdleSeats()).toEqual({ warned: 0, released: 0 });

    // Day 15: the idle seat goes (idle 15 ≥ 14 days, warned 7 days ago); the kept one stays.
    clock.set(new Date(assignedAt.getTime() + 15 * DAY));
    const [one, other] = await bothInstances((services) => services.seats.reclaimIdleSeats());
    expect(one!.released + other!.released).toBe(1);
    const holders = await server.database.db.selectFrom('licenses').select(['id', 'assignee_email']).where('team_id', '=', order.teamId!).execute();
    const holderOf = new Map(holders.map((row) => [row.id, row.assignee_email]));
    expect(holderOf.get(idleLicense!)).toBeNull();
    expect(holderOf.get(keeperLicense!)).toBe(keeper.email);
    expect(holderOf.get(usedLicense!)).toBe(user.email);
    expect(await mailTo(idle.email, new RegExp(`^Your ${product.name} license was released`))).toHaveLength(1);
    const audit = await server.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_label'])
      .where('target_id', '=', idleLicense!)
      .where('action', '=', 'license.reclaimed')
      .execute();
    expect(audit).toEqual([{ action: 'license.reclaimed', actor_label: 'Allot (idle-seat policy)' }]);
    const hold = await server.database.db
      .selectFrom('license_assignments')
      .select('end_reason')
      .where('license_id', '=', idleLicense!)
      .executeTakeFirstOrThrow();
    expect(hold.end_reason).toBe('reclaimed');
    await expectCountersAgreeWithRows(server.database);

    clock.set(realNow);
    const report = await admin.client.get(`/api/v1/organizations/${organization.id}/usage?days=30`);
    expect(report.body.reclaimed).toEqual([expect.objectContaining({ licenseId: idleLicense, email: idle.email, productName: product.name })]);
    // The released holder sees why on the account page.
    const mine = await idle.client.get('/api/v1/me/licenses');
    expect(mine.body.ended).toEqual([expect.objectContaining({ licenseId: idleLicense, reason: 'reclaimed' })]);
  });

  it('lets a holder give a license back: free at once, administrators told by the claim-email rules', async () => {
    const { organization } = await organizationWithAdmin('Giving Co');
    // An integration listening for seats that come back (registered before anything happens: endpoint lists are cached a few seconds).
    await webhooksRepository(sealerFor(server.config.authSecret, 'webhook-secret')).insertEndpoint(server.database.db, {
      id: crypto.randomUUID(),
      organizationId: organization.id,
      url: 'https://hooks.example.com/allot',
      description: null,
      events: ['license.released'],
      secret: 'whsec_c2VjcmV0',
      createdByUserId: null,
      now: new Date(),
    });
    const order = await orderOf(organization.id, 2, 100);
    const teamAdmin = await signedInUser(server, { name: 'Theo Team' });
    await grantTeamRole(server, order.teamId!, teamAdmin.userId, 'team_admin');
    const holder = await signedInUser(server, { name: 'Gabe Giver' });
    const other = await signedInUser(server, { name: 'Otto Other' });

    const [license] = await assign(organization.id, order.teamId!, [holder.email]);

    expect((await other.client.post(`/api/v1/me/licenses/${license}/give-back`)).status).toBe(404);
    expect((await holder.client.post(`/api/v1/me/licenses/${license}/give-back`)).status).toBe(204);
    expect((await holder.client.post(`/api/v1/me/licenses/${license}/give-back`)).status).toBe(404);
    const row = await server.database.db.selectFrom('licenses').select('assignee_email').where('id', '=', license!).executeTakeFirstOrThrow();
    expect(row.assignee_email).toBeNull();
    // The team administrator gets each claim of their team by default, so each give-back too.
    expect((await mailTo(teamAdmin.email, /gave back/)).map((m) => m.subject)).toEqual([`Gabe Giver (${holder.email}) gave back a ${product.name} license`]);
    const audit = await server.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_label'])
      .where('target_id', '=', license!)
      .where('action', '=', 'license.returned')
      .execute();
    expect(audit).toEqual([{ action: 'license.returned', actor_label: holder.email }]);
    expect((await holder.client.get('/api/v1/me/licenses')).body.ended).toEqual([expect.objectContaining({ licenseId: license, reason: 'returned' })]);
    const deliveries = await server.database.db
      .selectFrom('webhook_deliveries')
      .select(['event_type', 'payload'])
      .where('event_type', '=', 'license.released')
      .execute();
    expect(deliveries.map((delivery) => JSON.parse(delivery.payload).data)).toEqual([
      expect.objectContaining({ target: { type: 'license', id: license }, details: expect.objectContaining({ reason: 'returned' }) }),
    ]);
    await expectCountersAgreeWithRows(server.database);
  });

  it('blocks members without 2FA after the grace period, until they enrol', async () => {
    const { organization, admin } = await organizationWithAdmin('Strict Co');
    const colleague = await signedInUser(server, { name: 'Carl Colleague' });
    await grantOrgRole(server, organization.id, colleague.userId, 'org_admin');
    const licensesPath = `/api/v1/organizations/${organization.id}/licenses`;

    const set = await admin.client.patch(`/api/v1/organizations/${organization.id}`, { requireTwoFactor: 'admins', twoFactorGraceDays: 3 });
    expect(set.body).toMatchObject({ requireTwoFactor: 'admins', twoFactorGraceUntil: new Date(realNow.getTime() + 3 * DAY).toISOString() });
    expect((await colleague.client.get(licensesPath)).status).toBe(200);
    expect((await colleague.client.get('/api/v1/me/two-factor-requirements')).body.items).toEqual([
      { organizationId: organization.id, organizationName: 'Strict Co', graceUntil: new Date(realNow.getTime() + 3 * DAY).toISOString(), blocked: false },
    ]);

    clock.set(new Date(realNow.getTime() + 4 * DAY));
    const blocked = await colleague.client.get(licensesPath);
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('TWO_FACTOR_ENROLMENT_REQUIRED');
    expect((await colleague.client.get('/api/v1/me/two-factor-requirements')).body.items[0].blocked).toBe(true);
    // Their own account pages stay open, so they can enrol.
    expect((await colleague.client.get('/api/v1/me')).status).toBe(200);

    const enable = await colleague.client.post('/api/auth/two-factor/enable', { password: PASSWORD });
    expect(enable.status).toBe(200);
    const secret = new URL(enable.body.totpURI).searchParams.get('secret')!;
    expect((await colleague.client.post('/api/auth/two-factor/verify-totp', { code: totp(secret) })).status).toBe(200);
    expect((await colleague.client.get(licensesPath)).status).toBe(200);
    expect((await colleague.client.get('/api/v1/me/two-factor-requirements')).body.items).toEqual([]);

    // The policy covers the admin who set it too (no second factor here): the change goes through the service.
    expect((await admin.client.get(licensesPath)).body.code).toBe('TWO_FACTOR_ENROLMENT_REQUIRED');
    // 'everyone': a claimer without 2FA is told what to do, before and at the claim.
    await server.services.organizations.update(adminOf(organization.id), organization.id, { requireTwoFactor: 'everyone', twoFactorGraceDays: 0 });
    const order = await orderOf(organization.id, 2, 100);
    const token = await bulkInvitationIn(organization.id, order.teamId!);
    const claimer = await signedInUser(server, { name: 'Cleo Claimer' });
    const preview = await claimer.client.post('/api/v1/invite/preview', { token });
    expect(preview.body.forYou.refusal.code).toBe('TWO_FACTOR_ENROLMENT_REQUIRED');
    const claim = await claimer.client.post('/api/v1/invite/claim', { token });
    expect(claim.status).toBe(403);
    expect(claim.body.code).toBe('TWO_FACTOR_ENROLMENT_REQUIRED');
    clock.set(realNow);
  });

  it('deletes an account: licenses released, sessions and app passwords gone, audit log kept under a pseudonym; the data download comes first', async () => {
    const { organization, admin } = await organizationWithAdmin('Leaving Co');
    const order = await orderOf(organization.id, 2, 100);
    const token = await bulkInvitationIn(organization.id, order.teamId!);
    const leaver = await signedInUser(server, { name: 'Lea Leaver' });
    const claim = await leaver.client.post('/api/v1/invite/claim', { token });
    expect(claim.status).toBe(200);
    const licenseId = claim.body.licenseId as string;
    expect((await leaver.client.post('/api/v1/me/app-passwords', { name: 'CI', currentPassword: PASSWORD })).status).toBe(201);

    const download = await leaver.client.get('/api/v1/me/export');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    expect(download.body.user).toMatchObject({ email: leaver.email, name: 'Lea Leaver' });
    expect(download.body.licenses).toEqual([expect.objectContaining({ licenseId, product: product.name, organization: 'Leaving Co', endedAt: null })]);
    expect(download.body.appPasswords).toEqual([expect.objectContaining({ name: 'CI' })]);
    expect(download.body.activity.map((event: { action: string }) => event.action)).toContain('invitation.claimed');

    // The last administrator must hand over first.
    const lastAdmin = await admin.client.request('DELETE', '/api/v1/me', { json: { password: PASSWORD } });
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body.code).toBe('LAST_ORG_ADMIN');

    const wrong = await leaver.client.request('DELETE', '/api/v1/me', { json: { password: 'not the password' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('PASSWORD_MISMATCH');
    expect((await leaver.client.request('DELETE', '/api/v1/me', { json: { password: PASSWORD } })).status).toBe(204);

    expect((await leaver.client.get('/api/v1/me')).status).toBe(401);
    const db = server.database.db;
    expect(await db.selectFrom('users').select('id').where('id', '=', leaver.userId).execute()).toEqual([]);
    expect(await db.selectFrom('sessions').select('id').where('user_id', '=', leaver.userId).execute()).toEqual([]);
    expect(await db.selectFrom('app_passwords').select('id').where('user_id', '=', leaver.userId).execute()).toEqual([]);
    const license = await db.selectFrom('licenses').select('assignee_email').where('id', '=', licenseId).executeTakeFirstOrThrow();
    expect(license.assignee_email).toBeNull();
    await expectCountersAgreeWithRows(server.database);

    // The audit log still tells what happened, but nothing in it names the person.
    const events = await db.selectFrom('audit_events').select(['action', 'actor_label', 'details']).where('organization_id', '=', organization.id).execute();
    const text = JSON.stringify(events);
    expect(text).not.toContain(leaver.email);
    const deleted = events.find((event) => event.action === 'account.deleted');
    expect(deleted?.actor_label).toMatch(/^Deleted user [0-9a-f]{12}$/);
    const claimed = events.find((event) => event.action === 'invitation.claimed');
    expect(claimed?.actor_label).toBe(deleted?.actor_label);
    expect(JSON.stringify(claimed?.details)).toMatch(/deleted-[0-9a-f]{12}@deleted\.invalid/);
    const history = await db.selectFrom('license_assignments').select(['email', 'end_reason']).where('license_id', '=', licenseId).execute();
    expect(history).toEqual([{ email: expect.stringMatching(/^deleted-[0-9a-f]{12}@deleted\.invalid$/), end_reason: 'account_deleted' }]);
  });
});

describe.each(DIALECTS)('the seat lifecycle job on %s', (dialect) => {
  it('runs by itself on a running server: usage is recorded for today without anyone asking', async () => {
    const server = await startTestServer({ dialect, seatLifecycleIntervalMs: 100 });
    try {
      const organization = await createOrganization(server, 'Scheduled Co');
      const product = await createProduct(server, 'GoLand');
      await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 4 });
      const today = dayOf(new Date());
      await expect
        .poll(async () => server.database.db.selectFrom('usage_daily').select(['day', 'total']).where('organization_id', '=', organization.id).execute(), {
          timeout: 10_000,
        })
        .toEqual([{ day: today, total: 4 }]);
    } finally {
      await server.destroy();
    }
  });
});
