import type { Clock } from '../lib/clock.js';
import type { Executor } from '../db/database.js';
import type { rateLimitsRepository } from './rate-limits.repository.js';

export type RateLimitRule = { limit: number; windowMs: number };
/** `remaining` and `resetSeconds` feed the RateLimit-* headers of API token requests. */
export type RateLimitVerdict = ({ allowed: true } | { allowed: false; retryAfterSeconds: number }) & { remaining: number; resetSeconds: number };

const DAY_MS = 24 * 60 * 60 * 1000;

export function createRateLimiter(deps: { db: Executor; repo: typeof rateLimitsRepository; clock: Clock }) {
  let hitsSincePrune = 0;
  return {
    async hit(key: string, rule: RateLimitRule): Promise<RateLimitVerdict> {
      const nowMs = deps.clock.now().getTime();
      const { hits, windowStartedAtMs } = await deps.repo.hit(deps.db, { key, nowMs, windowMs: rule.windowMs });
      // Old windows are dead weight; sweep now and then rather than on a timer of its own.
      if (++hitsSincePrune >= 1000) {
        hitsSincePrune = 0;
        await deps.repo.deleteOlderThan(deps.db, nowMs - DAY_MS);
      }
      const resetSeconds = Math.max(1, Math.ceil((windowStartedAtMs + rule.windowMs - nowMs) / 1000));
      const remaining = Math.max(0, rule.limit - hits);
      if (hits <= rule.limit) return { allowed: true, remaining, resetSeconds };
      return { allowed: false, retryAfterSeconds: resetSeconds, remaining, resetSeconds };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

type AuthLimitInput = { ip: string; email: string | undefined; newEmail: string | undefined };
/** One limit of an endpoint; `key` answers null when the limit does not apply to this request. */
export type AuthRateLimit = RateLimitRule & { key(input: AuthLimitInput): string | null };

const perIp = (name: string, limit: number, windowMs: number): AuthRateLimit => ({ limit, windowMs, key: ({ ip }) => `${name}:ip:${ip}` });
const perEmail = (name: string, limit: number, windowMs: number, field: 'email' | 'newEmail' = 'email'): AuthRateLimit => ({
  limit,
  windowMs,
  key: (input) => (input[field] ? `${name}:${field}:${input[field]}` : null),
});

/**
 * Limits in front of Better Auth's endpoints, by canonical path (auth-request.ts). Every limit of
 * an endpoint counts each request. Password guessing is bounded per client and address, per
 * address from any number of clients, and per client across addresses; endpoints that send mail
 * are bounded per recipient, so nobody can be mail-bombed through them.
 */
export const authRateLimits: Record<string, AuthRateLimit[]> = {
  '/sign-in/email': [
    { limit: 5, windowMs: MINUTE_MS, key: ({ ip, email }) => (email ? `sign-in:${ip}:${email}` : null) },
    perEmail('sign-in', 30, MINUTE_MS),
    perIp('sign-in', 300, MINUTE_MS),
  ],
  // Each of these sends mail to the address in the body.
  '/request-password-reset': [perEmail('password-reset', 5, HOUR_MS), perIp('password-reset', 50, HOUR_MS)],
  '/send-verification-email': [perEmail('verification-email', 5, HOUR_MS), perIp('verification-email', 50, HOUR_MS)],
  // A sign-up with a taken address mails its owner a notice.
  '/sign-up/email': [perIp('sign-up', 20, HOUR_MS), perEmail('sign-up', 5, HOUR_MS)],
  '/change-email': [perEmail('change-email', 5, HOUR_MS, 'newEmail'), perIp('change-email', 20, HOUR_MS)],
  // Guessing the current password with a stolen session, or a second factor.
  '/change-password': [perIp('change-password', 10, MINUTE_MS)],
  '/verify-password': [perIp('verify-password', 10, MINUTE_MS)],
  '/two-factor/verify-totp': [perIp('two-factor', 30, MINUTE_MS)],
  '/two-factor/verify-otp': [perIp('two-factor', 30, MINUTE_MS)],
  '/two-factor/verify-backup-code': [perIp('two-factor', 30, MINUTE_MS)],
  '/two-factor/enable': [perIp('two-factor-password', 10, MINUTE_MS)],
  '/two-factor/disable': [perIp('two-factor-password', 10, MINUTE_MS)],
  '/two-factor/get-totp-uri': [perIp('two-factor-password', 10, MINUTE_MS)],
  '/two-factor/generate-backup-codes': [perIp('two-factor-password', 10, MINUTE_MS)],
};
