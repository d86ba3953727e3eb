import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { Dialect } from '../src/db/database.js';
import { PASSWORD } from '../test/support/accounts.js';
import { createOrganization, createProduct, grantTeamRole, placeOrder, seedSignedInUsers, signedInUser } from '../test/support/console.js';
import { createTestDatabase, type TestDatabase } from '../test/support/databases.js';
import { freePort, startTestServer, TEST_SECRET } from '../test/support/test-server.js';
import { spawnServer, type BenchProcess } from './support/process.js';
import { benchBareFastify, benchHttpPeer } from './peers.bench.js';

/**
 * The request path under load, each server in its own process and the load generator
 * (autocannon) in this one: Allot as `npm start` runs it (dist/main.js, LOG_LEVEL=info), beside
 * Better Auth's organization plugin (bench/peers) and a bare Fastify route on the same machine.
 * Every claim is a first claim by a distinct, verified person, and every one succeeds.
 */
export type LoadResult = { rps: number; p50: number; p99: number; errors: number; outcomes?: Record<string, number> };
export type HttpRow = { measure: string; connections: number } & Record<string, string | number>;

type Person = { cookie: string };

export async function load(options: {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** A fresh person (cookie) per request, in order; the run stops early when they run out. */
  people?: Person[];
  /** Counts outcomes by the answer's `code` (or 'ok'). */
  classify?: (status: number, body: string) => string;
}): Promise<LoadResult> {
  const outcomes: Record<string, number> = {};
  let next = 0;
  const people = options.people;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: options.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...options.headers },
        ...(options.body ? { body: options.body } : {}),
        ...(people
          ? {
              setupRequest: (request: autocannon.Request) => {
                const person = people[next++ % people.length]!;
                return { ...request, headers: { ...request.headers, cookie: person.cookie } };
              },
            }
          : {}),
        ...(options.classify
          ? {
              onResponse: (status: number, body: string) => {
                const outcome = options.classify!(status, body);
                outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
              },
            }
          : {}),
      },
    ],
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    ...(options.classify ? { outcomes } : {}),
  };
}

const classifyClaim = (status: number, body: string) => {
  if (status !== 200) return String(safeJson(body)?.code ?? status);
  return safeJson(body)?.alreadyClaimed ? 'already claimed' : 'claimed';
};

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Per dialect: an invitation with `claimers` licenses, `claimers` people who never claimed, one more to call /me, and sign-in people. */
async function seedAllot(testDatabase: TestDatabase, claimers: number) {
  const seeder = await startTestServer({ dialect: testDatabase.dialect, testDatabase });
  try {
    const organization = await createOrganization(seeder, 'HTTP bench');
    const product = await createProduct(seeder, 'CLion');
    const order = await placeOrder(seeder, { organizationId: organization.id, productCode: product.code, quantity: claimers });
    const admin = await signedInUser(seeder);
    await grantTeamRole(seeder, order.teamId!, admin.userId, 'team_admin');
    const created = await admin.client.post(`/api/v1/teams/${order.teamId}/invitations`, { productId: product.id, name: 'Bench' });
    const token = created.body.link.split('/invite/')[1] as string;
    const people = await seedSignedInUsers(seeder, claimers, 'http');
    const signers = await seedSignedInUsers(seeder, 400, 'signer', { withPassword: true });
    const machineOwners = await seedSignedInUsers(seeder, 200, 'machine', { withPassword: true });
    return { token, people, me: admin.client.cookieHeader(), signers, machineOwners, teamId: order.teamId!, product };
  } finally {
    await seeder.close();
  }
}

