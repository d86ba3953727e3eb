import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/accounts.js';
import { browserStory, expectAccessible, screenshot } from '../support/browser.js';
import { createOrganization, createProduct, grantOrgRole, placeOrder, seedSignedInUsers, signedInUser } from '../support/console.js';
import type { TestServer } from '../support/test-server.js';

const shots = process.env.SCREENSHOT_DIR;
const DAY_MS = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

type Seats = { total: number; assigned: number; active: number };

/**
 * A year of one organization's seats: two products, three teams. Today is what the server records
 * from the real licenses, holds and machine activations seeded below; the 364 days before are
 * written to `usage_daily` as the daily job would have, with growth, a second order for a pool
 * that ran full, a dip when a project ended, a team that started in the spring, and three days
 * when nothing was recorded (an outage).
 */
const POOLS = {
  ideaPlatform: { product: 'idea', team: 'Platform', today: { total: 30, assigned: 24, active: 20 } },
  ideaDesign: { product: 'idea', team: 'Design', today: { total: 10, assigned: 6, active: 3 } },
  pycharmData: { product: 'pycharm', team: 'Data Science', today: { total: 20, assigned: 15, active: 11 } },
  pycharmPlatform: { product: 'pycharm', team: 'Platform', today: { total: 5, assigned: 3, active: 2 } },
} as const;
type PoolKey = keyof typeof POOLS;

const OUTAGE = new Set([200, 201, 202]);

/** The seats of a pool `daysAgo` days before today (1…364); null when the pool did not exist yet. */
function history(pool: PoolKey, daysAgo: number): Seats | null {
  const t = 1 - daysAgo / 365;
  switch (pool) {
    case 'ideaPlatform': {
      const total = daysAgo > 150 ? 20 : 30;
      const dip = daysAgo >= 80 && daysAgo <= 100 ? 5 : 0;
      const assigned = Math.min(total, Math.round(8 + 16 * t) - dip);
      return { total, assigned, active: Math.round(assigned * 0.83) };
    }
    case 'ideaDesign': {
      if (daysAgo > 270) return null;
      const assigned = Math.round(2 + 4 * (1 - daysAgo / 270));
      return { total: 10, assigned, active: Math.round(assigned * 0.5) };
    }
    case 'pycharmData': {
      const total = daysAgo > 120 ? 10 : 20;
      const assigned = Math.min(total, Math.round(5 + 10 * t));
      return { total, assigned, active: Math.round(assigned * 0.73) };
    }
    case 'pycharmPlatform':
      if (daysAgo > 60) return null;
      return daysAgo > 30 ? { total: 5, assigned: 1, active: 0 } : { total: 5, assigned: 3, active: 2 };
  }
}

/** What was recorded for a pool `daysAgo` days before today (0 = today). */
function recorded(pool: PoolKey, daysAgo: number): Seats | null {
  if (daysAgo === 0) return POOLS[pool].today;
  return OUTAGE.has(daysAgo) ? null : history(pool, daysAgo);
}

/** The sum of the pools that match, as the report sums them per day. */
function sumOf(daysAgo: number, match: (pool: PoolKey) => boolean): Seats {
  const sum = { total: 0, assigned: 0, active: 0 };
  for (const pool of Object.keys(POOLS) as PoolKey[]) {
    const seats = match(pool) ? recorded(pool, daysAgo) : null;
    if (!seats) continue;
    sum.total += seats.total;
    sum.assigned += seats.assigned;
    sum.active += seats.active;
  }
  return sum;
}

/** CSV lines of a period: one per recorded day, product and team. */
function csvRows(days: number): number {
  let rows = 0;
  for (let daysAgo = 0; daysAgo < days; daysAgo += 1) rows += (Object.keys(POOLS) as PoolKey[]).filter((pool) => recorded(pool, daysAgo)).length;
  return rows;
}

