import type { RateLimitRule } from '../../../auth/rate-limiter.js';
import { hashPassword, verifyPassword } from '../../../auth/password-hashing.js';
import { AppError } from '../../../errors.js';
import { createToken } from '../../../lib/tokens.js';
import { selfActor } from '../../access/actor.js';
import {
  CLIENT_LIMIT,
  MINUTE_MS,
  type ActivationSteps,
  type ActivationsDeps,
  type Credentials,
  type IssuedTicket,
  type MachineInput,
} from '../activation-steps.js';
import type { DeviceLogin } from './device-login.js';

/** Password guesses: as many as sign-in allows (per client and address), and a cap per address from anywhere. */
const PASSWORD_LIMIT: RateLimitRule = { limit: 5, windowMs: MINUTE_MS };
const ACCOUNT_LIMIT: RateLimitRule = { limit: 30, windowMs: MINUTE_MS };

/** Checked when no account matches, so a wrong address costs what a wrong password costs. */
let dummyPasswordHash: Promise<string> | undefined;
const passwordHashForMissingAccount = () => (dummyPasswordHash ??= hashPassword(createToken()));

/** Activation: a product proves who runs it (password, app password or device login) and gets a ticket for one machine. */
export function activateUseCase(deps: ActivationsDeps, steps: ActivationSteps, deviceLogin: Pick<DeviceLogin, 'approvedDeviceUser'>) {
  const { limit, findProduct, heldLicense, issueForMachine } = steps;

  /** The user behind password or app-password credentials; device codes are settled inside the activation's transaction. */
  async function authenticate(credentials: Exclude<Credentials, { method: 'device_code' }>, ip: string): Promise<string> {
    const email = credentials.email.trim().toLowerCase();
    await limit(`activation-account:${email}`, ACCOUNT_LIMIT);
    if (credentials.method === 'app_password') {
      const userId = await deps.appPasswords.authenticate(deps.db, { email, password: credentials.appPassword });
      if (!userId) throw new AppError('INVALID_CREDENTIALS');
      return userId;
    }
    await limit(`activation-password:${ip}:${email}`, PASSWORD_LIMIT);
    const account = await deps.credentials.findPasswordAccount(deps.db, { email });
    const passwordMatches = await verifyPassword({ hash: account?.passwordHash ?? (await passwordHashForMissingAccount()), password: credentials.password });
    if (!account?.passwordHash || !passwordMatches) throw new AppError('INVALID_CREDENTIALS');
    if (!account.emailVerified) throw new AppError('EMAIL_NOT_VERIFIED', { message: 'Verify your email address before activating a product.' });
    if (account.twoFactorEnabled) throw new AppError('TWO_FACTOR_REQUIRED');
    return account.userId;
  }

  return {
    async activate(input: MachineInput & { productCode: string; credentials: Credentials }, ip: string): Promise<IssuedTicket> {
      await limit(`activation-client:${ip}`, CLIENT_LIMIT);
      const product = await findProduct(input.productCode);
      const device =
        input.credentials.method === 'device_code' ? await deviceLogin.approvedDeviceUser(input.credentials.deviceCode, product, input.machineId) : undefined;
      const userId = device?.userId ?? (await authenticate(input.credentials as Exclude<Credentials, { method: 'device_code' }>, ip));
      const signer = await deps.keys.signer();

      return deps.db.transaction().execute(async (trx) => {
        if (device && !(await deps.repo.transitionDeviceAuthorization(trx, device.authorizationId, { from: 'approved', to: 'used' }))) {
          throw new AppError('DEVICE_CODE_EXPIRED');
        }
        const candidate = await deps.repo.findLicenseForActivation(trx, { userId, productId: product.id, machineId: input.machineId, now: deps.clock.now() });
        if (!candidate) throw new AppError('NO_LICENSE', { message: `You do not hold a license for ${product.name}.` });
        const held = await heldLicense(trx, candidate.id, userId);
        if ('denied' in held) throw new AppError(held.denied === 'LICENSE_REVOKED' ? 'NO_LICENSE' : 'LICENSE_EXPIRED');
        return issueForMachine(trx, {
          license: held.license,
          machine: input,
          kind: 'online',
          actor: selfActor({ id: userId, email: held.license.holder.email }, ip),
          auditAction: 'activation.created',
          signer,
        });
      });
    },
  };
}
