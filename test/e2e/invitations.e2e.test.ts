import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/accounts.js';
import { browserStory, screenshot } from '../support/browser.js';
import { createOrganization, createProduct, grantOrgRole, placeOrder, signedInUser } from '../support/console.js';

const shots = process.env.SCREENSHOT_DIR;
let counter = 0;
const acmeEmail = (who: string) => `${who}-${process.pid}-${++counter}@acme.test`;

/** The bulk-invitation story of the issue, step by step, in Chromium against the real server. */
describe('bulk invitations in the browser', () => {
  const story = browserStory({ smtp: true });
  const newPage = () => story.newPage();

  async function signInThroughPage(page: Page, email: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('walks the whole story: create, sign up through the link, claim, refuse, run out, notify, revoke, regenerate', async () => {
    const organization = await createOrganization(story.server, 'Acme Robotics');
    const product = await createProduct(story.server, 'CLion');
    const order = await placeOrder(story.server, { organizationId: organization.id, productCode: product.code, quantity: 2 });
    const adminUser = await signedInUser(story.server, { name: 'Ada Admin', email: acmeEmail('ada') });
    await grantOrgRole(story.server, organization.id, adminUser.userId, 'org_admin');

    // 1. The admin creates an invitation (name, 7 days, an allowed domain) and copies the link.
    const admin = await newPage();
    await admin.goto('/sign-in');
    await signInThroughPage(admin, adminUser.email);
    await admin.waitForURL(/\/licenses/);
    await admin.goto(`/teams/${order.teamId}`);
    await admin.getByRole('tab', { name: 'Invitations' }).click();
    await admin.getByRole('button', { name: 'Create Invitation' }).click();
    const dialog = admin.getByRole('dialog');
    const productField = dialog.getByLabel('Product', { exact: true });
    if (!(await productField.inputValue()).includes('CLion')) {
      await productField.click();
      await admin.getByRole('option', { name: /CLion/ }).first().click();
    }
    await dialog.getByLabel('Name', { exact: true }).fill('Spring hires');
    await dialog.getByRole('radio', { name: '7 days' }).check({ force: true });
    await dialog.getByLabel('Allowed email domains').fill('acme.test');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await admin.waitForURL(/\/invitations\//);
    const link = await admin.getByTestId('invitation-link').inputValue();
    expect(link).toMatch(new RegExp(`^${story.server.baseUrl}/invite/[A-Za-z0-9_-]{43}$`));
    await admin.getByRole('button', { name: 'Copy link' }).click();
    // Admins hear about each claim once they choose so.
    await admin.getByRole('radio', { name: 'Each claim' }).check({ force: true });
    await expect
      .poll(async () => (await adminUser.client.get(`/api/v1/organizations/${organization.id}/notification-settings`)).body.claimNotifications)
      .toBe('each');
    const invitationPath = new URL(admin.url()).pathname;
    const path = new URL(link).pathname;

    // 2. A newcomer with an allowed address signs up through the link, verifies, comes back and claims.
    const newcomerEmail = acmeEmail('nina');
    const newcomer = await newPage();
    await newcomer.goto(path);
    await expect.poll(() => newcomer.getByText('CLion').count()).toBeGreaterThan(0);
    if (shots) await screenshot(newcomer, 'claim-page-signed-out', shots);
    await newcomer.getByRole('link', { name: 'Create account' }).click();
    await newcomer.getByLabel('Name').fill('Nina Newcomer');
    await newcomer.getByLabel('Email').fill(newcomerEmail);
    await newcomer.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await newcomer.getByRole('button', { name: 'Create account' }).click();
    await newcomer.waitForURL(/\/check-email/);
    const verification = await story.smtp.waitFor((m) => m.to.includes(newcomerEmail) && m.subject === 'Verify your email address');
    // The verification email is opened in a new tab; the invitation must survive that.
    const tab = await newcomer.context().newPage();
    story.current = tab;
    await tab.goto(verification.links[0]!);
    await tab.waitForURL((url) => url.pathname === path, { timeout: 15_000 });
    await tab.getByRole('button', { name: 'Claim license' }).click();
    await expect.poll(() => tab.getByText(/Your license is ready/).count()).toBeGreaterThan(0);
    if (shots) await screenshot(tab, 'claim-page', shots);
    await tab
      .getByRole('link', { name: 'Go to My licenses' })
      .or(tab.getByRole('button', { name: 'Go to My licenses' }))
      .first()
      .click();
    await tab.waitForURL(/\/account/);
    await expect.poll(() => tab.getByText('CLion').count()).toBeGreaterThan(0);

    // 3. An existing user signs in through the link and claims.
    const existing = await signedInUser(story.server, { name: 'Eric Existing', email: acmeEmail('eric') });
    const existingPage = await newPage();
    await existingPage.goto(path);
    await existingPage.getByRole('link', { name: 'Sign in' }).click();
    await signInThroughPage(existingPage, existing.email);
    await existingPage.waitForURL((url) => url.pathname === path);
    await existingPage.getByRole('button', { name: 'Claim license' }).click();
    await expect.poll(() => existingPage.getByText(/Your license is ready/).count()).toBeGreaterThan(0);

    // 4. A disallowed domain is refused, with the accepted domains shown.
    const outsider = await signedInUser(story.server, { name: 'Olly Outsider' });
    const outsiderPage = await newPage();
    await outsiderPage.goto('/sign-in');
    await signInThroughPage(outsiderPage, outsider.email);
    await outsiderPage.waitForURL(/\/account|\/licenses/);
    await outsiderPage.goto(path);
    await outsiderPage.getByRole('button', { name: 'Claim license' }).click();
    await expect.poll(() => outsiderPage.getByText('acme.test').count()).toBeGreaterThan(0);
    await expect.poll(() => outsiderPage.getByText(/other email domains|addresses at/).count()).toBeGreaterThan(0);

    // 5. The pool is empty: the next person sees No assets left and notifies the administrators.
    const late = await signedInUser(story.server, { name: 'Lars Late', email: acmeEmail('lars') });
    const latePage = await newPage();
    await latePage.goto('/sign-in');
    await signInThroughPage(latePage, late.email);
    await latePage.waitForURL(/\/account|\/licenses/);
    await latePage.goto(path);
    await latePage.getByRole('button', { name: 'Claim license' }).click();
    await expect.poll(() => latePage.getByText('No assets left').count()).toBeGreaterThan(0);
    if (shots) await screenshot(latePage, 'no-assets-left', shots);
    await latePage.getByRole('button', { name: 'Notify administrators' }).click();
    await story.smtp.waitFor((m) => m.to.includes(adminUser.email) && m.subject === 'Lars Late is waiting for a CLion license');

    // 6. The admin sees both under Accepted invitations, and got one email per claim.
    story.current = admin;
    await admin.goto(invitationPath);
    const accepted = admin.getByRole('table').filter({ hasText: newcomerEmail });
    await expect.poll(() => accepted.getByText(existing.email).count()).toBeGreaterThan(0);
    if (shots) await screenshot(admin, 'invitation-page', shots);
    await story.smtp.waitFor((m) => m.to.includes(adminUser.email) && m.subject === 'Nina Newcomer claimed a CLion license');
    await story.smtp.waitFor((m) => m.to.includes(adminUser.email) && m.subject === 'Eric Existing claimed a CLion license');
    expect(story.smtp.received.filter((m) => m.to.includes(adminUser.email) && m.subject.includes('claimed a CLion license'))).toHaveLength(2);

    // 7. The admin revokes one license; that person cannot claim again through the link.
    const revoked = await adminUser.client.get(`/api/v1/organizations/${organization.id}/licenses?assignee=${encodeURIComponent(existing.email)}`);
    await admin.goto('/licenses');
    const row = admin.getByRole('row').filter({ hasText: existing.email });
    await row.getByRole('checkbox').check();
    await admin.getByRole('button', { name: 'Revoke' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(async () => (await adminUser.client.get(`/api/v1/licenses/${revoked.body.items[0].id}/history`)).body.items[0].endReason).toBe('revoked');
    story.current = existingPage;
    await existingPage.goto(path);
    await existingPage.getByRole('button', { name: 'Claim license' }).click();
    await expect.poll(() => existingPage.getByText(/already used this invitation/).count()).toBeGreaterThan(0);

    // 8. The admin regenerates the link; the old one answers not found.
    story.current = admin;
    await admin.goto(invitationPath);
    await admin.getByRole('button', { name: 'Regenerate link' }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /Regenerate/ })
      .click();
    await expect.poll(() => admin.getByTestId('invitation-link').inputValue()).not.toBe(link);
    story.current = latePage;
    await latePage.goto(path);
    await expect.poll(() => latePage.getByText(/Invitation not found|does not exist/).count()).toBeGreaterThan(0);
  });
});