async function seedUsageHistory(server: TestServer) {
  const db = server.database.db;
  const organization = await createOrganization(server, 'Northwind Labs');
  const admin = await signedInUser(server, { name: 'Una Usage' });
  await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
  const products = { idea: await createProduct(server, 'IntelliJ IDEA Ultimate'), pycharm: await createProduct(server, 'PyCharm Professional') };
  const teams: Record<string, string> = {};
  for (const name of ['Platform', 'Design', 'Data Science']) {
    const created = await admin.client.post(`/api/v1/organizations/${organization.id}/teams`, { name });
    expect(created.status).toBe(201);
    teams[name] = created.body.id;
  }

  // Today, for real: orders, holders with accounts, and machines that used their seats lately.
  const holders = await seedSignedInUsers(server, 48, 'holder');
  const now = Date.now();
  let next = 0;
  for (const { product, team, today } of Object.values(POOLS)) {
    await placeOrder(server, { organizationId: organization.id, productCode: products[product].code, quantity: today.total, teamId: teams[team]! });
    const pool = holders.slice(next, next + today.assigned);
    next += today.assigned;
    const assigned = await admin.client.post(`/api/v1/teams/${teams[team]}/assignments`, {
      productId: products[product].id,
      emails: pool.map((holder) => holder.email),
    });
    expect(assigned.status).toBe(200);
    for (const holder of pool.slice(0, today.active)) {
      const license = await db.selectFrom('licenses').select('id').where('assignee_user_id', '=', holder.userId).executeTakeFirstOrThrow();
      await db
        .insertInto('machine_activations')
        .values({
          id: randomUUID(),
          license_id: license.id,
          user_id: holder.userId,
          machine_id: `machine-${holder.userId}`,
          machine_name: 'Workstation',
          product_version: '2026.3',
          kind: 'online',
          refresh_token_hash: null,
          previous_refresh_token_hash: null,
          older_refresh_token_hash: null,
          offline_code_id: null,
          first_seen_at: new Date(now - 60 * DAY_MS).toISOString(),
          last_seen_at: new Date(now - 2 * DAY_MS).toISOString(),
          ticket_expires_at: new Date(now + 5 * DAY_MS).toISOString(),
          deactivated_at: null,
          deactivation_reason: null,
        })
        .execute();
    }
  }
  // The daily job's own reading of today (test servers leave the job to the test: no run lands mid-story).
  await server.services.usage.recordDays();
  const today = await db.selectFrom('usage_daily').selectAll().where('organization_id', '=', organization.id).where('day', '=', dayOf(now)).execute();
  expect(today.map(({ total, assigned, active }) => ({ total, assigned, active })).sort((a, b) => b.total - a.total || b.assigned - a.assigned)).toEqual(
    Object.values(POOLS)
      .map((pool) => pool.today)
      .sort((a, b) => b.total - a.total || b.assigned - a.assigned),
  );

  // The year before.
  const rows = [];
  for (let daysAgo = 1; daysAgo < 365; daysAgo += 1) {
    for (const key of Object.keys(POOLS) as PoolKey[]) {
      const seats = recorded(key, daysAgo);
      if (!seats) continue;
      const day = dayOf(now - daysAgo * DAY_MS);
      rows.push({
        day,
        organization_id: organization.id,
        team_id: teams[POOLS[key].team]!,
        product_id: products[POOLS[key].product].id,
        ...seats,
        recorded_at: `${day}T23:59:00.000Z`,
      });
    }
  }
  for (let start = 0; start < rows.length; start += 200)
    await db
      .insertInto('usage_daily')
      .values(rows.slice(start, start + 200))
      .execute();

  // Two seats the idle-seat policy released: 12 and 50 days ago, from people who have since left.
  const free = await db
    .selectFrom('licenses')
    .select('id')
    .where('team_id', '=', teams.Platform!)
    .where('product_id', '=', products.idea.id)
    .where('assignee_email', 'is', null)
    .limit(2)
    .execute();
  for (const [index, { daysAgo, email }] of [
    { daysAgo: 12, email: 'ian.idle@northwind.test' },
    { daysAgo: 50, email: 'olga.offline@northwind.test' },
  ].entries()) {
    await db
      .insertInto('license_assignments')
      .values({
        license_id: free[index]!.id,
        email,
        user_id: null,
        source: 'manual',
        invitation_id: null,
        assigned_by_user_id: null,
        assigned_at: new Date(now - 200 * DAY_MS).toISOString(),
        ended_at: new Date(now - daysAgo * DAY_MS).toISOString(),
        end_reason: 'reclaimed',
        kept_at: null,
        idle_warned_at: new Date(now - (daysAgo + 7) * DAY_MS).toISOString(),
      })
      .execute();
  }
  return { organization, admin, products };
}

/** The day as the page writes it (the browser's locale, UTC). */
async function dayInPage(page: Page, daysAgo: number): Promise<string> {
  return page.evaluate(
    (time) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(time)),
    dayOf(Date.now() - daysAgo * DAY_MS) + 'T00:00:00Z',
  );
}

