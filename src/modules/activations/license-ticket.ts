import type { TicketLicense } from './activations.repository.js';

import type { LicenseTicketClaims } from '@allot/contract/license-ticket';

export type { LicenseTicketClaims };

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
