import os from 'node:os';
import { benchSessions } from './session.bench.js';

/**
 * `npm run bench`: prints figures, asserts nothing. BENCH_SECONDS sets the length of each HTTP
 * load (default 5). docs/PERFORMANCE.md records the figures with the machine they came from.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
console.log(`Allot benchmarks — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);

for (const dialect of ['sqlite', 'postgres'] as const) {
  const rows = await benchSessions(dialect, seconds);
  console.table(rows);
}
process.exit(0);
