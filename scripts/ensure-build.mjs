// Builds what is missing or stale, so `npm start` works straight after `npm ci`.
// A stamp file records a fingerprint of the sources; nothing is rebuilt when it matches.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const serverOnly = process.argv.includes('--server-only');
// `npm run check` type-checks against the contract's declarations, so it builds only that.
const contractOnly = process.argv.includes('--contract-only');

function fingerprint(entries) {
  const hash = createHash('sha256');
  const walk = (entry) => {
    const full = path.join(root, entry);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(full).sort()) if (child !== 'dist' && child !== 'node_modules') walk(path.join(entry, child));
    } else {
      hash.update(entry).update(String(stat.size)).update(String(stat.mtimeMs));
    }
  };
  entries.forEach(walk);
  return hash.digest('hex');
}

function ensure({ name, inputs, output, command }) {
  const stampFile = path.join(root, output, '.build-stamp');
  const expected = fingerprint(inputs);
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === expected) return;
  process.stderr.write(`Building ${name}…\n`);
  execSync(command, { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
  fs.writeFileSync(stampFile, expected);
}

// The contract first: the server, the web UI and the client SDK all import it.
ensure({
  name: '@allot/contract',
  inputs: ['packages/contract', 'tsconfig.json'],
  output: 'packages/contract/dist',
  command: 'npx tsc -p packages/contract/tsconfig.json',
});
if (contractOnly) process.exit(0);
ensure({
  name: 'the server',
  inputs: ['src', 'packages/contract/src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
  output: 'dist',
  command: 'npx tsc -p tsconfig.build.json',
});
// The client SDK, then the demo product that uses it (through the workspace link to packages/client).
ensure({
  name: '@allot/client',
  inputs: ['packages/client', 'packages/contract/src', 'tsconfig.json'],
  output: 'packages/client/dist',
  command: 'npx tsc -p packages/client/tsconfig.json',
});
ensure({
  name: 'allot-demo-product',
  inputs: ['packages/demo-product', 'packages/client/src', 'tsconfig.json'],
  output: 'packages/demo-product/dist',
  command: 'npx tsc -p packages/demo-product/tsconfig.json',
});
if (!serverOnly) {
  ensure({
    name: 'the web UI',
    inputs: ['web', 'packages/contract/src', 'package-lock.json'],
    output: 'web/dist',
    command: 'npx vite build --config web/vite.config.ts --logLevel warn',
  });
}
