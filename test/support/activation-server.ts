import { afterAll, beforeAll, expect } from 'vitest';
import { AllotError, activate } from '../../packages/client/src/index.js';

import { PASSWORD } from './accounts.js';
import { createOrganization, createProduct, grantOrgRole, placeOrder, seedSignedInUsers, signedInUser } from './console.js';
import type { Dialect } from '../../src/db/database.js';
import type { HttpClient } from './http-client.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';
import { startTestServer, type TestServer } from './test-server.js';

export type LicensedUser = { client: HttpClient; email: string; userId: string; licenseId: string };

/**
 * The product-activation test files' server: an organization with 40 licenses of one product in
 * one team, its admin, and helpers to make licensed people and activate their machines.
 */
export function useActivationServer(dialect: Dialect) {
  let server!: TestServer;
  let smtp!: TestSmtpServer;
  let organization!: { id: string; name: string };
  let product!: { id: string; code: string; name: string };
  let teamId = '';
  let orderReference = '';
  let admin!: { client: HttpClient; email: string; userId: string };
  let machineCounter = 0;
  const newMachineId = () => `machine-${process.pid}-${dialect}-${++machineCounter}`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ dialect, smtp, env: { DEVICE_POLL_INTERVAL_SECONDS: '1' } });
    organization = await createOrganization(server, 'Acme Robotics');
    product = await createProduct(server, 'CLion');
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: 40 });
    teamId = order.teamId!;
    orderReference = order.reference;
    admin = await signedInUser(server, { name: 'Olga Orgadmin' });
    await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
  });
  afterAll(async () => {
    await server?.destroy();
    await smtp?.stop();
  });

  /**
   * A verified, signed-in person, written straight to the database (sign-up is limited to 20 an
   * hour per address, and this file needs more people than that); `withPassword` signs up for real.
   */
  async function person(): Promise<{ client: HttpClient; email: string; userId: string }> {
    const [seeded] = await seedSignedInUsers(server, 1, 'person', { withPassword: true });
    return { client: server.client({ cookie: seeded!.cookie }), email: seeded!.email, userId: seeded!.userId };
  }

  /** A person who holds one license of `product`. */
  async function licensedUser({ withPassword = false } = {}): Promise<LicensedUser> {
    const user = withPassword ? await signedInUser(server, { name: 'Lena Licensee' }) : await person();
    const assigned = await admin.client.post(`/api/v1/teams/${teamId}/assignments`, { productId: product.id, emails: [user.email] });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    return { ...user, licenseId: assigned.body.results[0].licenseId as string };
  }

  async function revoke(licenseId: string): Promise<void> {
    const revoked = await admin.client.post(`/api/v1/organizations/${organization.id}/licenses/revoke`, { licenseIds: [licenseId] });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
  }

  async function appPasswordFor(user: LicensedUser, name = 'Laptop IDE'): Promise<string> {
    const created = await user.client.post('/api/v1/me/app-passwords', { name, currentPassword: PASSWORD });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.password).toMatch(/^allot-app-/);
    return created.body.password as string;
  }

  const activateWithAppPassword = (user: LicensedUser, appPassword: string, machineId = newMachineId()) =>
    activate({
      serverUrl: server.baseUrl,
      productCode: product.code,
      machineId,
      machineName: 'build box',
      productVersion: '2026.3',
      credentials: { method: 'app_password', email: user.email, appPassword },
    });

  async function expectAllotError(promise: Promise<unknown>, code: string): Promise<AllotError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, `expected ${code}`).toBeInstanceOf(AllotError);
    expect((error as AllotError).code).toBe(code);
    return error as AllotError;
  }

  return {
    get server() {
      return server;
    },
    get smtp() {
      return smtp;
    },
    get organization() {
      return organization;
    },
    get product() {
      return product;
    },
    get teamId() {
      return teamId;
    },
    get orderReference() {
      return orderReference;
    },
    get admin() {
      return admin;
    },
    newMachineId,
    person,
    licensedUser,
    revoke,
    appPasswordFor,
    activateWithAppPassword,
    expectAllotError,
  };
}
