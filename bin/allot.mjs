#!/usr/bin/env node
// `allot` / `npx allot`: builds the server on first use, then runs the compiled CLI.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, ['scripts/ensure-build.mjs', '--server-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
await import('../dist/cli/bin.js');
