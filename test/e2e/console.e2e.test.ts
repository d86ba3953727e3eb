import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail } from '../support/accounts.js';
import { browserStory, expectNoSidewaysScroll, screenshot } from '../support/browser.js';
import { createOrganization, createProduct, grantOrgRole, makeOperator, signedInUser } from '../support/console.js';

const shots = process.env.SCREENSHOT_DIR;

/** The license console story, clicked through in Chromium against the real server (SQLite). */
describe('the license console in the browser', () => {
  const story = browserStory({ smtp: true });
  let page: Page;

  /** Mantine's searchable selects in the open dialog: open the list, narrow it, pick the option. */
  async function choose(label: string, option: string) {
    const input = page.getByRole('dialog').getByLabel(label, { exact: true });
    // A team with one product has it chosen already.
    if ((await input.inputValue()).includes(option)) return;
    await input.click();
    await input.pressSequentially(option.slice(0, 3));
    await page
      .getByRole('option', { name: new RegExp(option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })
      .first()
      .click();
    await expect.poll(() => input.inputValue()).toContain(option);
  }

  it('operator adds an order without a team; the admin finds its team, assigns, revokes, transfers and audits', async () => {
    const organization = await createOrganization(story.server, 'Initrode');
    await createProduct(story.server, 'WebStorm');
    const olga = await signedInUser(story.server, { name: 'Olga Operator', email: uniqueEmail('olga') });
    await makeOperator(story.server, olga.userId);
    await grantOrgRole(story.server, organization.id, olga.userId, 'org_admin');
    expect((await olga.client.post(`/api/v1/organizations/${organization.id}/teams`, { name: 'Platform' })).status).toBe(201);

    page = await story.newPage({ width: 1400, height: 900 });
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(olga.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/licenses/);

    // 1. The operator adds an order by hand, without a team.
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('button', { name: 'Add order' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reference').fill('A-10423');
    await choose('Organization', 'Initrode');
    await choose('Product', 'WebStorm');
    await dialog.getByLabel('Quantity').fill('5');
    await dialog.getByLabel('Valid until').fill('2030-12-31');
    await dialog.getByLabel('Valid until').press('Tab');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'A-10423' }).count()).toBeGreaterThan(0);
    await expectNoSidewaysScroll(page, 'the orders at 1280 px');

    // 2. The admin finds the auto-created team from the license list's Team column (the organization's name opens the list).
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Initrode' }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Team' }).count()).toBe(1);
    if (shots) await screenshot(page, 'license-list', shots);
    await page.getByRole('main').getByRole('link', { name: 'Order A-10423' }).first().click();
    await page.waitForURL(/\/teams\//);
    await expect.poll(() => page.getByRole('heading', { name: 'Order A-10423' }).count()).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'Licenses' }).click();

    // 3. Two licenses assigned by email.
    const [ann, bob] = [uniqueEmail('ann'), uniqueEmail('bob')];
    await page.getByRole('button', { name: 'Assign licenses' }).click();
    await choose('Product', 'WebStorm');
    await page.getByRole('dialog').getByLabel('Email addresses').fill(`${ann}\n${bob}`);
    await page.getByRole('dialog').getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(() => page.getByText('2 assigned, 0 failed').count()).toBeGreaterThan(0);
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByText(ann).count()).toBeGreaterThan(0);

    // 4. One revoked.
    const rowOf = (email: string) => page.getByRole('row').filter({ hasText: email });
    const annLicense = (await rowOf(ann).getByRole('checkbox').getAttribute('aria-label'))!.replace('Select license ', '');
    await rowOf(ann).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => page.getByText(ann).count()).toBe(0);

    // 5. One transferred to another team.
    const bobLicense = (await rowOf(bob).getByRole('checkbox').getAttribute('aria-label'))!.replace('Select license ', '');
    await rowOf(bob).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Transfer' }).click();
    await choose('Target team', 'Platform');
    await page.getByRole('dialog').getByRole('button', { name: 'Transfer' }).click();
    await expect.poll(() => page.getByText(bob).count()).toBe(0);
    const moved = await story.server.database.db
      .selectFrom('licenses')
      .innerJoin('teams', 'teams.id', 'licenses.team_id')
      .select(['teams.name', 'licenses.assignee_email'])
      .where('licenses.id', '=', bobLicense)
      .executeTakeFirstOrThrow();
    expect(moved).toEqual({ name: 'Platform', assignee_email: bob });

    // 6. All of it in the audit log.
    await page.getByRole('link', { name: 'Audit log' }).click();
    for (const target of [annLicense, bobLicense]) await expect.poll(() => page.getByText(target).count()).toBeGreaterThan(0);
    for (const action of ['order.created', 'license.assigned', 'license.revoked', 'license.transferred']) {
      await expect.poll(() => page.getByText(action).count(), { message: action }).toBeGreaterThan(0);
    }
    await expectNoSidewaysScroll(page, 'the audit log at 1280 px');
    if (shots) await screenshot(page, 'audit-log', shots);
  });
});
