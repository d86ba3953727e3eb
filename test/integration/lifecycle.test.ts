import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { freePort, TEST_SECRET } from '../support/test-server.js';

/**
 * The real server process, started the way an operator starts it (`node --import tsx src/main.ts`),
 * configured only through its environment.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const tempDirs: string[] = [];

type LogLine = Record<string, unknown> & { msg?: string };

type ServerProcess = {
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

function tempDir(): string {
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
async function startProcess(context: TestContext, env: Record<string, string>): Promise<ServerProcess> {
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

async function serverEnvironment(databaseUrl: string): Promise<Record<string, string>> {
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

function databaseUrlOf(testDatabase: TestDatabase): string {
  return testDatabase.config.dialect === 'sqlite' ? `sqlite:${testDatabase.config.file}` : testDatabase.config.connectionString;
}

/** One raw HTTP/1.1 exchange on an open socket: resolves when the full response (by Content-Length) has arrived. */
function readResponse(socket: net.Socket, timeoutMs = 10_000): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => done(new Error(`no complete response within ${timeoutMs} ms; got: ${buffer.toString('utf8')}`)), timeoutMs);
    const done = (error: Error | null, value?: { status: number; headers: Record<string, string>; body: string }) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (error) reject(error);
      else resolve(value!);
    };
    const tryParse = () => {
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [statusLine, ...headerLines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      const length = Number(headers['content-length']);
      if (!Number.isFinite(length)) return done(new Error(`response without Content-Length: ${statusLine}`));
      const body = buffer.subarray(end + 4);
      if (body.length < length) return;
      done(null, { status: Number(statusLine!.split(' ')[1]), headers, body: body.subarray(0, length).toString('utf8') });
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      tryParse();
    };
    const onClose = () => done(new Error(`connection closed before a complete response; got: ${buffer.toString('utf8')}`));
    const onError = (error: Error) => done(error);
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
  });
}

/** 'refused' when nothing accepts the connection; otherwise what an HTTP request on it produced. */
async function tryNewRequest(port: number): Promise<'refused' | 'closed' | number> {
  const socket = net.connect(port, '127.0.0.1');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') return 'refused';
    throw error;
  }
  socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  try {
    return (await readResponse(socket, 5_000)).status;
  } catch {
    return 'closed';
  } finally {
    socket.destroy();
  }
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

