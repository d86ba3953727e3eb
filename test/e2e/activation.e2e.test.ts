import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/accounts.js';
import { browserStory, screenshot } from '../support/browser.js';
import { createOrganization, createProduct, grantOrgRole, placeOrder, signedInUser } from '../support/console.js';

const shots = process.env.SCREENSHOT_DIR;
const demoBin = fileURLToPath(new URL('../../packages/demo-product/bin/allot-demo-product.mjs', import.meta.url));

type Run = { code: number; output: string };

/** The demo product's real binary, as a person would run it, with its own home folder. */
function demoProduct(args: string[], env: Record<string, string>, onOutput?: (chunk: string) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [demoBin, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
    child.stdout?.on('data', (chunk: Buffer) => onOutput?.(chunk.toString()));
  });
}

/** The activation story continues the invitation one: claim → app password → product → revoke → refused → last seen. */
describe('product activation in the browser', () => {
  const story = browserStory({ env: { DEVICE_POLL_INTERVAL_SECONDS: '1' } });
  let home: string;

  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-demo-e2e-'));
  });
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  const newPage = (width = 1280) => story.newPage({ width, height: 900 });

  async function signIn(page: Page, email: string) {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/account|\/licenses/);
  }

  it('claims, activates the demo product with an app password and by device login, and stops it after a revoke', async () => {
    const organization = await createOrganization(story.server, 'Acme Robotics');
    const product = await createProduct(story.server, 'CLion');
    const order = await placeOrder(story.server, { organizationId: organization.id, productCode: product.code, quantity: 3 });
    const adminUser = await signedInUser(story.server, { name: 'Ada Admin' });
    await grantOrgRole(story.server, organization.id, adminUser.userId, 'org_admin');
    const created = await adminUser.client.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id, name: 'Spring hires' });
    expect(created.status).toBe(201);
    const invitePath = new URL(created.body.link).pathname;

    // 1. The user claims through the invitation link.
    const user = await signedInUser(story.server, { name: 'Nina Newcomer' });
    const page = await newPage();
    await signIn(page, user.email);
    await page.goto(invitePath);
    await page.getByRole('button', { name: 'Claim license' }).click();
    await expect.poll(() => page.getByText(/Your license is ready/).count()).toBeGreaterThan(0);

    // 2. …creates an app password on the security page and copies it.
    await page.goto('/account/security');
    await page.getByLabel('App password name').fill('Demo product on my laptop');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create app password' }).click();
    const secretField = page.getByLabel('New app password');
    await expect.poll(() => secretField.inputValue()).toMatch(/^allot-app-/);
    const appPassword = await secretField.inputValue();
    if (shots) await screenshot(page, 'app-password-created', shots);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Demo product on my laptop', exact: true }).count()).toBe(1);

    // 3. The demo product activates with it, and runs.
    const env = { ALLOT_SERVER_URL: story.server.baseUrl, ALLOT_PRODUCT: product.code, ALLOT_DEMO_HOME: home };
    const activated = await demoProduct(['activate', '--email', user.email, '--app-password', appPassword], env);
    expect(activated, activated.output).toMatchObject({ code: 0 });
    expect(activated.output).toContain(`Activated CLion for ${user.email}`);
    const run = await demoProduct(['run'], env);
    expect(run, run.output).toMatchObject({ code: 0 });
    expect(run.output).toContain('is running');

    // A second machine activates by device login: the person approves the code in the browser.
    const secondHome = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-demo-e2e-'));
    let approvalUrl: string | undefined;
    const deviceRun = demoProduct(['activate'], { ...env, ALLOT_DEMO_HOME: secondHome, ALLOT_MACHINE_NAME: 'Build story.server' }, (chunk) => {
      approvalUrl ??= /open (\S+\/device\?code=\S+)/.exec(chunk)?.[1];
    });
    await expect.poll(() => approvalUrl, { timeout: 15_000 }).toBeDefined();
    await page.goto(approvalUrl!);
    await expect.poll(() => page.getByRole('heading', { name: 'Activate CLion?' }).count()).toBe(1);
    if (shots) await screenshot(page, 'device-approval', shots);
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByText(/Device approved/).count()).toBeGreaterThan(0);
    const deviceActivated = await deviceRun;
    expect(deviceActivated, deviceActivated.output).toMatchObject({ code: 0 });
    fs.rmSync(secondHome, { recursive: true, force: true });

    // The account page lists both machines.
    await page.goto('/account');
    await expect.poll(() => page.getByRole('button', { name: /^Deactivate / }).count()).toBe(2);
    if (shots) await screenshot(page, 'account-machines', shots);

    // A machine without network: free a seat, then take an offline code for it from the license card.
    await page.getByRole('button', { name: 'Deactivate Build story.server' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Deactivate / }).count()).toBe(1);
    const airGapped = { ...env, ALLOT_DEMO_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'allot-demo-e2e-')), ALLOT_SERVER_URL: 'http://127.0.0.1:9' };
    const unlicensed = await demoProduct(['status'], airGapped);
    expect(unlicensed.code).toBe(3);
    const airGappedMachineId = /Machine ID: (\S+)/.exec(unlicensed.output)![1]!;
    await page.getByRole('button', { name: 'Get offline activation code' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Machine ID', { exact: true }).fill(airGappedMachineId);
    await dialog.getByLabel('Machine name').fill('Lab PC');
    await dialog.getByRole('button', { name: 'Get offline code' }).click();
    const codeField = dialog.getByRole('textbox', { name: 'Offline activation code' });
    await expect.poll(() => codeField.inputValue()).toMatch(/^eyJ/);
    await expect.poll(() => dialog.getByText(/cannot be recalled/).count()).toBeGreaterThan(0);
    const offlineCode = await codeField.inputValue();
    if (shots) await screenshot(page, 'offline-code', shots);
    await dialog.getByRole('button', { name: 'Done' }).click();
    // The keys are copied to the machine with the code; no story.server is reachable from there.
    const jwksFile = path.join(airGapped.ALLOT_DEMO_HOME, 'server-keys.json');
    fs.writeFileSync(jwksFile, await (await fetch(`${story.server.baseUrl}/.well-known/jwks.json`)).text());
    const accepted = await demoProduct(['use-offline-code', offlineCode, '--jwks', jwksFile], airGapped);
    expect(accepted, accepted.output).toMatchObject({ code: 0 });
    expect((await demoProduct(['run'], airGapped)).code).toBe(0);

    // 4. The admin sees when the product was last seen, in the license list.
    // Wide enough that the license list shows its Last seen column without scrolling.
    const admin = await newPage(1700);
    await signIn(admin, adminUser.email);
    await admin.goto('/licenses');
    const row = admin.getByRole('row').filter({ hasText: user.email });
    await expect.poll(() => row.locator('time').count()).toBeGreaterThan(0);
    await expect.poll(() => row.getByText('Never').count()).toBe(0);
    if (shots) await screenshot(admin, 'license-list-last-seen', shots);
    // The license's details show the machine it runs on.
    await row.getByRole('button', { name: /^[0-9A-Z]{10}$/ }).click();
    const machinesSection = admin.getByRole('region', { name: 'Machines' });
    await expect.poll(() => machinesSection.getByText(/Version 1\.0\.0/).count()).toBeGreaterThan(0);
    await admin.keyboard.press('Escape');

    // 5. The admin revokes the license.
    await row.getByRole('checkbox').check();
    await admin.getByRole('button', { name: 'Revoke' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect
      .poll(
        async () =>
          (await adminUser.client.get(`/api/v1/organizations/${organization.id}/licenses?assignee=${encodeURIComponent(user.email)}`)).body.items.length,
      )
      .toBe(0);

    // 6. The demo product's next refresh is refused, and it no longer runs.
    const refreshed = await demoProduct(['refresh'], env);
    expect(refreshed.code, refreshed.output).toBe(3);
    expect(refreshed.output).toContain('LICENSE_REVOKED');
    expect((await demoProduct(['run'], env)).code).toBe(3);
    // As the account page warned, the offline code cannot be recalled: it runs until it expires.
    expect((await demoProduct(['run'], airGapped)).code).toBe(0);
    fs.rmSync(airGapped.ALLOT_DEMO_HOME, { recursive: true, force: true });
  });
});
