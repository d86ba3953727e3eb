/**
 * The invitation link someone opened while signed out. The `redirect` parameter is what brings
 * them back after signing in or verifying their address; this is the fallback for when that
 * chain breaks (the verification link opened on another device, say): the account and license
 * pages offer to continue.
 */
const PENDING_INVITE_KEY = 'allot.pendingInvite';

export function readPendingInvite(): string | null {
  try {
    return window.localStorage.getItem(PENDING_INVITE_KEY);
  } catch {
    return null;
  }
}

export function storePendingInvite(token: string): void {
  try {
    window.localStorage.setItem(PENDING_INVITE_KEY, token);
  } catch {
    // Private mode without storage: the redirect parameter still brings them back.
  }
}

export function clearPendingInvite(): void {
  try {
    window.localStorage.removeItem(PENDING_INVITE_KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}

/** The claim page of an invitation token. */
export function invitePath(token: string): string {
  return `/invite/${encodeURIComponent(token)}`;
}
