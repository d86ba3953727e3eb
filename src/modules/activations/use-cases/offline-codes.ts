import { AppError } from '../../../errors.js';
import { selfActor } from '../../access/actor.js';
import type { ActivationSteps, ActivationsDeps, IssuedTicket, MachineInput } from '../activation-steps.js';

type User = { id: string; email: string };

/** Offline codes: a ticket for a machine without network, valid as long as the license. */
export function offlineCodesUseCase(deps: ActivationsDeps, steps: ActivationSteps) {
  const { heldLicense, issueForMachine } = steps;
  return {
    /** An offline activation code for a machine without network: a ticket that lives as long as the license. */
    async issueOfflineCode(user: User, licenseId: string, machine: MachineInput, ip: string | null): Promise<IssuedTicket> {
      const signer = await deps.keys.signer();
      return deps.db.transaction().execute(async (trx) => {
        const held = await heldLicense(trx, licenseId, user.id);
        if ('denied' in held) throw new AppError(held.denied === 'LICENSE_REVOKED' ? 'NOT_FOUND' : 'LICENSE_EXPIRED');
        return issueForMachine(trx, {
          license: held.license,
          machine,
          kind: 'offline',
          actor: selfActor(user, ip),
          auditAction: 'activation.offline_code_issued',
          signer,
        });
      });
    },
  };
}
