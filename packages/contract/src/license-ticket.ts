/**
 * What a license ticket says: the payload of the compact JWS the server signs and products verify
 * offline (@allot/client). A public contract: add fields; never rename or remove one.
 */
export type LicenseTicketClaims = {
  /** The server that issued it (its public URL). */
  iss: string;
  /** The license id. */
  sub: string;
  /** The activation (machine seat) id. */
  jti: string;
  kind: 'online' | 'offline';
  product: { code: string; name: string };
  licensee: { id: string; email: string; name: string };
  organization: { id: string; name: string };
  license: { id: string; validUntil: string };
  machine: { id: string };
  /** Offline codes only: which code this is; only the newest code of a machine can be redeemed online. */
  offlineCodeId?: string;
};

/** The claims as a verifier sees them: with the signature's issue and expiry times (seconds since the epoch). */
export type SignedLicenseTicketClaims = LicenseTicketClaims & { iat: number; exp: number };
