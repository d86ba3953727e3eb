import { randomInt } from 'node:crypto';
import type { RateLimitRule } from '../../../auth/rate-limiter.js';
import { AppError } from '../../../errors.js';
import { createToken, hashToken } from '../../../lib/tokens.js';
import { selfActor } from '../../access/actor.js';
import { CLIENT_LIMIT, HOUR_MS, MINUTE_MS, type ActivationSteps, type ActivationsDeps, type DeviceAuthorizationStart } from '../activation-steps.js';

type User = { id: string; email: string };

/** A signed-in person may look up this many device codes a minute: user codes are short. */
const DEVICE_LOOKUP_LIMIT: RateLimitRule = { limit: 20, windowMs: MINUTE_MS };
const DEVICE_CODE_LIFETIME_MS = 10 * MINUTE_MS;
/** RFC 8628 §6.1: consonants only (no words, no look-alike vowels), 8 of 20 letters ≈ 34.6 bits. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

export function normalizeUserCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z]/g, '');
}

function newUserCode(): string {
  const letters = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

export type DeviceLogin = ReturnType<typeof deviceLoginUseCase>;

/** Device login (RFC 8628): the product shows a code, the person approves it at /device, the product polls. */
export function deviceLoginUseCase(deps: ActivationsDeps, steps: ActivationSteps) {
  const { limit, findProduct } = steps;

  async function pendingDeviceAuthorization(userCode: string) {
    const authorization = await deps.repo.findDeviceAuthorization(deps.db, { userCodeHash: hashToken(normalizeUserCode(userCode)) });
    if (!authorization || authorization.status !== 'pending' || authorization.expiresAt <= deps.clock.now()) throw new AppError('DEVICE_CODE_INVALID');
    return authorization;
  }
  /** Checks a device code the product polls with; answers the RFC 8628 errors until it is approved. */
  async function approvedDeviceUser(deviceCode: string, product: { id: string }, machineId: string): Promise<{ userId: string; authorizationId: string }> {
    const now = deps.clock.now();
    const authorization = await deps.repo.findDeviceAuthorization(deps.db, { deviceCodeHash: hashToken(deviceCode) });
    if (!authorization || authorization.status === 'used' || authorization.expiresAt <= now) throw new AppError('DEVICE_CODE_EXPIRED');
    if (authorization.productId !== product.id || authorization.machineId !== machineId) {
      throw new AppError('VALIDATION_FAILED', { message: 'This device code was issued for another product or machine.' });
    }
    if (authorization.status === 'denied') throw new AppError('DEVICE_AUTHORIZATION_DENIED');
    if (authorization.status === 'pending') {
      const tooSoon = authorization.lastPolledAt && now.getTime() - authorization.lastPolledAt.getTime() < deps.devicePollIntervalSeconds * 1000 - 250;
      await deps.repo.markDevicePolled(deps.db, authorization.id, now);
      throw new AppError(tooSoon ? 'DEVICE_SLOW_DOWN' : 'DEVICE_AUTHORIZATION_PENDING', { details: { interval: deps.devicePollIntervalSeconds } });
    }
    return { userId: authorization.userId!, authorizationId: authorization.id };
  }

  return {
    approvedDeviceUser,
    /** RFC 8628 device authorization: the product shows the user code and polls with the device code. */
    async startDeviceAuthorization(
      input: { productCode: string; machineId: string; machineName?: string | null | undefined },
      ip: string,
    ): Promise<DeviceAuthorizationStart> {
      await limit(`activation-client:${ip}`, CLIENT_LIMIT);
      const product = await findProduct(input.productCode);
      const now = deps.clock.now();
      const deviceCode = createToken();
      const userCode = newUserCode();
      await deps.db.transaction().execute(async (trx) => {
        await deps.repo.deleteExpiredDeviceAuthorizations(trx, new Date(now.getTime() - HOUR_MS));
        await deps.repo.insertDeviceAuthorization(trx, {
          deviceCodeHash: hashToken(deviceCode),
          userCodeHash: hashToken(normalizeUserCode(userCode)),
          productId: product.id,
          machineId: input.machineId,
          machineName: input.machineName ?? null,
          expiresAt: new Date(now.getTime() + DEVICE_CODE_LIFETIME_MS),
          now,
        });
      });
      const verificationUri = `${deps.baseUrl}/device`;
      return {
        deviceCode,
        userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?code=${encodeURIComponent(userCode)}`,
        expiresIn: DEVICE_CODE_LIFETIME_MS / 1000,
        interval: deps.devicePollIntervalSeconds,
      };
    },

    /**
     * What the approval page shows: which product and machine asks, and whether approving will
     * work — the person may hold no license, an expired one, or one already on all its machines.
     */
    async describeDeviceAuthorization(user: User, userCode: string) {
      await limit(`device-lookup:${user.id}`, DEVICE_LOOKUP_LIMIT);
      const authorization = await pendingDeviceAuthorization(userCode);
      const now = deps.clock.now();
      const license = await deps.repo.findLicenseForActivation(deps.db, {
        userId: user.id,
        productId: authorization.productId,
        machineId: authorization.machineId,
        now,
      });
      let licenseState: 'ready' | 'none' | 'expired' | 'machines_full' = 'ready';
      if (!license) licenseState = 'none';
      else if (license.validUntil <= now) licenseState = 'expired';
      else {
        const seats = await deps.repo.listSeatHolders(deps.db, { licenseId: license.id, userId: user.id, now });
        const product = await deps.products.findById(deps.db, authorization.productId);
        const machineHasSeat = seats.some((seat) => seat.machineId === authorization.machineId);
        if (!machineHasSeat && product && seats.length >= product.machineLimit) licenseState = 'machines_full';
      }
      return {
        productCode: authorization.productCode,
        productName: authorization.productName,
        machineId: authorization.machineId,
        machineName: authorization.machineName,
        expiresAt: authorization.expiresAt,
        holdsLicense: licenseState === 'ready' || licenseState === 'machines_full',
        licenseState,
      };
    },

    async decideDeviceAuthorization(user: User, userCode: string, decision: 'approve' | 'deny', ip: string | null): Promise<void> {
      await limit(`device-lookup:${user.id}`, DEVICE_LOOKUP_LIMIT);
      const authorization = await pendingDeviceAuthorization(userCode);
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        const moved = await deps.repo.transitionDeviceAuthorization(trx, authorization.id, {
          from: 'pending',
          to: decision === 'approve' ? 'approved' : 'denied',
          userId: user.id,
        });
        if (!moved) throw new AppError('DEVICE_CODE_INVALID');
        await deps.audit.record(
          trx,
          selfActor(user, ip),
          {
            action: decision === 'approve' ? 'device_login.approved' : 'device_login.denied',
            targetType: 'device_authorization',
            targetId: authorization.id,
            organizationId: null,
            details: { productCode: authorization.productCode, machineId: authorization.machineId, machineName: authorization.machineName },
          },
          now,
        );
      });
    },
  };
}
