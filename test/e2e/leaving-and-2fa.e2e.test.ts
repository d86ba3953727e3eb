import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cliActor } from '../../src/modules/access/actor.js';
import { PASSWORD, totp } from '../support/accounts.js';
import { browserStory, expectAccessible, screenshot } from '../support/browser.js';
import { createOrganization, createProduct, grantOrgRole, placeOrder, signedInUser } from '../support/console.js';

const shots = process.env.SCREENSHOT_DIR;

async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Leaving Allot (data download, account deletion) and an organization's 2FA policy, in Chromium against the real server. */
describe('leaving and two-factor policies in the browser', () => {
  const story = browserStory();

  it('downloads a license holder’s data as JSON, refuses a wrong password, then deletes the account and frees the license', async () => {
    const db = story.server.database.db;
    const organization = await createOrganization(story.server, 'Initrode');
    const admin = await signedInUser(story.server, { name: 'Ada Admin' });
    const leaver = await signedInUser(story.server, { name: 'Lea Leaver' });
    // Both administer the organization: the leaver is not its last admin, so the account may go.
    await grantOrgRole(story.server, organization.id, admin.userId, 'org_admin');
    await grantOrgRole(story.server, organization.id, leaver.userId, 'org_admin');
    const product = await createProduct(story.server, 'GoLand');
    const order = await placeOrder(story.server, { organizationId: organization.id, productCode: product.code, quantity: 2 });
    expect((await admin.client.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: [leaver.email] })).status).toBe(200);
    const license = await db.selectFrom('licenses').select('id').where('assignee_user_id', '=', leaver.userId).executeTakeFirstOrThrow();

    // Tall enough for the whole Security page: a full-page screenshot dims only the viewport behind a dialog.
    const page = await story.newPage({ height: 1600 });
    await signIn(page, leaver.email);
    await page.waitForURL(/\/licenses/);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Security' }).click();
    await page.waitForURL((url) => url.pathname === '/account/security');

    // Download my data: one JSON file with the profile, the role and the license held.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toBe('allot-my-data.json');
    const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as {
      user: { id: string; email: string; name: string };
      roles: Array<{ organization: string; team: string | null; role: string }>;
      licenses: Array<{ licenseId: string; product: string; organization: string; endedAt: string | null }>;
    };
    expect(data.user).toMatchObject({ id: leaver.userId, email: leaver.email, name: 'Lea Leaver' });
    expect(data.roles).toContainEqual({ organization: 'Initrode', team: null, role: 'org_admin' });
    expect(data.licenses).toEqual([expect.objectContaining({ licenseId: license.id, product: 'GoLand', organization: 'Initrode', endedAt: null })]);

    // Delete account: the dialog says what goes with it and asks the password again.
    await page.getByRole('button', { name: 'Delete account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.getByText('the licenses you hold are released').waitFor();
    await expectAccessible(page, 'the Delete account dialog');
    if (shots) await screenshot(page, 'delete-account', shots);

    const password = dialog.getByLabel('Password', { exact: true });
    await password.fill('not my password');
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await dialog.getByText('The password is wrong.').waitFor();
    // Tied to the field for screen readers (Mantine's PasswordInput links the message but sets no aria-invalid).
    const describedBy = (await password.getAttribute('aria-describedby')) ?? '';
    const descriptions = await Promise.all(
      describedBy
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(descriptions).toContain('The password is wrong.');
    await expectAccessible(page, 'the Delete account dialog with a wrong password');
    expect(await db.selectFrom('users').select('id').where('id', '=', leaver.userId).executeTakeFirst()).toBeDefined();

    await password.fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByText('Your account was deleted').waitFor();
    await page.getByText('Your licenses went back to their organizations').waitFor();

    // On the server: the person is gone, the license is free again, the other admin stays.
    expect(await db.selectFrom('users').select('id').where('id', '=', leaver.userId).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom('organization_roles').select('user_id').where('organization_id', '=', organization.id).execute()).toEqual([
      { user_id: admin.userId },
    ]);
    const freed = await db.selectFrom('licenses').select(['assignee_email', 'assignee_user_id']).where('id', '=', license.id).executeTakeFirstOrThrow();
    expect(freed).toEqual({ assignee_email: null, assignee_user_id: null });
    const ended = await db.selectFrom('license_assignments').select('end_reason').where('license_id', '=', license.id).executeTakeFirstOrThrow();
    expect(ended.end_reason).toBe('account_deleted');

    // The old credentials no longer sign in.
    await signIn(page, leaver.email);
    await page.getByText(/Invalid email or password/i).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('warns an admin without a second factor, shuts them out after the grace period, and lets them back in once they enrol', async () => {
    const organization = await createOrganization(story.server, 'Hooli');
    const alma = await signedInUser(story.server, { name: 'Alma Admin' });
    const bo = await signedInUser(story.server, { name: 'Bo Backup' });
    await grantOrgRole(story.server, organization.id, alma.userId, 'org_admin');
    await grantOrgRole(story.server, organization.id, bo.userId, 'org_admin');
    const product = await createProduct(story.server, 'CLion');
    await placeOrder(story.server, { organizationId: organization.id, productCode: product.code, quantity: 5 });
    // The policy as an admin sets it on the Settings page: admins need a second factor after a grace period.
    const asAdmin = { ...cliActor, orgRoles: new Map([[organization.id, new Set(['org_admin'] as const)]]) };
    const requireTwoFactor = (twoFactorGraceDays: number) =>
      story.server.services.organizations.update(asAdmin, organization.id, { requireTwoFactor: 'admins', twoFactorGraceDays });

    // Within the grace period: the pages work, and a banner names the organization and the deadline.
    const { twoFactorGraceUntil } = await requireTwoFactor(5);
    const page = await story.newPage();
    await signIn(page, alma.email);
    await page.waitForURL(/\/licenses/);
    await page.getByRole('heading', { name: 'Active subscriptions' }).waitFor();
    const banner = page.getByRole('alert').filter({ hasText: 'Hooli requires two-factor authentication' });
    await banner.waitFor();
    const deadline = await page.evaluate(
      (time) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(time)),
      twoFactorGraceUntil!.toISOString(),
    );
    expect(await banner.textContent()).toContain(`Turn it on by ${deadline} to keep working with it.`);
    expect(await banner.getByRole('link', { name: 'Set up two-factor authentication' }).getAttribute('href')).toBe('/account/security');
    await expectAccessible(page, 'the Licenses page with the 2FA banner');

    // The grace period ends while the page is open: the next request of an organization page is
    // refused, and the shell shows what to do instead of an error.
    await requireTwoFactor(0);
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Usage' }).click();
    await page.waitForURL((url) => url.pathname === '/usage');
    const panel = page.getByRole('main').filter({ has: page.getByRole('heading', { name: 'Two-factor authentication required', level: 1 }) });
    await panel.getByText('Hooli asks everyone who works with it to sign in with a second factor, and its grace period is over.').waitFor();

    // Opened afresh, the Licenses page is refused from the start, with the way out.
    await page.goto('/licenses');
    await panel.getByText('Hooli asks everyone who works with it').waitFor();
    const setUp = panel.getByRole('link', { name: 'Set up two-factor authentication' });
    expect(await setUp.getAttribute('href')).toBe('/account/security');
    expect(await page.getByRole('heading', { name: 'Active subscriptions' }).count()).toBe(0);
    expect(await page.title()).toContain('Two-factor authentication required');
    // The panel says it all: no banner above it.
    expect(await banner.count()).toBe(0);
    await expectAccessible(page, 'the two-factor required panel');
    if (shots) await screenshot(page, 'two-factor-required', shots);

    // The account's own pages stay open: the Security page shows the banner, without a link to itself.
    await setUp.click();
    await page.waitForURL((url) => url.pathname === '/account/security');
    await banner.getByText('Its pages are closed to you until you turn it on.').waitFor();
    expect(await banner.getByRole('link').count()).toBe(0);

    // Enrol through the Security page: password, the key shown under the QR code, one code.
    await page.getByRole('button', { name: 'Enable two-factor authentication' }).click();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    const secret = await page.getByTestId('totp-secret').getAttribute('data-secret');
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByLabel('Authentication code').fill(totp(secret!));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Two-factor authentication is on', { exact: true }).first().waitFor();
    await page.getByTestId('recovery-codes').waitFor();
    await expect.poll(() => banner.count()).toBe(0);
    await page.getByRole('button', { name: 'I have saved my codes' }).click();

    // The organization's pages open again, without banner.
    await nav.getByRole('link', { name: /^Hooli/ }).click();
    await page.waitForURL((url) => url.pathname === '/licenses');
    await page.getByRole('heading', { name: 'Active subscriptions' }).waitFor();
    await page.getByRole('table', { name: 'Active subscriptions' }).getByRole('row').filter({ hasText: 'CLion' }).waitFor();
    expect(await page.getByText('Two-factor authentication required').count()).toBe(0);
    expect(await banner.count()).toBe(0);

    // Administrators: the 2FA column shows who meets the policy.
    await nav.getByRole('link', { name: 'Administrators' }).click();
    await page.waitForURL((url) => url.pathname === '/admins');
    const admins = page.getByRole('table', { name: 'Organization administrators' });
    const rowOf = (email: string) => admins.getByRole('row').filter({ hasText: email });
    await rowOf(alma.email).getByText('On', { exact: true }).waitFor();
    expect(await rowOf(bo.email).getByText('Off', { exact: true }).count()).toBe(1);
    expect(await rowOf(alma.email).getByText('Off', { exact: true }).count()).toBe(0);
    await expectAccessible(page, 'the Administrators page with the 2FA column');
  });
});
