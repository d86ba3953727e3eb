import type { TicketLicense } from './activations.repository.js';

/**
 * What a license ticket says. It is a public contract: products read it through @allot/client,
 * whose `LicenseTicketClaims` type mirrors this one. Add fields; never rename or remove one.
 */
export type LicenseTicketClaims = {
  iss: string;
  /** The license id. */
  sub: string;
  /** The activation (machine) id. */
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

export function ticketClaims(input: {
  issuer: string;
  license: TicketLicense & { holder: NonNullable<TicketLicense['holder']> };
  activationId: string;
  machineId: string;
  kind: 'online' | 'offline';
  offlineCodeId: string | null;
}): LicenseTicketClaims {
  const { license } = input;
  return {
    iss: input.issuer,
    sub: license.id,
    jti: input.activationId,
    kind: input.kind,
    product: { code: license.productCode, name: license.productName },
    licensee: { id: license.holder.id, email: license.holder.email, name: license.holder.name },
    organization: { id: license.organizationId, name: license.organizationName },
    license: { id: license.id, validUntil: license.validUntil.toISOString() },
    machine: { id: input.machineId },
    ...(input.offlineCodeId ? { offlineCodeId: input.offlineCodeId } : {}),
  };
}