async function summaryOf(figure: Locator): Promise<string> {
  // The chart is one image named by its summary (the svg elements inside it count as images too).
  return (await figure.locator('[role="img"][aria-label]').getAttribute('aria-label')) ?? '';
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The Usage page and the holder's side of the seat lifecycle, in Chromium against the real server. */
describe('seat usage in the browser', () => {
  const story = browserStory();

  it('charts a year of seats per product and team, switches the period, exports it as CSV and reads well in both colour schemes', async () => {
    const { admin, products } = await seedUsageHistory(story.server);
    const page = await story.newPage({ height: 900 });
    await signIn(page, admin.email);
    await page.waitForURL(/\/licenses/);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Usage' }).click();
    await page.waitForURL((url) => url.pathname === '/usage');
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();

    const figures = {
      product: page.getByRole('figure', { name: 'Assigned and total seats' }),
      active: page.getByRole('figure', { name: 'Active and assigned seats' }),
      team: page.getByRole('figure', { name: 'Assigned seats per team' }),
    };
    for (const [title, figure] of [
      ['Assigned and total seats', figures.product],
      ['Active and assigned seats', figures.active],
      ['Assigned seats per team', figures.team],
    ] as const) {
      await figure.waitFor();
      expect(await figure.locator('figcaption').textContent()).toContain(title);
      // Drawn: recharts paths with a point per recorded day, not an empty frame.
      await expect.poll(() => figure.locator('svg path.recharts-curve').count()).toBeGreaterThanOrEqual(2);
      const path = (await figure.locator('svg path.recharts-curve').first().getAttribute('d')) ?? '';
      expect(path.split(/[LC]/).length).toBeGreaterThan(20);
    }
    // The lines are one per series: total and assigned; assigned and active; the three teams stacked.
    expect(await figures.product.locator('path.recharts-line-curve').count()).toBe(2);
    expect(await figures.active.locator('path.recharts-line-curve').count()).toBe(2);
    expect(await figures.team.locator('path.recharts-area-curve').count()).toBe(3);

    // 30 days: the summaries are the seeded numbers, from the first day of the period to today.
    const idea = (daysAgo: number) => sumOf(daysAgo, (pool) => POOLS[pool].product === 'idea');
    const all = (daysAgo: number) => sumOf(daysAgo, () => true);
    const productSummary = await summaryOf(figures.product);
    expect(productSummary).toContain('IntelliJ IDEA Ultimate');
    expect(productSummary).toContain(`assigned seats rose from ${idea(29).assigned} to ${idea(0).assigned} between ${await dayInPage(page, 29)}`);
    expect(productSummary).toContain(`the total stayed at ${idea(0).total}`);
    const activeSummary = await summaryOf(figures.active);
    expect(activeSummary).toContain(`Active seats rose from ${all(29).active} to ${all(0).active}`);
    expect(activeSummary).toContain(`${all(0).active} of ${all(0).assigned} assigned seats`);
    expect(await summaryOf(figures.team)).toContain('Platform 27, Data Science 15, Design 6');
    // The numbers for screen readers: a row a day.
    expect(await figures.product.getByRole('table').getByRole('row').count()).toBe(1 + 30);
    const released = page.getByRole('table', { name: 'Idle seats released' });
    await expect.poll(() => released.getByRole('row').count()).toBe(1 + 1);
    expect(await released.getByRole('row').nth(1).textContent()).toContain('ian.idle@northwind.test');
    await expectAccessible(page, 'the Usage page');

    // 90 days, then a year: the address, the first day of every summary and the released seats follow.
    await page.getByRole('radio', { name: '90 days' }).click();
    await page.waitForURL((url) => url.searchParams.get('days') === '90');
    await expect.poll(() => summaryOf(figures.active)).toContain(`between ${await dayInPage(page, 89)} and ${await dayInPage(page, 0)}`);
    await expect.poll(() => released.getByRole('row').count()).toBe(1 + 2);

    await page.getByRole('radio', { name: 'A year' }).click();
    await page.waitForURL((url) => url.searchParams.get('days') === '365');
    await expect
      .poll(() => summaryOf(figures.active))
      .toContain(`Active seats rose from ${all(364).active} to ${all(0).active} between ${await dayInPage(page, 364)}`);
    expect(await summaryOf(figures.team)).toContain(`Assigned seats of all teams together rose from ${all(364).assigned} to ${all(0).assigned}`);
    expect(await summaryOf(figures.product)).toContain(`the total went from ${idea(364).total} to ${idea(0).total}`);
    // A year's table has a row a week, today's included.
    expect(await figures.active.getByRole('table').getByRole('row').count()).toBe(1 + 53);
    // Every day of the year has history, so there is no "Recorded since" note.
    expect(await page.getByText('Recorded since').count()).toBe(0);
    await expectAccessible(page, 'the Usage page over a year');
    if (shots) await screenshot(page, 'usage', shots);

    // Export CSV: the same rows as the period shows, one per recorded day, product and team.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('usage-365-days.csv');
    const lines = fs
      .readFileSync((await download.path())!, 'utf8')
      .split(/\r?\n/)
      .filter((line) => line !== '');
    expect(lines[0]).toBe('Day,Product code,Product,Team,Total,Assigned,Free,Active');
    expect(lines).toHaveLength(1 + csvRows(365));
    expect(lines).toContain(`${dayOf(Date.now())},${products.idea.code},IntelliJ IDEA Ultimate,Platform,30,24,6,20`);

    // Another product: the chart and its summary follow, and the address keeps the choice.
    await figures.product.getByLabel('Product', { exact: true }).click();
    await page.getByRole('option', { name: 'PyCharm Professional' }).click();
    await page.waitForURL((url) => url.searchParams.get('product') === products.pycharm.id);
    const pycharm = sumOf(0, (pool) => POOLS[pool].product === 'pycharm');
    await expect.poll(() => summaryOf(figures.product)).toContain(`PyCharm Professional: assigned seats rose from`);
    expect(await summaryOf(figures.product)).toContain(`to ${pycharm.assigned} between`);

    // Dark mode: the same page, as readable (axe checks the contrast of every text).
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect.poll(() => page.evaluate<string | null>(`document.documentElement.getAttribute('data-mantine-color-scheme')`)).toBe('dark');
    await expectAccessible(page, 'the Usage page in dark mode');
  });

  it('asks a holder whether they still use an idle license, keeps it, and gives another one back', async () => {
    const db = story.server.database.db;
    const organization = await createOrganization(story.server, 'Contoso');
    const admin = await signedInUser(story.server, { name: 'Ada Admin' });
    await grantOrgRole(story.server, organization.id, admin.userId, 'org_admin');
    const holder = await signedInUser(story.server, { name: 'Hana Holder' });
    const webStorm = await createProduct(story.server, 'WebStorm');
    const rider = await createProduct(story.server, 'Rider');
    for (const product of [webStorm, rider]) {
      const order = await placeOrder(story.server, { organizationId: organization.id, productCode: product.code, quantity: 3 });
      expect((await admin.client.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [holder.email] })).status).toBe(200);
    }
    const held = await db
      .selectFrom('licenses')
      .innerJoin('products', 'products.id', 'licenses.product_id')
      .select(['licenses.id', 'products.name'])
      .where('assignee_user_id', '=', holder.userId)
      .execute();
    const licenseOf = (name: string) => held.find((license) => license.name === name)!.id;

    // The idle warning's link: nothing happens until the holder answers.
    const page = await story.newPage();
    await signIn(page, holder.email);
    await page.waitForURL(/\/account/);
    await page.goto(`/account?keep=${licenseOf('WebStorm')}`);
    const question = page.getByRole('alert').filter({ hasText: 'Do you still use WebStorm?' });
    await question.waitFor();
    await expectAccessible(page, 'the keep question on the account page');
    await question.getByRole('button', { name: 'I still use it' }).click();
    await page.getByText('WebStorm stays yours').waitFor();
    await page.waitForURL((url) => url.pathname === '/account' && !url.searchParams.has('keep'));
    await expect.poll(() => question.count()).toBe(0);
    const kept = await db
      .selectFrom('license_assignments')
      .select('kept_at')
      .where('license_id', '=', licenseOf('WebStorm'))
      .where('ended_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(kept.kept_at).not.toBeNull();

    // Give back: asked first, then the seat is free and the page says so.
    await page.getByRole('button', { name: 'Give back Rider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Give back Rider?' });
    await dialog.getByText('you need to claim it again').waitFor();
    await expectAccessible(page, 'the give-back dialog');
    await dialog.getByRole('button', { name: 'Give back' }).click();
    await page.getByText('License given back').waitFor();
    await expect.poll(() => page.getByRole('article', { name: 'Rider' }).count()).toBe(0);
    await page.getByRole('alert').filter({ hasText: 'Rider is no longer yours' }).getByText('You gave it back').waitFor();
    expect(await page.getByRole('article', { name: 'WebStorm' }).count()).toBe(1);
    const riderLicense = await db.selectFrom('licenses').select('assignee_email').where('id', '=', licenseOf('Rider')).executeTakeFirstOrThrow();
    expect(riderLicense.assignee_email).toBeNull();
    const ended = await db.selectFrom('license_assignments').select('end_reason').where('license_id', '=', licenseOf('Rider')).executeTakeFirstOrThrow();
    expect(ended.end_reason).toBe('returned');
    await expectAccessible(page, 'the account page after giving a license back');
  });
});
