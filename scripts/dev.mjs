// `npm run dev`: the API with reload (tsx watch) on :3000 and Vite on :5173, proxying to it.
import { spawn } from 'node:child_process';

const env = { ...process.env, BASE_URL: process.env.BASE_URL ?? 'http://localhost:5173' };
const children = [
  // The contract is imported as a built package by the server and the UI: keep it built.
  spawn('npx', ['tsc', '--watch', '--preserveWatchOutput', '-p', 'packages/contract/tsconfig.json'], { stdio: 'inherit', env }),
  spawn('npx', ['tsx', 'watch', 'src/main.ts'], { stdio: 'inherit', env }),
  spawn('npx', ['vite', '--config', 'web/vite.config.ts'], { stdio: 'inherit', env }),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
children.forEach((child) =>
  child.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  }),
);
