import { webhookEventTypes } from '@allot/contract/webhooks';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDbTime } from '../../src/db/column-types.js';
import { sealerFor } from '../../src/lib/sealing.js';
import { webhooksRepository } from '../../src/modules/webhooks/webhooks.repository.js';
import { createOrganization, createProduct, grantOrgRole, placeOrder, signedInUser } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';
import type { HttpClient } from '../support/http-client.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
const ALL_EVENTS: string[] = [...webhookEventTypes];

describe.each(DIALECTS)('signed webhooks on %s', (dialect) => {
  let server: TestServer;
  let smtp: TestSmtpServer;
  let receiver: Receiver;
  let admin: { client: HttpClient; email: string; userId: string };
  let organization: { id: string; name: string };
  let product: { id: string; code: string; name: string };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    // The receiver listens on loopback: the operator allows private addresses here, as for an internal network.
    server = await startTestServer({ dialect, smtp, env: { WEBHOOK_ALLOW_PRIVATE: '1' }, webhookRetryDelaysMs: [50, 50, 50, 50, 50] });
    receiver = await startWebhookReceiver();
    organization = await createOrganization(server, 'Hooked Inc');
    product = await createProduct(server, 'DataGrip');
    admin = await signedInUser(server, { name: 'Hana Hooks' });
    await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
  });
  afterAll(async () => {
    await server?.destroy();
    await receiver?.stop();
    await smtp?.stop();
  });

  async function registerEndpoint(events: string[] = ALL_EVENTS, url = receiver.url) {
    const created = await admin.client.post(`/api/v1/organizations/${organization.id}/webhooks`, { url, events, description: 'test receiver' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: string; secret: string };
  }

  const verify = (secret: string, webhook: { headers: Record<string, string>; body: string }) =>
    new Webhook(secret).verify(webhook.body, webhook.headers) as { type: string; timestamp: string; data: Record<string, any> };

  it('delivers one signed license.claimed per claim, which standardwebhooks verifies, and the pool running dry', async () => {
    const endpoint = await registerEndpoint();
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 1 });
    const invitation = await admin.client.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id });
    const token = invitation.body.link.split('/invite/')[1];
    const claimer = await signedInUser(server, { name: 'Cleo Claimer' });
    const claimed = await claimer.client.post('/api/v1/invite/claim', { token });
    expect(claimed.status).toBe(200);

    const [delivery] = await receiver.waitFor((webhook) => webhook.body.includes('"license.claimed"'));
    const event = verify(endpoint.secret, delivery!);
    expect(event.type).toBe('license.claimed');
    expect(event.data).toMatchObject({
      organizationId: organization.id,
      teamId: order.teamId,
      target: { type: 'license', id: claimed.body.licenseId },
      actor: claimer.email,
      details: { invitationId: invitation.body.id },
    });
    expect(delivery!.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    // A forged body does not verify.
    expect(() => verify(endpoint.secret, { ...delivery!, body: delivery!.body.replace('license.claimed', 'license.revoked') })).toThrow();

    const [empty] = await receiver.waitFor((webhook) => webhook.body.includes('"pool.exhausted"') && webhook.body.includes(order.teamId!));
    expect(verify(endpoint.secret, empty!).data).toMatchObject({ teamId: order.teamId, target: { type: 'product', id: product.id } });
    await receiver.waitFor((webhook) => webhook.body.includes('"invitation.created"') && webhook.body.includes(invitation.body.id));
    await receiver.waitFor((webhook) => webhook.body.includes('"order.created"') && webhook.body.includes(order.id));
    expect(receiver.received.filter((webhook) => webhook.body.includes('"license.claimed"') && webhook.body.includes(claimed.body.licenseId))).toHaveLength(1);
    await admin.client.request('DELETE', `/api/v1/webhooks/${endpoint.id}`);
  });

  it('retries a failing receiver with the same webhook-id until it answers, and the delivery log shows each attempt', async () => {
    const endpoint = await registerEndpoint(['license.assigned']);
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 1 });
    receiver.failNext(500, 503, 502);
    const assigned = await admin.client.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: ['retry@example.test'] });
    const licenseId = assigned.body.results[0].licenseId as string;

    const attempts = await receiver.waitFor((webhook) => webhook.body.includes(licenseId), 4);
    expect(attempts.map((webhook) => webhook.status)).toEqual([500, 503, 502, 200]);
    expect(new Set(attempts.map((webhook) => webhook.headers['webhook-id'])).size).toBe(1);
    for (const attempt of attempts) expect(verify(endpoint.secret, attempt).type).toBe('license.assigned');

    const log = await admin.client.get(`/api/v1/webhooks/${endpoint.id}/deliveries`);
    const delivery = log.body.items.find((item: { id: string }) => item.id === attempts[0]!.headers['webhook-id']);
    expect(delivery).toMatchObject({
      eventType: 'license.assigned',
      status: 'delivered',
      attempts: 4,
      lastAttempt: { statusCode: 200, responseExcerpt: 'ok' },
    });
    const history = await admin.client.get(`/api/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/attempts`);
    expect(history.body.items.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([200, 502, 503, 500]);
    expect(history.body.items[1].responseExcerpt).toBe('failing on purpose (502)');

    // Redeliver: the same message again, under the same id.
    const redelivered = await admin.client.post(`/api/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`);
    expect(redelivered.status).toBe(202);
    await receiver.waitFor((webhook) => webhook.headers['webhook-id'] === delivery.id, 5);
    await admin.client.request('DELETE', `/api/v1/webhooks/${endpoint.id}`);
  });

  it('signs with the old secret beside the new one for a day after a rotation, and sends test events', async () => {
    const endpoint = await registerEndpoint(['license.revoked']);
    const rotated = await admin.client.post(`/api/v1/webhooks/${endpoint.id}/rotate-secret`);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.previousSecretValidUntil).not.toBeNull();
    const test = await admin.client.post(`/api/v1/webhooks/${endpoint.id}/test`);
    expect(test.status).toBe(202);
    const [delivery] = await receiver.waitFor((webhook) => webhook.headers['webhook-id'] === test.body.id);
    expect(delivery!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verify(rotated.body.secret, delivery!).type).toBe('webhook.test');
    expect(verify(endpoint.secret, delivery!).type).toBe('webhook.test');
    await admin.client.request('DELETE', `/api/v1/webhooks/${endpoint.id}`);
  });

  it('turns off an endpoint that failed for a day, gives up its waiting deliveries and emails the administrators', async () => {
    const endpoint = await registerEndpoint(['license.assigned']);
    await server.database.db
      .updateTable('webhook_endpoints')
      .set({ failing_since: toDbTime(new Date(Date.now() - 25 * 3_600_000)) })
      .where('id', '=', endpoint.id)
      .execute();
    receiver.failNext(500);
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 1 });
    await admin.client.post(`/api/v1/teams/${order.teamId}/assignments`, { productId: product.id, emails: ['down@example.test'] });
    await smtp.waitFor((mail) => mail.to.includes(admin.email) && mail.subject === 'A webhook of Hooked Inc was turned off');
    const after = await admin.client.get(`/api/v1/webhooks/${endpoint.id}`);
    expect(after.body.enabled).toBe(false);
    expect(after.body.disabledReason).toContain('failed for a day');
    const audit = await admin.client.get(`/api/v1/organizations/${organization.id}/audit?action=webhook.disabled`);
    expect(audit.body.items.some((event: { targetId: string }) => event.targetId === endpoint.id)).toBe(true);
    expect((await admin.client.request('PATCH', `/api/v1/webhooks/${endpoint.id}`, { json: { enabled: true } })).body).toMatchObject({
      enabled: true,
      disabledReason: null,
      failingSince: null,
    });
    await admin.client.request('DELETE', `/api/v1/webhooks/${endpoint.id}`);
  });
});