/** Claims at 64 connections while `rate` sign-ins a second (argon2id) run beside them. */
async function claimsBesideSignIns(
  baseUrl: string,
  { people, signers, token, seconds, rate }: { people: Person[]; signers: Array<{ email: string }>; token: string; seconds: number; rate: number },
) {
  // Warm-up: the server's first sign-ins load and compile Better Auth's sign-in path (tens of ms
  // on the event loop, once); the measure is of sign-ins running beside claims, not of that.
  for (const [index, signer] of signers.slice(-3).entries()) {
    await fetch(`${baseUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl, 'x-forwarded-for': `10.8.0.${index}` },
      body: JSON.stringify({ email: signer.email, password: PASSWORD }),
    });
  }
  let nextSigner = 0;
  const signIns = autocannon({
    url: `${baseUrl}/api/auth/sign-in/email`,
    connections: 4,
    overallRate: rate,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request: autocannon.Request) => {
          const index = nextSigner++;
          const signer = signers[index % signers.length]!;
          // Each from its own address (TRUST_PROXY is on for this run), so the limits stay out of it.
          return {
            ...request,
            headers: { 'content-type': 'application/json', origin: baseUrl, 'x-forwarded-for': `10.9.${(index >> 8) & 255}.${index & 255}` },
            body: JSON.stringify({ email: signer.email, password: PASSWORD }),
          };
        },
      },
    ],
  });
  const claims = load({
    url: `${baseUrl}/api/v1/invite/claim`,
    method: 'POST',
    body: JSON.stringify({ token }),
    headers: { origin: baseUrl },
    connections: 64,
    seconds,
    people,
    classify: classifyClaim,
  });
  const [signInResult, claimResult] = await Promise.all([signIns, claims]);
  return { claims: claimResult, signIns: { rps: Math.round(signInResult.requests.average), p99: signInResult.latency.p99, non2xx: signInResult.non2xx } };
}

export async function benchHttpAllot(dialect: Dialect, { seconds }: { seconds: number }) {
  // Enough people that every claim of every run is someone's first.
  const perRun = 20_000;
  const testDatabase = await createTestDatabase(dialect);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-bench-'));
  let server: BenchProcess | undefined;
  try {
    const { token, people, me, signers, machineOwners, teamId, product } = await seedAllot(testDatabase, perRun * 3);
    const port = await freePort();
    server = await spawnServer({
      // BENCH_PROFILE=dir writes a CPU profile of the server (chrome://inspect, or speedscope).
      args: [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), '--enable-source-maps', 'dist/main.js'],
      port,
      env: {
        AUTH_SECRET: TEST_SECRET,
        DATABASE_URL: testDatabase.config.dialect === 'sqlite' ? `sqlite:${testDatabase.config.file}` : testDatabase.config.connectionString,
        DATA_DIR: dataDir,
        BASE_URL: `http://127.0.0.1:${port}`,
        TRUST_PROXY: '1',
      },
      readyPath: '/readyz',
    });
    const base = server.baseUrl;
    const claimLoad = (connections: number, slice: Person[]) =>
      load({
        url: `${base}/api/v1/invite/claim`,
        method: 'POST',
        body: JSON.stringify({ token }),
        headers: { origin: base },
        connections,
        seconds,
        people: slice,
        classify: classifyClaim,
      });

    // Warm-up: code paths compiled, connections open.
    await load({ url: `${base}/healthz`, connections: 16, seconds: 1 });
    await load({ url: `${base}/api/v1/me`, headers: { cookie: me }, connections: 16, seconds: 1 });

    const plain = await load({ url: `${base}/healthz`, connections: 64, seconds });
    const authenticated = await load({ url: `${base}/api/v1/me`, headers: { cookie: me }, connections: 16, seconds });
    const claim16 = await claimLoad(16, people.slice(0, perRun));
    const claim64 = await claimLoad(64, people.slice(perRun, 2 * perRun));
    const beside = await claimsBesideSignIns(base, { people: people.slice(2 * perRun), signers, token, seconds, rate: 20 });
    const refresh = await refreshLoad(base, { me, teamId, product, owners: machineOwners, seconds });
    return { plain, authenticated, claim16, claim64, beside, refresh };
  } finally {
    await server?.stop();
    await testDatabase.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Activation refreshes at 16 connections: 200 machines (one license and one app-password
 * activation each), each from its own address. Every request presents the machine's first refresh
 * secret: after the first refresh that is "the previous secret", which a product retrying a lost
 * answer sends, and which gets the same full refresh (locks, checks, a signed ticket).
 */
async function refreshLoad(
  base: string,
  {
    me,
    teamId,
    product,
    owners,
    seconds,
  }: { me: string; teamId: string; product: { id: string; code: string }; owners: Array<{ email: string; cookie: string }>; seconds: number },
) {
  const json = { 'content-type': 'application/json', origin: base };
  const assigned = await fetch(`${base}/api/v1/teams/${teamId}/assignments`, {
    method: 'POST',
    headers: { ...json, cookie: me },
    body: JSON.stringify({ productId: product.id, emails: owners.map((owner) => owner.email) }),
  });
  if (assigned.status !== 200) throw new Error(`assign failed: ${await assigned.text()}`);
  const machines: Array<{ refreshToken: string; address: string }> = [];
  for (const [index, owner] of owners.entries()) {
    const address = `10.7.${index >> 8}.${index & 255}`;
    const created = await fetch(`${base}/api/v1/me/app-passwords`, {
      method: 'POST',
      headers: { ...json, cookie: owner.cookie, 'x-forwarded-for': address },
      body: JSON.stringify({ name: 'bench', currentPassword: PASSWORD }),
    });
    const { password } = (await created.json()) as { password: string };
    const activated = await fetch(`${base}/api/v1/activations`, {
      method: 'POST',
      headers: { ...json, 'x-forwarded-for': address },
      body: JSON.stringify({
        productCode: product.code,
        machineId: `bench-${index}`,
        credentials: { method: 'app_password', email: owner.email, appPassword: password },
      }),
    });
    const body = (await activated.json()) as { refreshToken?: string };
    if (activated.status !== 201 || !body.refreshToken) throw new Error(`activation failed: ${JSON.stringify(body)}`);
    machines.push({ refreshToken: body.refreshToken, address });
  }
  let next = 0;
  const outcomes: Record<string, number> = {};
  const result = await autocannon({
    url: `${base}/api/v1/activations/refresh`,
    connections: 16,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request: autocannon.Request) => {
          const machine = machines[next++ % machines.length]!;
          return {
            ...request,
            headers: { 'content-type': 'application/json', 'x-forwarded-for': machine.address },
            body: JSON.stringify({ refreshToken: machine.refreshToken }),
          };
        },
        onResponse: (status: number, body: string) => {
          const outcome = status === 200 ? 'ok' : String(safeJson(body)?.code ?? status);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        },
      },
    ],
  });
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx, outcomes };
}

