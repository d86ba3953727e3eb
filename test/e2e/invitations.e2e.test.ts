import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/accounts.js';
import { browserStory, expectAccessible, expectNoSidewaysScroll, screenshot } from '../support/browser.js';
import { createOrganization, createProduct, grantOrgRole, grantTeamRole, placeOrder, signedInUser } from '../support/console.js';

const shots = process.env.SCREENSHOT_DIR;
let counter = 0;
const acmeEmail = (who: string) => `${who}-${process.pid}-${++counter}@acme.test`;

/**
 * JetBrains' help article "Assigning commercial licenses with bulk invitations", followed in
 * Chromium using only the article's words to find things, with the default settings.
 */
describe('the help article, word for word', () => {
  const story = browserStory({ smtp: true });

  const leftMenu = (page: Page): Locator => page.getByRole('navigation', { name: 'Main navigation' });

  async function signIn(form: Locator, email: string) {
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
  }

  it('creates a bulk invitation, claims through it (new and existing accounts), runs out, and finds the team of a license', async () => {
    const organization = await createOrganization(story.server, 'Acme Robotics');
    const product = await createProduct(story.server, 'CLion');
    // An order placed without a team: its team is named after the order and has no team administrator.
    const order = await placeOrder(story.server, { organizationId: organization.id, productCode: product.code, quantity: 2 });
    const teamName = (await story.server.database.db.selectFrom('teams').select('name').where('id', '=', order.teamId!).executeTakeFirstOrThrow()).name;
    const adminUser = await signedInUser(story.server, { name: 'Ada Admin', email: acmeEmail('ada') });
    await grantOrgRole(story.server, organization.id, adminUser.userId, 'org_admin');

    // To create a bulk invitation
    // 1. "Log in with organization or team administrator permissions."
    const admin = await story.newPage();
    await admin.goto('/sign-in');
    await expectAccessible(admin, 'the sign-in page');
    await signIn(admin.locator('form'), adminUser.email);
    await admin.waitForURL(/\/licenses/);
    // 2. "In the menu on the left, click on the name of your organization or team."
    await leftMenu(admin).getByRole('link', { name: 'Acme Robotics' }).click();
    await admin.waitForURL((url) => url.pathname === '/licenses');
    await expect.poll(() => admin.getByRole('heading', { name: 'Active subscriptions' }).count()).toBe(1);
    await expectAccessible(admin, 'the license list');
    await expectNoSidewaysScroll(admin, 'the license list at 1280 px');
    if (shots) await screenshot(admin, 'navigation', shots);
    // 3. "If you're an organization administrator, click Teams in the menu on the left."
    await leftMenu(admin).getByRole('link', { name: 'Teams' }).click();
    await admin.waitForURL((url) => url.pathname === '/teams');
    await expectAccessible(admin, 'the team list');
    // 4. "Select the team that your licenses belong to."
    await admin.getByRole('main').getByRole('link', { name: teamName }).click();
    await admin.waitForURL(new RegExp(`/teams/${order.teamId}`));
    // 5. "In the menu on the left, click Invitations and then click Create Invitation."
    await leftMenu(admin).getByRole('link', { name: 'Invitations' }).click();
    await admin.waitForURL((url) => url.pathname === `/teams/${order.teamId}/invitations`);
    await expectAccessible(admin, "the team's invitations");
    if (shots) await screenshot(admin, 'team-invitations', shots);
    await admin.getByRole('button', { name: 'Create Invitation' }).click();
    // 6. The dialog: product, name, how long the link stays active, allowed email domains.
    const dialog = admin.getByRole('dialog', { name: 'Create Invitation' });
    await expect
      .poll(() => dialog.getByLabel('Product', { exact: true }).inputValue(), { message: 'the team has one product: it is chosen' })
      .toContain('CLion');
    await dialog.getByLabel('Name', { exact: true }).fill('Spring hires');
    await dialog.getByRole('radio', { name: '7 days' }).check({ force: true });
    await dialog.getByLabel('Allowed email domains').fill('acme.test');
    await expectAccessible(admin, 'the Create Invitation dialog');
    await dialog.getByRole('button', { name: 'Close dialog' }).waitFor();
    // 7. "Click Create. On the invitation page, copy the invitation link."
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await admin.waitForURL(/\/invitations\//);
    const invitationPath = new URL(admin.url()).pathname;
    await admin.getByRole('button', { name: 'Copy link' }).click();
    const link = await admin.getByTestId('invitation-link').inputValue();
    expect(link).toMatch(new RegExp(`^${story.server.baseUrl}/invite/[A-Za-z0-9_-]{43}$`));
    await expectAccessible(admin, 'the invitation page');
    // "You'll receive an email notification each time a user successfully obtains a license": the default says so.
    await expect.poll(() => admin.getByRole('radio', { name: 'My invitations' }).isChecked()).toBe(true);
    await expect.poll(() => admin.getByText('Ada Admin').count()).toBeGreaterThan(0);

    // To claim
    // 1. "The invitation link takes users to the login page. ... enter their email address in the sign-up form at the bottom of the page."
    const newcomerEmail = acmeEmail('nina');
    const newcomer = await story.newPage();
    await newcomer.goto(link);
    const signUpForm = newcomer.getByRole('form', { name: 'Sign up' });
    await signUpForm.waitFor();
    await expect.poll(() => newcomer.getByRole('form', { name: 'Sign in' }).count(), { message: 'the link opens a login page' }).toBe(1);
    await expect.poll(() => newcomer.getByText(teamName).count(), { message: 'claimers are not shown the order reference' }).toBe(0);
    await expectAccessible(newcomer, 'the invitation login page');
    if (shots) await screenshot(newcomer, 'invitation-login-page', shots);
    await signUpForm.getByLabel('Name').fill('Nina Newcomer');
    await signUpForm.getByLabel('Email').fill(newcomerEmail);
    await signUpForm.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await signUpForm.getByRole('button', { name: 'Create account' }).click();
    await newcomer.waitForURL(/\/check-email/);
    await expectAccessible(newcomer, 'the check-your-inbox page');
    const verification = await story.smtp.waitFor((m) => m.to.includes(newcomerEmail) && m.subject === 'Verify your email address');
    await newcomer.goto(verification.links[0]!);
    // 2. "Once logged in, the user will see their new license on the account page."
    await newcomer.waitForURL(/\/account\?claimed=/, { timeout: 15_000 });
    const newcomerLicense = newcomer.getByRole('article', { name: 'CLion' });
    await expect.poll(() => newcomerLicense.getAttribute('data-highlighted')).toBe('true');
    await expect.poll(() => newcomer.getByRole('status').filter({ hasText: 'Your license is ready' }).count()).toBe(1);
    await expectAccessible(newcomer, 'the account page');
    if (shots) await screenshot(newcomer, 'account-claimed', shots);

    // "Users that already have an account only need to sign in to claim a license."
    const existing = await signedInUser(story.server, { name: 'Eric Existing', email: acmeEmail('eric') });
    const existingPage = await story.newPage();
    await existingPage.goto(link);
    await signIn(existingPage.getByRole('form', { name: 'Sign in' }), existing.email);
    await existingPage.waitForURL(/\/account\?claimed=/, { timeout: 15_000 });
    await expect.poll(() => existingPage.getByRole('article', { name: 'CLion' }).getAttribute('data-highlighted')).toBe('true');

    // "You'll receive an email notification each time a user successfully obtains a license." (default settings)
    await story.smtp.waitFor((m) => m.to.includes(adminUser.email) && m.subject === 'Nina Newcomer claimed a CLion license');
    await story.smtp.waitFor((m) => m.to.includes(adminUser.email) && m.subject === 'Eric Existing claimed a CLion license');

    // "No assets left": a signed-in person sees it at once, with the way forward and no button that cannot work.
    const late = await signedInUser(story.server, { name: 'Lars Late', email: acmeEmail('lars') });
    const latePage = await story.newPage();
    await latePage.goto('/sign-in');
    await signIn(latePage.locator('form'), late.email);
    await latePage.waitForURL(/\/account|\/licenses/);
    await latePage.goto(link);
    await latePage.getByRole('heading', { name: 'No assets left' }).waitFor();
    expect(await latePage.getByRole('button', { name: 'Claim license' }).count()).toBe(0);
    await expectAccessible(latePage, 'No assets left');
    if (shots) await screenshot(latePage, 'no-assets-left', shots);
    await latePage.getByRole('button', { name: 'Notify administrators' }).click();
    await story.smtp.waitFor((m) => m.to.includes(adminUser.email) && m.subject === 'Lars Late is waiting for a CLion license');

    // "At the bottom of the invitation page, in the Accepted invitations section"
    await admin.goto(invitationPath);
    const accepted = admin.getByRole('table', { name: 'Accepted invitations' });
    await accepted.getByText(newcomerEmail).waitFor();
    await accepted.getByText(existing.email).waitFor();
    if (shots) await screenshot(admin, 'invitation-page', shots);

    // To find the team your licenses belong to
    // 1. "Click on your organization's name."
    await leftMenu(admin).getByRole('link', { name: 'Acme Robotics' }).click();
    await admin.waitForURL((url) => url.pathname === '/licenses');
    // 2. "In the license list, find the product ... and then click Active subscriptions."
    const subscriptions = admin.getByRole('region', { name: 'Active subscriptions' });
    await subscriptions.getByRole('link', { name: 'CLion' }).click();
    await admin.waitForURL((url) => url.searchParams.get('product') === product.id);
    const licenseRows = admin
      .getByRole('table', { name: /licenses/i })
      .getByRole('row')
      .filter({ hasText: 'CLion' });
    await expect.poll(() => licenseRows.count()).toBe(2);
    // The Team column shows the team; 3. "Click the team's name."
    await licenseRows.first().getByRole('link', { name: teamName }).click();
    await admin.waitForURL(new RegExp(`/teams/${order.teamId}/licenses`));
    await expectNoSidewaysScroll(admin, "the team's licenses at 1280 px");
  });

  it('shows a team administrator their teams in the left menu, each with its sections', async () => {
    const organization = await createOrganization(story.server, 'Globex');
    const product = await createProduct(story.server, 'Rider');
    const order = await placeOrder(story.server, { organizationId: organization.id, productCode: product.code, quantity: 1 });
    const lead = await signedInUser(story.server, { name: 'Tia Teamlead', email: acmeEmail('tia') });
    await grantTeamRole(story.server, order.teamId!, lead.userId, 'team_admin');
    await story.server.database.db.updateTable('teams').set({ name: 'Platform' }).where('id', '=', order.teamId!).execute();

    const page = await story.newPage();
    await page.goto('/sign-in');
    await signIn(page.locator('form'), lead.email);
    await page.waitForURL(/\/licenses|\/account/);
    await leftMenu(page).getByRole('link', { name: 'Globex' }).waitFor();
    await leftMenu(page).getByRole('link', { name: 'Platform', exact: true }).click();
    await page.waitForURL(new RegExp(`/teams/${order.teamId}`));
    await leftMenu(page).getByRole('link', { name: 'Invitations' }).click();
    await page.getByRole('button', { name: 'Create Invitation' }).waitFor();
    await leftMenu(page).getByRole('link', { name: 'Administrators of Platform' }).click();
    await page.waitForURL((url) => url.pathname === `/teams/${order.teamId}/admins`);
    await expectAccessible(page, "a team administrator's team page");
  });
});

/** What the article leaves out: refusals, a revoke, and a regenerated link. */
describe('bulk invitations: refusals, revoke and regenerate in the browser', () => {
  const story = browserStory({ smtp: true });

  async function signedInPage(email: string): Promise<Page> {
    const page = await story.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/account|\/licenses/);
    return page;
  }

  it('tells each signed-in person why they cannot claim, says what a revoke did, and kills a regenerated link', async () => {
    const organization = await createOrganization(story.server, 'Initech');
    const product = await createProduct(story.server, 'GoLand');
    const order = await placeOrder(story.server, { organizationId: organization.id, productCode: product.code, quantity: 2 });
    const adminUser = await signedInUser(story.server, { name: 'Ira Admin', email: acmeEmail('ira') });
    await grantOrgRole(story.server, organization.id, adminUser.userId, 'org_admin');
    const created = await adminUser.client.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id, allowedDomains: 'acme.test' });
    const link: string = created.body.link;
    const path = new URL(link).pathname;

    // Another domain: told at once which domains are accepted, offered another account, no Claim button.
    const outsider = await signedInUser(story.server, { name: 'Olly Outsider' });
    const outsiderPage = await signedInPage(outsider.email);
    await outsiderPage.goto(path);
    await outsiderPage.getByText('This invitation is for other addresses').waitFor();
    await outsiderPage.getByRole('group', { name: 'Accepted domains' }).getByText('acme.test').waitFor();
    await outsiderPage.getByRole('button', { name: 'Sign in with another account' }).waitFor();
    expect(await outsiderPage.getByRole('button', { name: 'Claim license' }).count()).toBe(0);
    await expectAccessible(outsiderPage, 'the domain refusal');

    // Already signed in and allowed: one click claims, and lands on the account page.
    const holder = await signedInUser(story.server, { name: 'Hana Holder', email: acmeEmail('hana') });
    const holderPage = await signedInPage(holder.email);
    await holderPage.goto(path);
    await holderPage.getByRole('button', { name: 'Claim license' }).click();
    await holderPage.waitForURL(/\/account\?claimed=/);

    // The admin revokes it: the account page says so, and the link says why it will not hand it back.
    const licenseId = new URL(holderPage.url()).searchParams.get('claimed')!;
    expect((await adminUser.client.post(`/api/v1/organizations/${organization.id}/licenses/revoke`, { licenseIds: [licenseId] })).status).toBe(200);
    await holderPage.goto('/account');
    await holderPage.getByText(/Initech revoked your GoLand license on/).waitFor();
    expect(await holderPage.getByText(/open an invitation link to claim/).count()).toBe(0);
    await holderPage.goto(path);
    await holderPage.getByText(/was revoked by Initech on/).waitFor();
    expect(await holderPage.getByRole('button', { name: 'Claim license' }).count()).toBe(0);

    // Regenerated: the old link answers not found.
    const admin = await signedInPage(adminUser.email);
    await admin.goto(`/invitations/${created.body.id}`);
    await admin.getByRole('button', { name: 'Regenerate link' }).click();
    await admin.getByRole('dialog', { name: 'Regenerate the link?' }).getByRole('button', { name: 'Regenerate link' }).click();
    await expect.poll(() => admin.getByTestId('invitation-link').inputValue()).not.toBe(link);
    await outsiderPage.goto(path);
    await outsiderPage.getByRole('heading', { name: 'Invitation not found' }).waitFor();
  });
});
