import { fetchJwks, verifyOffline, type Activation } from '../packages/client/src/index.js';
import type { Dialect } from '../src/db/database.js';
import { PASSWORD } from '../test/support/accounts.js';
import { createOrganization, createProduct, grantOrgRole, placeOrder, seedSignedInUsers, signedInUser } from '../test/support/console.js';
import { startTestServer } from '../test/support/test-server.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Runs `work` back to back for about `seconds`; returns how many ran per second. */
async function perSecond(seconds: number, work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await work();
    count += 1;
  }
  return Math.round(count / ((performance.now() - started) / 1000));
}

/**
 * License tickets: signing alone (one core, in process), refreshes over HTTP (each one a locked
 * license read, a seat update, last seen, and a signature), and offline verification in the SDK.
 */
export async function benchTickets(dialect: Dialect, { seconds = 5, machines = 200, concurrency = 32 } = {}) {
  // Each machine gets its own client address (as behind a trusting proxy), so the per-address
  // limits measure nothing here; the refresh path is what is measured.
  const server = await startTestServer({ dialect, env: { TRUST_PROXY: '1' } });
  try {
    const organization = await createOrganization(server, 'Ticket bench');
    const product = await createProduct(server, 'GoLand');
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: machines });
    const admin = await signedInUser(server);
    await grantOrgRole(server, organization.id, admin.userId, 'org_admin');
    const people = await seedSignedInUsers(server, machines, 'ticket', { withPassword: true });
    const assigned = await admin.client.post(`/api/v1/teams/${order.teamId}/assignments`, {
      productId: product.id,
      emails: people.map((person) => person.email),
    });
    if (assigned.status !== 200) throw new Error(`assign failed: ${JSON.stringify(assigned.body)}`);

    // Each person activates one machine with an app password, as a product would.
    const activations: Activation[] = [];
    for (const person of people) {
      const headers = { cookie: person.cookie, origin: server.baseUrl, 'content-type': 'application/json' };
      const created = await fetch(`${server.baseUrl}/api/v1/me/app-passwords`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'bench', currentPassword: PASSWORD }),
      });
      const { password } = (await created.json()) as { password: string };
      const activated = await fetch(`${server.baseUrl}/api/v1/activations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.${activations.length >> 8}.${activations.length & 255}` },
        body: JSON.stringify({
          productCode: product.code,
          machineId: `bench-${person.userId}`,
          credentials: { method: 'app_password', email: person.email, appPassword: password },
        }),
      });
      const issued = (await activated.json()) as Activation;
      // Refresh secrets change at every refresh; each worker below keeps its machines' latest.
      if (activated.status !== 201) throw new Error(`activation failed: ${JSON.stringify(issued)}`);
      activations.push({ ...issued, serverUrl: server.baseUrl, machineId: `bench-${person.userId}` });
    }

    // Signing alone, with the server's own key ring.
    const claims = { sub: 'bench', product: { code: product.code } };
    const expiresAt = new Date(Date.now() + 7 * 86_400_000);
    const signer = await server.services.signingKeys.signer();
    const signsPerSecond = await perSecond(seconds, () => signer.sign(server.database.db, claims, expiresAt));

    // Refreshes over HTTP, `concurrency` in flight.
    const latencies: number[] = [];
    let failures = 0;
    const deadline = performance.now() + seconds * 1000;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          const index = next++ % activations.length;
          const activation = activations[index]!;
          const sent = performance.now();
          const response = await fetch(`${server.baseUrl}/api/v1/activations/refresh`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${index >> 8}.${index & 255}` },
            body: JSON.stringify({ refreshToken: activation.refreshToken }),
          });
          const body = (await response.json()) as { refreshToken?: string };
          if (response.status === 200) activations[index] = { ...activation, refreshToken: body.refreshToken! };
          else failures += 1;
          latencies.push(performance.now() - sent);
        }
      }),
    );
    const refreshSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    // Offline verification: what a product does at every start, with no network.
    const jwks = await fetchJwks(server.baseUrl);
    const sample = activations[0]!;
    const verifiesPerSecond = await perSecond(seconds, () => verifyOffline(sample.ticket, jwks, { productCode: product.code, machineId: sample.machineId }));

    return [
      { dialect, measure: 'ticket signing + key bookkeeping write (in process)', 'per second': signsPerSecond, p50_ms: '', p99_ms: '', failures: '' },
      {
        dialect,
        measure: `ticket refresh over HTTP (${machines} machines, ${concurrency} in flight)`,
        'per second': Math.round(latencies.length / refreshSeconds),
        p50_ms: Number(percentile(latencies, 50).toFixed(1)),
        p99_ms: Number(percentile(latencies, 99).toFixed(1)),
        failures,
      },
      { dialect, measure: 'offline verification (@allot/client, 1 core)', 'per second': verifiesPerSecond, p50_ms: '', p99_ms: '', failures: '' },
    ];
  } finally {
    await server.destroy();
  }
}
