import type { Clock } from '../lib/clock.js';
import type { Executor } from '../db/database.js';
import type { rateLimitsRepository } from './rate-limits.repository.js';

export type RateLimitRule = { limit: number; windowMs: number };
export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

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
      if (hits <= rule.limit) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStartedAtMs + rule.windowMs - nowMs) / 1000)) };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Limits in front of Better Auth's endpoints. `key` gets the client IP (as the socket, or a
 * trusted proxy, reports it) and the normalized email from the body; null means "no limit for
 * this request" (for example a body without an email, which Better Auth rejects anyway).
 */
export const authRateLimits: Record<string, RateLimitRule & { key(input: { ip: string; email: string | undefined }): string | null }> = {
  '/sign-in/email': { limit: 5, windowMs: MINUTE_MS, key: ({ ip, email }) => (email ? `sign-in:${ip}:${email}` : null) },
  '/request-password-reset': { limit: 5, windowMs: HOUR_MS, key: ({ email }) => (email ? `password-reset:${email}` : null) },
  '/send-verification-email': { limit: 5, windowMs: HOUR_MS, key: ({ email }) => (email ? `verification-email:${email}` : null) },
  '/sign-up/email': { limit: 20, windowMs: HOUR_MS, key: ({ ip }) => `sign-up:${ip}` },
};
