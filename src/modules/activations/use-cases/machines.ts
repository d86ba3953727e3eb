import { AppError } from '../../../errors.js';
import { requireTeamRead, selfActor, type Actor } from '../../access/actor.js';
import type { MachineActivation, MyMachine } from '../activations.repository.js';
import type { ActivationsDeps } from '../activation-steps.js';

type User = { id: string; email: string };

/** Machines: where a license runs, for its holder and for those who may read its team; freeing a seat. */
export function machinesUseCase(deps: ActivationsDeps) {
  return {
    /** Where a license is in use, for those who may read its team. */
    async listMachinesOfLicense(actor: Actor, licenseId: string): Promise<MachineActivation[]> {
      const license = await deps.licenses.findById(deps.db, licenseId);
      if (!license) throw new AppError('NOT_FOUND');
      requireTeamRead(actor, { id: license.teamId, organizationId: license.organizationId });
      return deps.repo.listForLicense(deps.db, licenseId, deps.clock.now());
    },

    async listMachines(user: User): Promise<MyMachine[]> {
      return deps.repo.listForUser(deps.db, user.id, deps.clock.now());
    },

    /** Frees a machine's seat; its refresh secret stops working. An offline code keeps working offline until it expires. */
    async deactivateMachine(user: User, activationId: string, ip: string | null): Promise<void> {
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        const activation = await deps.repo.findById(trx, activationId);
        if (!activation || activation.userId !== user.id || activation.deactivatedAt) throw new AppError('NOT_FOUND');
        const license = await deps.repo.lockLicense(trx, activation.licenseId);
        await deps.repo.deactivate(trx, activation.id, { now, reason: 'deactivated_by_user' });
        await deps.audit.record(
          trx,
          selfActor(user, ip),
          {
            action: 'activation.deactivated',
            targetType: 'license',
            targetId: activation.licenseId,
            organizationId: license?.organizationId ?? null,
            teamId: license?.teamId ?? null,
            details: { machineId: activation.machineId, machineName: activation.machineName, kind: activation.kind, activationId: activation.id },
          },
          now,
        );
      });
    },
  };
}
