import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): the secret is `whsec_` + base64 of random
 * bytes; each delivery is signed as HMAC-SHA256(secret bytes, "<webhook-id>.<webhook-timestamp>.<body>")
 * in base64, sent as `webhook-signature: v1,<signature>`, one per live secret, space-separated.
 * Consumers verify with the `standardwebhooks` library of their language.
 */
const SECRET_PREFIX = 'whsec_';

export function createWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

export function signWebhook({ id, timestampSeconds, body, secrets }: { id: string; timestampSeconds: number; body: string; secrets: string[] }): string {
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
      return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
    })
    .join(' ');
}

/** A message id that sorts by creation time (12 hex digits of milliseconds, then 80 random bits), so lists page by id. */
export function newMessageId(now: Date): string {
  return `msg_${now.getTime().toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;
}
