import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';

export type ReceivedWebhook = { headers: Record<string, string>; body: string; status: number };

/**
 * A real HTTP endpoint for webhook tests: records every request, answers with the statuses it is
 * told (then 200), and waits for what a test expects.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const planned: number[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = planned.shift() ?? 200;
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `failing on purpose (${status})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** The next answers, in order; 200 after them. */
    failNext(...statuses: number[]) {
      planned.push(...statuses);
    },
    async waitFor(match: (webhook: ReceivedWebhook) => boolean, count = 1): Promise<ReceivedWebhook[]> {
      await expect.poll(() => received.filter(match).length, { timeout: 15_000, interval: 25 }).toBeGreaterThanOrEqual(count);
      return received.filter(match);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
