import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, TEST_SECRET } from '../test/support/test-server.js';
import { load, type LoadResult } from './http.bench.js';
import { spawnServer } from './support/process.js';

/**
 * The peers Allot's request path is measured against, each in its own process: Better Auth's
 * organization plugin on Fastify and SQLite (bench/peers/better-auth-org.mjs), and a bare
 * Fastify route (bench/peers/bare-fastify.mjs).
 */
export async function benchHttpPeer({ seconds }: { seconds: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-peer-'));
  const seedFile = path.join(dir, 'people.json');
  const perRun = 20_000;
  const port = await freePort();
  const peer = await spawnServer({
    args: ['bench/peers/better-auth-org.mjs'],
    port,
    env: { DATABASE_FILE: path.join(dir, 'peer.db'), SECRET: TEST_SECRET, SEED_USERS: String(perRun * 2 + 1), SEED_OUT: seedFile },
  });
  try {
    const people = JSON.parse(fs.readFileSync(seedFile, 'utf8')) as Array<{ cookie: string; invitationId: string }>;
    const base = peer.baseUrl;
    const me = people.pop()!.cookie;
    const accept = (connections: number, slice: typeof people) => {
      let next = 0;
      const outcomes: Record<string, number> = {};
      return autocannon({
        url: `${base}/api/auth/organization/accept-invitation`,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (request: autocannon.Request) => {
              const person = slice[next++ % slice.length]!;
              return {
                ...request,
                headers: { 'content-type': 'application/json', origin: base, cookie: person.cookie },
                body: JSON.stringify({ invitationId: person.invitationId }),
              };
            },
            onResponse: (status: number) => {
              outcomes[status] = (outcomes[status] ?? 0) + 1;
            },
          },
        ],
      }).then((result) => ({
        rps: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.non2xx,
        outcomes,
      }));
    };
    await load({ url: `${base}/healthz`, connections: 16, seconds: 1 });
    const plain = await load({ url: `${base}/healthz`, connections: 64, seconds });
    const authenticated = await load({ url: `${base}/api/auth/get-session`, headers: { cookie: me }, connections: 16, seconds });
    const accept16 = await accept(16, people.slice(0, perRun));
    const accept64 = await accept(64, people.slice(perRun));
    return { plain, authenticated, accept16, accept64 };
  } finally {
    await peer.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchBareFastify({ seconds }: { seconds: number }): Promise<LoadResult> {
  const port = await freePort();
  const bare = await spawnServer({ args: ['bench/peers/bare-fastify.mjs'], port });
  try {
    await load({ url: `${bare.baseUrl}/healthz`, connections: 16, seconds: 1 });
    return await load({ url: `${bare.baseUrl}/healthz`, connections: 64, seconds });
  } finally {
    await bare.stop();
  }
}
