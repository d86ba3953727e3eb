import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { databaseUrlOf, removeTempDirs, serverEnvironment, startProcess, tempDir } from '../support/server-process.js';
import { freePort } from '../support/test-server.js';

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

afterAll(removeTempDirs);

// Each test starts its own process on its own port and database, so they run side by side:
// most of a test's time is the process loading its modules.
describe.concurrent('the server process', { timeout: 60_000 }, () => {
  describe.each(DIALECTS)('on %s', (dialect) => {
    it('graceful shutdown completes an in-flight request', async (context) => {
      const testDatabase = await createTestDatabase(dialect);
      context.onTestFinished(() => testDatabase.drop());
      // Debug level logs "incoming request" when the headers are in, which this test waits for.
      const env = { ...(await serverEnvironment(databaseUrlOf(testDatabase))), LOG_LEVEL: 'debug' };
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
      let exitedBeforeAnswer = false;
      server.child.once('exit', () => (exitedBeforeAnswer = true));
      socket.write(body.slice(firstPart.length));

      const answered = await response;
      expect(exitedBeforeAnswer, 'the process waits for the in-flight request').toBe(false);
      expect(answered.status, answered.body).toBe(200);
      expect(JSON.parse(answered.body)).toEqual({ valid: false, setupRequired: true });

      expect(await tryNewRequest(server.port), 'no new request is served after SIGTERM').toBe('refused');

      expect(await server.waitForExit(10_000)).toBe(0);
      expect(server.logLines().some((line) => line.msg === 'shutdown complete')).toBe(true);
    });
  });

  describe('first start and embedded mode (sqlite only)', () => {
    it('prints a one-time setup link on first start as a plain line, and keeps it out of the JSON log', async (context) => {
      const env = await serverEnvironment(`sqlite:${path.join(tempDir(), 'allot.db')}`);
      const server = await startProcess(context, env);
      await server.waitForLog((l) => l.msg === 'Allot is running', 15_000);
      await server.waitUntilHealthy();
      const printed = new RegExp(`^    (http://localhost:${env.PORT}/setup\\?token=[A-Za-z0-9_-]{43})$`, 'm').exec(server.stderr());
      expect(printed, `a line holding only the link on standard error:\n${server.stderr()}`).not.toBeNull();
      const setupUrl = printed![1]!;
      const token = new URL(setupUrl).searchParams.get('token')!;
      expect(server.stdout(), 'the log tells where to look, not the token').toContain('the setup link is printed on standard error');
      expect(server.stdout()).not.toContain(token);

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

    it('refuses a second server on the same embedded database, naming the first', async (context) => {
      const env = await serverEnvironment(`sqlite:${path.join(tempDir(), 'allot.db')}`);
      const first = await startProcess(context, env);
      await first.waitUntilHealthy();
      const second = await startProcess(context, { ...env, PORT: String(await freePort()) });
      expect(await second.waitForExit(15_000)).toBe(1);
      expect(second.stdout() + second.stderr()).toContain(`Another Allot server (process ${first.child.pid})`);
      expect((await fetch(`${first.baseUrl}/readyz`)).status, 'the first one is untouched').toBe(200);
      expect(await first.stop()).toBe(0);
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