const cell = (result: LoadResult | undefined) =>
  result ? `${result.rps.toLocaleString('en')}/s, p99 ${result.p99} ms${result.errors ? `, ${result.errors} errors` : ''}` : '';
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : '');

/** The comparison the performance issue asks for, printed as one table plus the goals' ratios. */
export async function benchHttp({ seconds }: { seconds: number }) {
  const bare = await benchBareFastify({ seconds });
  const peer = await benchHttpPeer({ seconds });
  const allot = { sqlite: await benchHttpAllot('sqlite', { seconds }), postgres: await benchHttpAllot('postgres', { seconds }) };
  const table = [
    {
      measure: 'plain route (/healthz), 64 connections',
      'Allot SQLite': cell(allot.sqlite.plain),
      'Allot PostgreSQL': cell(allot.postgres.plain),
      'Better Auth org plugin (SQLite)': cell(peer.plain),
      'bare Fastify': cell(bare),
    },
    {
      measure: 'authenticated no-op (/api/v1/me; peer: get-session), 16 connections',
      'Allot SQLite': cell(allot.sqlite.authenticated),
      'Allot PostgreSQL': cell(allot.postgres.authenticated),
      'Better Auth org plugin (SQLite)': cell(peer.authenticated),
      'bare Fastify': '',
    },
    {
      measure: 'claim (peer: accept-invitation), 16 connections',
      'Allot SQLite': cell(allot.sqlite.claim16),
      'Allot PostgreSQL': cell(allot.postgres.claim16),
      'Better Auth org plugin (SQLite)': cell(peer.accept16),
      'bare Fastify': '',
    },
    {
      measure: 'claim (peer: accept-invitation), 64 connections',
      'Allot SQLite': cell(allot.sqlite.claim64),
      'Allot PostgreSQL': cell(allot.postgres.claim64),
      'Better Auth org plugin (SQLite)': cell(peer.accept64),
      'bare Fastify': '',
    },
    {
      measure: 'activation refresh, 16 connections',
      'Allot SQLite': cell(allot.sqlite.refresh),
      'Allot PostgreSQL': cell(allot.postgres.refresh),
      'Better Auth org plugin (SQLite)': '',
      'bare Fastify': '',
    },
    {
      measure: 'claim, 64 connections, beside 20 sign-ins/s',
      'Allot SQLite': cell(allot.sqlite.beside.claims),
      'Allot PostgreSQL': cell(allot.postgres.beside.claims),
      'Better Auth org plugin (SQLite)': '',
      'bare Fastify': '',
    },
  ];
  console.table(table);
  const goals = (['sqlite', 'postgres'] as const).map((dialect) => {
    const run = allot[dialect];
    return {
      dialect,
      'claim vs peer @16': ratio(run.claim16.rps, peer.accept16.rps),
      'claim vs peer @64': ratio(run.claim64.rps, peer.accept64.rps),
      'claim / auth no-op': ratio(run.claim16.rps, run.authenticated.rps),
      'auth no-op / plain': ratio(run.authenticated.rps, run.plain.rps),
      'plain / bare': ratio(run.plain.rps, bare.rps),
      'refresh / auth no-op': ratio(run.refresh.rps, run.authenticated.rps),
      'claim p99 @64 (ms)': run.claim64.p99,
      'p99 beside sign-ins / alone': ratio(run.beside.claims.p99, run.claim64.p99),
      'sign-ins/s served': run.beside.signIns.rps,
    };
  });
  console.table(goals);
  console.log(
    'outcomes:',
    JSON.stringify({
      sqlite: [allot.sqlite.claim16.outcomes, allot.sqlite.claim64.outcomes, allot.sqlite.refresh.outcomes],
      postgres: [allot.postgres.claim16.outcomes, allot.postgres.claim64.outcomes, allot.postgres.refresh.outcomes],
      peer: [peer.accept16.outcomes, peer.accept64.outcomes],
    }),
  );
  return { table, goals };
}
