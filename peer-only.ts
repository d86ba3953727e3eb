import { benchHttpPeer, benchBareFastify } from './bench/http.bench.js';
console.log(await benchBareFastify({ seconds: 3 }));
console.log(JSON.stringify(await benchHttpPeer({ seconds: 3 }), null, 1));
process.exit(0);
