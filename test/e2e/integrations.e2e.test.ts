import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/accounts.js';
import { browserStory, expectAccessible, screenshot } from '../support/browser.js';
import { createOrganization, grantOrgRole, signedInUser } from '../support/console.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const shots = process.env.SCREENSHOT_DIR;

/** Settings → API tokens and Settings → Webhooks, clicked through in Chromium against a real receiver. */
describe('integrations in the browser', () => {
  // The receiver listens on loopback, which the operator allows here as for an internal network.
  const story = browserStory({ env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  it('creates an API token that works once copied, and a webhook endpoint that gets, logs and redelivers a test event', async () => {
    const organization = await createOrganization(story.server, 'Umbrella');
    const admin = await signedInUser(story.server, { name: 'Ivy Integrator' });
    await grantOrgRole(story.server, organization.id, admin.userId, 'org_admin');

    const page = await story.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/licenses/);

    // Settings → API tokens: a read token for one purpose, shown once with a copy button.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'API tokens' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/api-tokens');
    await page.getByRole('button', { name: 'Create API token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Name').fill('Finance export');
    await dialog.getByRole('radio', { name: 'Read', exact: true }).check();
    await expectAccessible(page, 'the Create API token dialog');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const tokenField = page.getByLabel('API token “Finance export”');
    const token = await tokenField.inputValue();
    expect(token).toMatch(/^allot_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: 'Copy API token' }).waitFor();
    const teams = await story.server.client({ authorization: `Bearer ${token}` }).get(`/api/v1/organizations/${organization.id}/teams`);
    expect(teams.status).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await tokenField.count()).toBe(0);
    const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row').filter({ hasText: 'Finance export' });
    await row.getByText('Read', { exact: true }).waitFor();
    await expectAccessible(page, 'the API tokens page');
    if (shots) await screenshot(page, 'api-tokens', shots);

    // Settings → Webhooks: an endpoint for every event; its secret shown once.
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/webhooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const endpointDialog = page.getByRole('dialog', { name: 'Add endpoint' });
    await endpointDialog.getByLabel('Endpoint URL').fill(receiver.url);
    await endpointDialog.getByLabel('Description').fill('Receiver in the test');
    await expectAccessible(page, 'the Add endpoint dialog');
    await endpointDialog.getByRole('button', { name: 'Add endpoint' }).click();
    await page.waitForURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
    const secret = await page.getByLabel('Signing secret', { exact: true }).inputValue();
    expect(secret).toMatch(/^whsec_/);

    // Send test event: delivered, verified with the secret, and shown in the log with the answer.
    await page.getByRole('button', { name: 'Send test event' }).click();
    const [first] = await receiver.waitFor((webhook) => webhook.body.includes('"webhook.test"'));
    expect((new Webhook(secret).verify(first!.body, first!.headers) as { type: string }).type).toBe('webhook.test');
    const deliveries = page.getByRole('table', { name: 'Deliveries' });
    await deliveries.getByRole('row').filter({ hasText: 'webhook.test' }).getByText('delivered').waitFor();
    await expectAccessible(page, 'the webhook endpoint page');

    // Redeliver: the same event again, under the same webhook-id, and a second attempt in the log.
    await deliveries.getByRole('button', { name: /^Redeliver webhook\.test/ }).click();
    const again = await receiver.waitFor((webhook) => webhook.headers['webhook-id'] === first!.headers['webhook-id'], 2);
    expect(again).toHaveLength(2);
    await deliveries.getByRole('button', { name: /^Show the attempts of webhook\.test/ }).click();
    await expect.poll(() => deliveries.getByRole('listitem').filter({ hasText: '200 in' }).count()).toBe(2);
    await deliveries.getByRole('row').filter({ hasText: 'webhook.test' }).getByText('2 attempts').waitFor();
    if (shots) await screenshot(page, 'webhook-delivery-log', shots);
  });
});
