import http from 'node:http';
import https from 'node:https';
import type { DeliveryAttempt } from './webhooks.repository.js';
import { assertDeliverableUrl, guardedLookup, type UrlPolicy } from './webhook-urls.js';

const TIMEOUT_MS = 10_000;
const EXCERPT_BYTES = 1024;

/**
 * One POST of a signed event. Redirects are not followed (a 3xx is a failure: the consumer must
 * register its final URL), the connection goes only to an address the policy allows, and the
 * answer is read up to its first kilobyte for the delivery log.
 */
export async function sendWebhook(
  target: { url: string; headers: Record<string, string>; body: string },
  policy: UrlPolicy,
  now: () => Date,
): Promise<DeliveryAttempt> {
  const attemptedAt = now();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = await assertDeliverableUrl(target.url, policy);
  } catch (error) {
    return { attemptedAt, statusCode: null, durationMs: elapsed(), responseExcerpt: null, error: (error as Error).message };
  }
  return new Promise((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...target.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(target.body), 'user-agent': 'Allot-Webhooks/1' },
        lookup: guardedLookup(policy),
        timeout: TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
          resolve({ attemptedAt, statusCode: response.statusCode ?? null, durationMs: elapsed(), responseExcerpt: excerpt || null, error: null });
        });
        response.on('error', (error) =>
          resolve({ attemptedAt, statusCode: response.statusCode ?? null, durationMs: elapsed(), responseExcerpt: null, error: error.message }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', (error) => resolve({ attemptedAt, statusCode: null, durationMs: elapsed(), responseExcerpt: null, error: error.message }));
    request.end(target.body);
  });
}

export const isSuccess = (attempt: DeliveryAttempt) => attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
