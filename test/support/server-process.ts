import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'vitest';
import type { TestDatabase } from './databases.js';
import { freePort, TEST_SECRET } from './test-server.js';

/**
 * The real server process, started the way an operator starts it (`node --import tsx src/main.ts`),
 * configured only through its environment.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const tempDirs: string[] = [];

/** Removes every folder tempDir() made; call it from afterAll. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export type LogLine = Record<string, unknown> & { msg?: string };

export type ServerProcess = {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  stdout(): string;
  stderr(): string;
  logLines(): LogLine[];
  /** Resolves with the first JSON log line (already printed or still to come) that matches. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves once /healthz answers 200; fails early if the process dies first. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code; fails if the process has not exited within timeoutMs. */
  waitForExit(timeoutMs: number): Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
};

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-lifecycle-'));
  tempDirs.push(dir);
  return dir;
}

/** Only what the process needs: nothing from the test runner's environment leaks into its config. */
function baseEnvironment(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
  return Object.fromEntries(keep.flatMap((key) => (process.env[key] ? [[key, process.env[key]!]] : [])));
}

/**
 * Start-up is CPU-bound (loading and compiling the module graph takes seconds), so no more
 * processes start at once than there are CPUs; more would only make each one slower.
 */
const startSlots = { free: Math.max(os.availableParallelism(), 1), waiting: [] as Array<() => void> };
async function takeStartSlot(): Promise<() => void> {
  if (startSlots.free > 0) startSlots.free -= 1;
  else await new Promise<void>((resolve) => startSlots.waiting.push(resolve));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = startSlots.waiting.shift();
    if (next) next();
    else startSlots.free += 1;
  };
}

/**
 * Starts `node --import tsx src/main.ts`; the process is killed when the test ends, whatever its
 * outcome. Resolves once it is spawned (possibly after waiting for a start slot).
 */
export async function startProcess(context: TestContext, env: Record<string, string>): Promise<ServerProcess> {
  const port = Number(env.PORT);
  const releaseSlot = await takeStartSlot();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { ...baseEnvironment(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  context.onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('"msg":"Allot is running"')) releaseSlot();
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      releaseSlot();
      notify();
      resolve(code);
    });
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const describeOutput = () => `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;

  const logLines = (): LogLine[] =>
    stdout.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });

  const waitForExit = async (timeoutMs: number): Promise<number | null> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`process still running after ${timeoutMs} ms${describeOutput()}`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const baseUrl = `http://localhost:${port}`;
  return {
    child,
    port,
    baseUrl,
    stdout: () => stdout,
    stderr: () => stderr,
    logLines,
    waitForLog(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logLines().find(predicate);
          if (found) return finish(() => resolve(found));
          if (hasExited()) return finish(() => reject(new Error(`process exited (${child.exitCode}) before the expected log line${describeOutput()}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no matching log line within ${timeoutMs} ms${describeOutput()}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async waitUntilHealthy(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (hasExited()) throw new Error(`process exited (${child.exitCode}) before becoming healthy${describeOutput()}`);
        try {
          const response = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (response.status === 200) return;
        } catch {
          // Not listening yet.
        }
        if (Date.now() > deadline) throw new Error(`/healthz did not answer within ${timeoutMs} ms${describeOutput()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    waitForExit,
    stop() {
      child.kill('SIGTERM');
      return waitForExit(10_000);
    },
  };
}

export async function serverEnvironment(databaseUrl: string): Promise<Record<string, string>> {
  return {
    NODE_ENV: 'test',
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    AUTH_SECRET: TEST_SECRET,
    DATABASE_URL: databaseUrl,
    DATA_DIR: tempDir(),
    LOG_LEVEL: 'info',
  };
}

export function databaseUrlOf(testDatabase: TestDatabase): string {
  return testDatabase.config.dialect === 'sqlite' ? `sqlite:${testDatabase.config.file}` : testDatabase.config.connectionString;
}