// Each test starts its own process on its own port and database, so they run side by side:
// most of a test's time is the process loading its modules.
describe.concurrent('the server process', { timeout: 60_000 }, () => {
  describe.each(DIALECTS)('on %s', (dialect) => {
    it('graceful shutdown completes an in-flight request', async (context) => {
      const testDatabase = await createTestDatabase(dialect);
      context.onTestFinished(() => testDatabase.drop());
      const env = await serverEnvironment(databaseUrlOf(testDatabase));
      const server = await startProcess(context, env);
      await server.waitUntilHealthy();

      const body = JSON.stringify({ token: 'not-a-setup-token-but-long-enough' });
      const firstPart = body.slice(0, 10);
      const socket = net.connect(server.port, '127.0.0.1');
      context.onTestFinished(() => void socket.destroy());
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      socket.write(
        [
          'POST /api/v1/setup/check HTTP/1.1',
          `Host: 127.0.0.1:${server.port}`,
          'Content-Type: application/json',
          `Origin: ${server.baseUrl}`,
          `Content-Length: ${Buffer.byteLength(body)}`,
          '',
          '',
        ].join('\r\n') + firstPart,
      );
      const response = readResponse(socket);
      // The server has the headers and is waiting for the rest of the body when the signal comes.
      await server.waitForLog((line) => line.msg === 'incoming request' && (line.req as { url?: string } | undefined)?.url === '/api/v1/setup/check');

      server.child.kill('SIGTERM');
      await server.waitForLog((line) => line.msg === 'shutting down: finishing in-flight requests');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.child.exitCode, 'the process waits for the in-flight request').toBeNull();
      socket.write(body.slice(firstPart.length));

      const answered = await response;
      expect(answered.status, answered.body).toBe(200);
      expect(JSON.parse(answered.body)).toEqual({ valid: false, setupRequired: true });

      expect(await tryNewRequest(server.port), 'no new request is served after SIGTERM').toBe('refused');

      expect(await server.waitForExit(10_000)).toBe(0);
      expect(server.logLines().some((line) => line.msg === 'shutdown complete')).toBe(true);
    });
  });

  describe('first start and embedded mode (sqlite only)', () => {
    it('prints a one-time setup link on first start', async (context) => {
      const env = await serverEnvironment(`sqlite:${path.join(tempDir(), 'allot.db')}`);
      const server = await startProcess(context, env);
      const line = await server.waitForLog((l) => typeof l.setupUrl === 'string', 15_000);
      const setupUrl = String(line.setupUrl);
      expect(setupUrl).toMatch(new RegExp(`^http://localhost:${env.PORT}/setup\\?token=[A-Za-z0-9_-]{43}$`));
      await server.waitUntilHealthy();

      const token = new URL(setupUrl).searchParams.get('token')!;
      const check = async (candidate: string) => {
        const response = await fetch(`http://127.0.0.1:${env.PORT}/api/v1/setup/check`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: server.baseUrl },
          body: JSON.stringify({ token: candidate }),
        });
        return { status: response.status, body: await response.json() };
      };
      expect(await check(token)).toEqual({ status: 200, body: { valid: true, setupRequired: true } });
      const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(await check(forged)).toEqual({ status: 200, body: { valid: false, setupRequired: true } });

      expect(await server.stop()).toBe(0);
    });

    it('generates and keeps an auth secret in the data folder in embedded mode', async (context) => {
      const dataDir = tempDir();
      const env: Record<string, string> = { NODE_ENV: 'test', PORT: String(await freePort()), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
      const secretFile = path.join(dataDir, 'auth-secret');

      const first = await startProcess(context, env);
      await first.waitUntilHealthy();
      expect(fs.existsSync(secretFile)).toBe(true);
      expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
      const secret = fs.readFileSync(secretFile, 'utf8').trim();
      expect(secret.length).toBeGreaterThanOrEqual(48);
      expect(fs.existsSync(path.join(dataDir, 'allot.db'))).toBe(true);
      expect(await first.stop()).toBe(0);

      const second = await startProcess(context, env);
      await second.waitUntilHealthy();
      expect(fs.readFileSync(secretFile, 'utf8').trim()).toBe(secret);
      expect(await second.stop()).toBe(0);
    });
  });

  describe('start-up failures', () => {
    it('refuses to start with a clear message when the database is unreachable', async (context) => {
      const server = await startProcess(context, await serverEnvironment('postgres://postgres@127.0.0.1:1/nothing'));
      expect(await server.waitForExit(15_000)).toBe(1);
      expect(server.stdout() + server.stderr()).toContain('Cannot reach the postgres database');
    });

    it('stops at start-up naming a wrong variable', async (context) => {
      const env = await serverEnvironment(`sqlite:${path.join(tempDir(), 'allot.db')}`);
      const server = await startProcess(context, { ...env, PORT: 'notaport' });
      expect(await server.waitForExit(15_000)).toBe(1);
      expect(server.stderr()).toContain('PORT');
    });

    it('requires AUTH_SECRET in production', async (context) => {
      const { AUTH_SECRET: _omitted, ...env } = await serverEnvironment(`sqlite:${path.join(tempDir(), 'allot.db')}`);
      const server = await startProcess(context, { ...env, NODE_ENV: 'production' });
      expect(await server.waitForExit(15_000)).toBe(1);
      expect(server.stderr()).toContain('AUTH_SECRET');
      expect(fs.existsSync(path.join(env.DATA_DIR!, 'auth-secret')), 'no secret is generated in production').toBe(false);
    });
  });
});
