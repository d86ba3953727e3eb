import os from 'node:os';
import { benchClaims } from './claims.bench.js';
import { benchHttp } from './http.bench.js';
import { benchLicenseList } from './licenses.bench.js';
import { benchSessions } from './session.bench.js';
import { benchTickets } from './tickets.bench.js';

/**
 * `npm run bench`: prints figures, asserts nothing. BENCH_SECONDS sets the length of each HTTP
 * load (default 5). BENCH_ONLY picks parts (comma list: http, sessions, licenses, claims, tickets; default all).
 * Part `http` is the performance goal table: Allot in its own process beside Better Auth's
 * organization plugin and a bare Fastify route (bench/peers), the load generator in this process.
 * docs/PERFORMANCE.md records the figures with the machine they came from.
 */
const PARTS = ['http', 'sessions', 'licenses', 'claims', 'tickets'] as const;
type Part = (typeof PARTS)[number];
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((part) => part.trim())
  .filter(Boolean);
const unknown = only.filter((part) => !(PARTS as readonly string[]).includes(part));
if (unknown.length) {
  console.error(`BENCH_ONLY: unknown part ${unknown.join(', ')} (known: ${PARTS.join(', ')})`);
  process.exit(2);
}
const runs = (part: Part) => only.length === 0 || only.includes(part);

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
console.log(`Allot benchmarks — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);

if (runs('http')) {
  await benchHttp({ seconds });
}
if (runs('sessions')) {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const rows = await benchSessions(dialect, seconds);
    console.table(rows);
  }
}
if (runs('licenses')) {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const rows = await benchLicenseList(dialect);
    console.table(rows);
  }
}
if (runs('claims')) {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    console.table(await benchClaims(dialect));
  }
}
if (runs('tickets')) {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    console.table(await benchTickets(dialect, { seconds }));
  }
}
process.exit(0);
