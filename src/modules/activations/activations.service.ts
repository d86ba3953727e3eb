import { activationSteps, type ActivationsDeps } from './activation-steps.js';
import { activateUseCase } from './use-cases/activate.js';
import { deviceLoginUseCase } from './use-cases/device-login.js';
import { machinesUseCase } from './use-cases/machines.js';
import { offlineCodesUseCase } from './use-cases/offline-codes.js';
import { refreshUseCase } from './use-cases/refresh.js';

export { normalizeUserCode } from './use-cases/device-login.js';

/**
 * Product activation: a product proves who runs it (password, app password or device login) and
 * gets a signed license ticket for one machine; it refreshes the ticket before it expires, and a
 * revoked, moved or expired license gets no new one. Each license holds a limited number of seats.
 * Each use case is a file of its own (use-cases/); the steps they share are activation-steps.ts.
 */
export function activationsService(deps: ActivationsDeps) {
  const steps = activationSteps(deps);
  const { approvedDeviceUser, ...deviceLogin } = deviceLoginUseCase(deps, steps);
  return {
    ...activateUseCase(deps, steps, { approvedDeviceUser }),
    ...refreshUseCase(deps, steps),
    ...offlineCodesUseCase(deps, steps),
    ...machinesUseCase(deps),
    ...deviceLogin,
  };
}

export type ActivationsService = ReturnType<typeof activationsService>;
