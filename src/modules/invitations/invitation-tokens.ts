import { createHmac, randomBytes } from 'node:crypto';

/** A fresh 128-bit nonce; a new one replaces the link (regenerate). */
export const createNonce = (): string => randomBytes(16).toString('base64url');

/**
 * The link's token: 256 bits of HMAC over the invitation and its nonce. The database keeps only
 * the nonce and the token's SHA-256, so neither a copy of it nor a log line yields a working link,
 * yet an admin can copy the link again at any time (the server holds the secret).
 */
export function deriveInvitationToken(secret: string, invitationId: string, nonce: string): string {
  return createHmac('sha256', secret).update(`invitation:${invitationId}:${nonce}`).digest('base64url');
}

/** Tokens are 43 base64url characters; anything else cannot be ours and needs no database look-up. */
export const looksLikeInvitationToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