describe.each(DIALECTS)('webhook address checks on %s', (dialect) => {
  let server: TestServer;
  let admin: { client: HttpClient; email: string; userId: string };
  let organizationId: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    organizationId = (await createOrganization(server, 'Careful')).id;
    admin = await signedInUser(server);
    await grantOrgRole(server, organizationId, admin.userId, 'org_admin');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('documents every event and its body in the webhooks section of the OpenAPI document', async () => {
    const document = (await server.client().get('/api/openapi.json')).body as { openapi: string; webhooks: Record<string, any> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.webhooks).sort()).toEqual([...ALL_EVENTS, 'webhook.test'].sort());
    const schema = document.webhooks['license.claimed'].post.requestBody.content['application/json'].schema;
    expect(schema.properties.type.const).toBe('license.claimed');
    expect(Object.keys(schema.properties.data.properties)).toEqual(['organizationId', 'teamId', 'target', 'actor', 'details']);
  });

  it('refuses loopback, private, link-local and metadata addresses, and URLs with credentials', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://[::1]/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00:ec2::254]/hook',
      'http://100.64.0.1/hook',
      'https://user:pass@example.com/hook',
      'ftp://example.com/hook',
    ]) {
      const refused = await admin.client.post(`/api/v1/organizations/${organizationId}/webhooks`, { url, events: ['license.assigned'] });
      expect(refused.status, url).toBe(400);
      expect(['WEBHOOK_URL_REFUSED', 'VALIDATION_FAILED'], url).toContain(refused.body.code);
    }
    expect(await server.database.db.selectFrom('webhook_endpoints').select('id').execute()).toEqual([]);
  });

  it('checks again at delivery: an address that became private is not called', async () => {
    const receiver = await startWebhookReceiver();
    try {
      // As if DNS changed after the endpoint was saved: its row now points at loopback.
      const endpointId = await insertEndpoint(server, organizationId, receiver.url);
      const test = await admin.client.post(`/api/v1/webhooks/${endpointId}/test`);
      expect(test.status).toBe(202);
      await expect
        .poll(async () => (await admin.client.get(`/api/v1/webhooks/${endpointId}/deliveries`)).body.items[0]?.lastAttempt?.error ?? null, { timeout: 10_000 })
        .toMatch(/private, loopback or link-local/);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });
});

async function insertEndpoint(server: TestServer, organizationId: string, url: string): Promise<string> {
  const id = randomUUID();
  const repo = webhooksRepository(sealerFor(server.config.authSecret, 'webhook-secret'));
  await repo.insertEndpoint(server.database.db, {
    id,
    organizationId,
    url,
    description: null,
    events: ['license.assigned'],
    secret: 'whsec_AAAA',
    createdByUserId: null,
    now: new Date(),
  });
  return id;
}
