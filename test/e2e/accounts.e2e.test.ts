import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { totp, uniqueEmail } from '../support/accounts.js';
import { browserStory, screenshot } from '../support/browser.js';

const PASSWORD = 'a long and private passphrase';
const shots = process.env.SCREENSHOT_DIR;

/** The account stories a person clicks through, in Chromium against the real server (SQLite). */
describe('accounts in the browser', () => {
  const story = browserStory({ smtp: true });
  let page: Page;

  async function newPage(): Promise<Page> {
    page = await story.newPage();
    return page;
  }

  async function mailLink(email: string, subject: string): Promise<string> {
    await story.smtp.waitFor((m) => m.to.includes(email) && m.subject === subject);
    return story.smtp.received.filter((m) => m.to.includes(email) && m.subject === subject).at(-1)!.links[0]!;
  }

  async function signUpAndVerify(email: string, name = 'Grace Hopper'): Promise<void> {
    await page.goto('/sign-up');
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/check-email/);
    await expect.poll(() => page.getByText(email).count()).toBeGreaterThan(0);
    await page.goto(await mailLink(email, 'Verify your email address'));
    await page.waitForURL(/\/email-verified|\/account/);
  }

  async function signIn(email: string, password = PASSWORD): Promise<void> {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut(): Promise<void> {
    // Pages are 1280 px wide: the navigation, and its Sign out, are always shown.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
  }

  it('signs up, verifies through the emailed link, signs in and signs out', async () => {
    await newPage();
    const email = uniqueEmail('e2e');
    await page.goto('/sign-up');
    if (shots) await screenshot(page, 'sign-up', shots);
    await signUpAndVerify(email);
    await page.waitForURL(/\/account/);
    await expect.poll(() => page.getByRole('heading', { name: 'My licenses' }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('You have no licenses yet', { exact: false }).count()).toBeGreaterThan(0);
    if (shots) await screenshot(page, 'account', shots);

    await signOut();
    await page.goto('/account');
    await page.waitForURL(/\/sign-in/);

    await signIn(email);
    await page.waitForURL(/\/account/);
    await expect.poll(() => page.getByText(email).count()).toBeGreaterThan(0);
  });

  it('resets a forgotten password through the emailed link', async () => {
    await newPage();
    const email = uniqueEmail('reset');
    await signUpAndVerify(email);
    await signOut();

    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect.poll(() => page.getByText(/If an account exists/).count()).toBeGreaterThan(0);

    await page.goto(await mailLink(email, 'Reset your password'));
    await page.waitForURL(/\/reset-password\?token=/);
    await page.getByLabel('New password').fill('my new passphrase 2026');
    await page.getByLabel('Confirm password').fill('my new passphrase 2026');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect.poll(() => page.getByText(/Password changed/i).count()).toBeGreaterThan(0);

    await signIn(email, PASSWORD);
    await expect.poll(() => page.getByText(/Invalid email or password/i).count()).toBeGreaterThan(0);
    await signIn(email, 'my new passphrase 2026');
    await page.waitForURL(/\/account/);
  });

  it('enrols two-factor authentication and signs in with a code', async () => {
    await newPage();
    const email = uniqueEmail('totp');
    await signUpAndVerify(email);
    await page.goto('/account/security');
    await page.getByRole('button', { name: 'Enable two-factor authentication' }).click();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    const secret = await page.getByTestId('totp-secret').getAttribute('data-secret');
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    if (shots) await screenshot(page, 'two-factor-enrolment', shots);
    await page.getByLabel('Authentication code').fill(totp(secret!));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').count()).toBe(1);
    await page.getByRole('button', { name: 'I have saved my codes' }).click();
    await signOut();

    await signIn(email);
    await page.waitForURL(/\/sign-in\/two-factor/);
    await page.getByLabel('Authentication code').fill(totp(secret!));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/account/);
  });

  it('lets the holder of the setup link create the first organization, once', async () => {
    await newPage();
    const token = await story.server.services.setup.issueSetupToken();
    expect(token).toBeDefined();
    await page.goto(`/setup?token=${token}`);
    await page.getByLabel('Organization name').fill('Initech');
    const adminEmail = uniqueEmail('admin');
    await page.getByLabel('Admin email').fill(adminEmail);
    if (shots) await screenshot(page, 'setup', shots);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect.poll(() => page.getByText(/Initech/).count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: /Create the admin account/ }).click();
    await page.waitForURL(/\/sign-up/);
    await signUpAndVerify(adminEmail, 'Bill Lumbergh');
    // An organization admin lands on the license console.
    await page.waitForURL(/\/licenses/);
    await expect.poll(() => page.getByText('Initech').count()).toBeGreaterThan(0);

    await page.goto(`/setup?token=${token}`);
    await expect.poll(() => page.getByText(/invalid|already been used|already set up/i).count()).toBeGreaterThan(0);
  });
});
