import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. Anything that grants access is made with this and stored only as hashToken(). */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 is enough here: the input is 256 random bits, so there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
