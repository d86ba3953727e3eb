import { benchHttpAllot } from './bench/http.bench.js';
const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const t = Date.now();
const r = await benchHttpAllot(dialect, { seconds: Number(process.env.BENCH_SECONDS ?? 5) });
for (const [k, v] of Object.entries(r)) console.log(k, JSON.stringify(v));
console.log('took', (Date.now() - t) / 1000, 's');
process.exit(0);
