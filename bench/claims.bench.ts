import type { Dialect } from '../src/db/database.js';
import { createOrganization, createProduct, grantTeamRole, placeOrder, seedSignedInUsers, signedInUser } from '../test/support/console.js';
import { startTestServer } from '../test/support/test-server.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * The claim race at scale: `claimers` people with verified accounts open one invitation link at
 * once (`concurrency` requests in flight) for a pool of `licenses`. Prints claims per second and
 * latency; checks that exactly min(licenses, claimers) got one.
 */
export async function benchClaims(dialect: Dialect, { licenses = 1_000, claimers = 2_000, concurrency = 64 } = {}) {
  const server = await startTestServer({ dialect });
  try {
    const organization = await createOrganization(server, 'Claim bench');
    const product = await createProduct(server, 'Rider');
    const order = await placeOrder(server, { organizationId: organization.id, productCode: product.code, quantity: licenses });
    const admin = await signedInUser(server);
    await grantTeamRole(server, order.teamId!, admin.userId, 'team_admin');
    const created = await admin.client.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id, name: 'Bench' });
    const token = created.body.link.split('/invite/')[1] as string;
    const people = await seedSignedInUsers(server, claimers, 'bench');

    const latencies: number[] = [];
    const outcomes = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < people.length) {
          const person = people[next++]!;
          const sent = performance.now();
          const response = await fetch(`${server.baseUrl}/api/v1/invite/claim`, {
            method: 'POST',
            headers: { cookie: person.cookie, origin: server.baseUrl, 'content-type': 'application/json' },
            body: JSON.stringify({ token }),
          });
          const body = (await response.json()) as { code?: string };
          latencies.push(performance.now() - sent);
          const outcome = response.status === 200 ? 'claimed' : (body.code ?? String(response.status));
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const claimed = outcomes.get('claimed') ?? 0;
    const expected = Math.min(licenses, claimers);
    console.log(
      `[${dialect}] claim race: ${claimers} claimers, ${licenses} licenses, ${concurrency} in flight → ${JSON.stringify(Object.fromEntries(outcomes))}${claimed === expected ? '' : `  ✗ expected ${expected} claimed`}`,
    );
    return [
      {
        dialect,
        measure: `claim race (${claimers} people, ${licenses} licenses, ${concurrency} in flight)`,
        'claims/s': Math.round(claimed / seconds),
        'requests/s': Math.round(claimers / seconds),
        p50_ms: Number(percentile(latencies, 50).toFixed(1)),
        p99_ms: Number(percentile(latencies, 99).toFixed(1)),
        exact: claimed === expected ? 'yes' : 'NO',
      },
    ];
  } finally {
    await server.destroy();
  }
}
