import { createHmac, hkdfSync, randomUUID } from 'node:crypto';
import type { RateLimitRule } from '../../auth/rate-limiter.js';
import type { Db, Executor } from '../../db/database.js';
import type { TransactionBatcher } from '../../db/transaction-batcher.js';
import type { AuditAction } from '@allot/contract';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { createToken, hashToken } from '../../lib/tokens.js';
import type { RateLimiter } from '../../auth/rate-limiter.js';
import type { credentialsRepository } from '../../auth/credentials.repository.js';
import { selfActor, type Actor } from '../access/actor.js';
import type { AppPasswordsService } from '../app-passwords/app-passwords.service.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { LicensesRepository } from '../licenses/licenses.repository.js';
import type { productsRepository } from '../products/products.repository.js';
import type { SigningKeysService, TicketSigner } from '../signing-keys/signing-keys.service.js';
import type { ActivationsRepository, MachineActivation, SecretSlots, TicketLicense } from './activations.repository.js';
import { ticketClaims } from './license-ticket.js';

/**
 * The steps every activation use case shares (use-cases/*.ts): rate limits, the locked license,
 * seats and signing, and the refresh chain with its one transaction helper (onLockedActivation).
 */
export type Credentials =
  | { method: 'password'; email: string; password: string }
  | { method: 'app_password'; email: string; appPassword: string }
  | { method: 'device_code'; deviceCode: string };

export type MachineInput = { machineId: string; machineName?: string | null | undefined; productVersion?: string | null | undefined };

export type IssuedTicket = {
  ticket: string;
  kid: string;
  expiresAt: Date;
  /** The secret an online activation refreshes with; offline codes have none. */
  refreshToken: string | null;
  activationId: string;
  license: { id: string; productCode: string; productName: string; organizationName: string; validUntil: Date };
  licensee: { email: string; name: string };
};

export type DeviceAuthorizationStart = {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresIn: number;
  interval: number;
};

export type HeldLicense = TicketLicense & { holder: NonNullable<TicketLicense['holder']> };
export type Denial =
  | { denied: 'LICENSE_REVOKED' | 'LICENSE_EXPIRED' | 'OFFLINE_CODE_SUPERSEDED'; license: TicketLicense | undefined }
  | { denied: 'ACTIVATION_ENDED'; license: TicketLicense | undefined; reason: 'refresh_token_reused' };
/** The next refresh secret and the chain of hashes the activation keeps after this step. */
export type ChainStep = { token: string; secrets: SecretSlots };

export type ActivationsDeps = {
  db: Db;
  /** Refreshes commit in groups (db/transaction-batcher.ts). */
  batcher: TransactionBatcher;
  repo: ActivationsRepository;
  products: typeof productsRepository;
  credentials: typeof credentialsRepository;
  licenses: Pick<LicensesRepository, 'findById'>;
  keys: SigningKeysService;
  appPasswords: AppPasswordsService;
  audit: typeof auditRepository;
  rateLimiter: RateLimiter;
  clock: Clock;
  baseUrl: string;
  ticketTtlHours: number;
  devicePollIntervalSeconds: number;
  /** The instance secret; refresh chains are keyed with a key derived from it. */
  secret: string;
};

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
/** Generous: a whole office behind one NAT address activates on a Monday morning. */
export const CLIENT_LIMIT: RateLimitRule = { limit: 300, windowMs: MINUTE_MS };

export type ActivationSteps = ReturnType<typeof activationSteps>;

export function activationSteps(deps: ActivationsDeps) {
  const chainKey = Buffer.from(hkdfSync('sha256', deps.secret, 'allot', 'refresh-secret-chain', 32));

  async function limit(key: string, rule: RateLimitRule): Promise<void> {
    const verdict = await deps.rateLimiter.hit(key, rule);
    if (!verdict.allowed) throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds: verdict.retryAfterSeconds } });
  }

  async function findProduct(productCode: string) {
    const product = await deps.products.findByCode(deps.db, productCode);
    if (!product) throw new AppError('PRODUCT_NOT_FOUND');
    return product;
  }

  /** Reads and locks the license, and checks it still belongs to `userId` and runs. */
  async function heldLicense(trx: Executor, licenseId: string, userId: string): Promise<{ license: HeldLicense } | Denial> {
    const license = await deps.repo.lockLicense(trx, licenseId);
    if (!license || license.holder?.id !== userId) return { denied: 'LICENSE_REVOKED', license };
    if (license.validUntil <= deps.clock.now()) return { denied: 'LICENSE_EXPIRED', license };
    return { license: license as HeldLicense };
  }

  function onlineExpiry(license: TicketLicense, now: Date): Date {
    return new Date(Math.min(now.getTime() + deps.ticketTtlHours * HOUR_MS, license.validUntil.getTime()));
  }

  function issued(input: {
    license: HeldLicense;
    token: string;
    kid: string;
    expiresAt: Date;
    refreshToken: string | null;
    activationId: string;
  }): IssuedTicket {
    const { license } = input;
    return {
      ticket: input.token,
      kid: input.kid,
      expiresAt: input.expiresAt,
      refreshToken: input.refreshToken,
      activationId: input.activationId,
      license: {
        id: license.id,
        productCode: license.productCode,
        productName: license.productName,
        organizationName: license.organizationName,
        validUntil: license.validUntil,
      },
      licensee: { email: license.holder.email, name: license.holder.name },
    };
  }

  /**
   * Gives `machine` a seat on `license` (or renews the seat it has) and signs its ticket, in the
   * caller's transaction, with the license row locked so seat counts are exact. A new refresh
   * secret replaces any earlier one, and an offline code gets a new id (only the newest redeems).
   */
  async function issueForMachine(
    trx: Executor,
    input: {
      license: HeldLicense;
      machine: MachineInput;
      kind: 'online' | 'offline';
      actor: Actor;
      auditAction: AuditAction;
      signer: TicketSigner;
      /** The next step of an existing refresh chain; without it a new chain starts. */
      chain?: ChainStep;
      /** A redeemed offline code is spent. */
      consumesOfflineCode?: boolean;
    },
  ): Promise<IssuedTicket> {
    const { license, machine, kind } = input;
    const now = deps.clock.now();
    const userId = license.holder.id;
    let existing: MachineActivation | undefined = await deps.repo.findLiveActivation(trx, license.id, machine.machineId);
    if (existing && existing.userId !== userId) {
      // The machine was used by the license's previous holder.
      await deps.repo.deactivate(trx, existing.id, { now, reason: 'license_reassigned' });
      existing = undefined;
    }
    if (!existing || existing.ticketExpiresAt <= now) {
      const seats = (await deps.repo.listSeatHolders(trx, { licenseId: license.id, userId, now })).filter((seat) => seat.id !== existing?.id);
      if (seats.length >= license.machineLimit) {
        throw new AppError('MACHINE_LIMIT_REACHED', {
          details: {
            limit: license.machineLimit,
            machines: seats.map((seat) => ({
              id: seat.id,
              machineId: seat.machineId,
              machineName: seat.machineName,
              lastSeenAt: seat.lastSeenAt.toISOString(),
            })),
          },
        });
      }
    }

    const refreshToken = kind === 'online' ? (input.chain?.token ?? createToken()) : null;
    const secrets: SecretSlots | undefined = refreshToken
      ? (input.chain?.secrets ?? { current: hashToken(refreshToken), previous: null, older: null })
      : undefined;
    // Offline: the new code replaces the last one. Online: a redeemed code is spent; others stay.
    const offlineCodeId = kind === 'offline' ? randomUUID() : input.consumesOfflineCode ? null : undefined;
    // An offline code given to this machine keeps its seat until the code expires.
    const keepsOfflineSeat = existing?.kind === 'offline' && existing.ticketExpiresAt > now;
    const seatExpiresAt = kind === 'offline' ? license.validUntil : keepsOfflineSeat ? existing!.ticketExpiresAt : onlineExpiry(license, now);
    let activationId: string;
    if (existing) {
      await deps.repo.recordSeen(trx, existing.id, {
        now,
        ticketExpiresAt: seatExpiresAt,
        kind: keepsOfflineSeat ? 'offline' : kind,
        ...(secrets ? { secrets } : {}),
        ...(offlineCodeId !== undefined ? { offlineCodeId } : {}),
        machineName: machine.machineName ?? null,
        productVersion: machine.productVersion ?? null,
      });
      activationId = existing.id;
    } else {
      activationId = await deps.repo.insertActivation(trx, {
        licenseId: license.id,
        userId,
        machineId: machine.machineId,
        machineName: machine.machineName ?? null,
        productVersion: machine.productVersion ?? null,
        kind,
        refreshTokenHash: secrets?.current ?? null,
        offlineCodeId: offlineCodeId ?? null,
        ticketExpiresAt: seatExpiresAt,
        now,
      });
    }
    await deps.repo.touchLicense(trx, license.id, now);
    await deps.audit.record(
      trx,
      input.actor,
      {
        action: input.auditAction,
        targetType: 'license',
        targetId: license.id,
        organizationId: license.organizationId,
        teamId: license.teamId,
        details: { machineId: machine.machineId, machineName: machine.machineName ?? null, productVersion: machine.productVersion ?? null, activationId },
      },
      now,
    );
    const expiresAt = kind === 'online' ? onlineExpiry(license, now) : license.validUntil;
    const claims = ticketClaims({ issuer: deps.baseUrl, license, activationId, machineId: machine.machineId, kind, offlineCodeId: offlineCodeId ?? null });
    const token = await input.signer.sign(trx, claims, expiresAt);
    return issued({ license, token, kid: input.signer.kid, expiresAt, refreshToken, activationId });
  }

  /** Commits the denial's audit event (and, for a revoke or a copied secret, ends the activation), then refuses. */
  async function deny(activation: MachineActivation, denial: Denial, ip: string): Promise<never> {
    const now = deps.clock.now();
    await deps.db.transaction().execute(async (trx) => {
      const endsActivation = denial.denied === 'LICENSE_REVOKED' || denial.denied === 'ACTIVATION_ENDED';
      if (endsActivation) await deps.repo.deactivate(trx, activation.id, { now, reason: 'reason' in denial ? denial.reason : 'license_revoked' });
      await deps.audit.record(
        trx,
        {
          userId: activation.userId,
          label: `machine ${activation.machineName ?? activation.machineId}`,
          isOperator: false,
          ip,
          orgRoles: new Map(),
          teamRoles: new Map(),
        },
        {
          action: 'activation.refresh_denied',
          targetType: 'license',
          targetId: activation.licenseId,
          organizationId: denial.license?.organizationId ?? null,
          teamId: denial.license?.teamId ?? null,
          details: { reason: 'reason' in denial ? denial.reason : denial.denied, machineId: activation.machineId, activationId: activation.id },
        },
        now,
      );
    });
    throw new AppError(denial.denied);
  }

  /** The next secret of a chain, derived so that the same secret shown twice gets the same answer. */
  function nextSecret(activationId: string, presented: string): string {
    return createHmac('sha256', chainKey).update(`${activationId}:${presented}`).digest('base64url');
  }

  /**
   * Where `presented` stands in the activation's refresh chain:
   * - the current secret: the chain moves one step;
   * - the previous one (an answer that got lost, or two refreshes at once): the same next step again;
   * - the one before: the chain moved on twice since, so two copies of the activation are in use.
   * A secret that is nowhere in the chain (for example before a re-activation) has simply ended.
   */
  function chainStep(activation: MachineActivation, presented: string): ChainStep | 'reused' | 'ended' {
    const presentedHash = hashToken(presented);
    const { secrets } = activation;
    const token = nextSecret(activation.id, presented);
    if (presentedHash === secrets.current) return { token, secrets: { current: hashToken(token), previous: presentedHash, older: secrets.previous } };
    if (presentedHash === secrets.previous) return hashToken(token) === secrets.current ? { token, secrets } : 'ended';
    if (presentedHash === secrets.older) return 'reused';
    return 'ended';
  }

  /**
   * One step of a refresh chain inside the caller's transaction: a machine whose ticket ran out
   * has lost its seat and goes through the seat check again (`reissueAs` names that audit event).
   */
  async function continueChain(
    trx: Executor,
    input: {
      license: HeldLicense;
      activation: MachineActivation;
      step: ChainStep;
      productVersion: string | null | undefined;
      ip: string;
      signer: TicketSigner;
      reissueAs?: AuditAction;
      consumesOfflineCode?: boolean;
    },
  ): Promise<IssuedTicket> {
    const { license, activation, step, signer } = input;
    const now = deps.clock.now();
    const machine = { machineId: activation.machineId, machineName: activation.machineName, productVersion: input.productVersion ?? activation.productVersion };
    if (input.reissueAs || activation.ticketExpiresAt <= now) {
      const actor = selfActor({ id: activation.userId, email: license.holder.email }, input.ip);
      return issueForMachine(trx, {
        license,
        machine,
        kind: 'online',
        actor,
        auditAction: input.reissueAs ?? 'activation.resumed',
        signer,
        chain: step,
        ...(input.consumesOfflineCode ? { consumesOfflineCode: true } : {}),
      });
    }
    const expiresAt = onlineExpiry(license, now);
    const keepsOfflineSeat = activation.kind === 'offline' && activation.ticketExpiresAt > expiresAt;
    await deps.repo.recordSeen(trx, activation.id, {
      now,
      ticketExpiresAt: keepsOfflineSeat ? activation.ticketExpiresAt : expiresAt,
      secrets: step.secrets,
      productVersion: input.productVersion ?? null,
    });
    await deps.repo.touchLicense(trx, license.id, now);
    const claims = ticketClaims({
      issuer: deps.baseUrl,
      license,
      activationId: activation.id,
      machineId: activation.machineId,
      kind: 'online',
      offlineCodeId: null,
    });
    const token = await signer.sign(trx, claims, expiresAt);
    return issued({ license, token, kid: signer.kid, expiresAt, refreshToken: step.token, activationId: activation.id });
  }

  const reused = (license: TicketLicense | undefined): Denial => ({ denied: 'ACTIVATION_ENDED', license, reason: 'refresh_token_reused' });

  /** The step of the chain `presented` asks for, or the refusal it earns (see chainStep). */
  async function followChain(
    trx: Executor,
    input: {
      license: HeldLicense;
      activation: MachineActivation;
      presented: string;
      productVersion: string | null | undefined;
      ip: string;
      signer: TicketSigner;
    },
  ): Promise<IssuedTicket | Denial> {
    const step = chainStep(input.activation, input.presented);
    if (step === 'reused') return reused(input.license);
    if (step === 'ended') throw new AppError('ACTIVATION_ENDED');
    return continueChain(trx, { ...input, step });
  }

  /**
   * Runs `work` in a transaction with the license locked and still held by the activation's user,
   * and the activation read again under that lock (a deactivation or another refresh may have
   * come first). A denial is committed to the audit log after the transaction, then thrown.
   */
  async function onLockedActivation(
    found: MachineActivation,
    ip: string,
    work: (trx: Executor, license: HeldLicense, current: MachineActivation) => Promise<IssuedTicket | Denial>,
  ): Promise<IssuedTicket> {
    // Refreshes arriving together share one commit; each keeps its own row locks and savepoint.
    const result = await deps.batcher.run(async (trx): Promise<IssuedTicket | Denial> => {
      const held = await heldLicense(trx, found.licenseId, found.userId);
      if ('denied' in held) return held;
      const current = await deps.repo.findById(trx, found.id);
      if (!current || current.deactivatedAt) throw new AppError('ACTIVATION_ENDED');
      return work(trx, held.license, current);
    });
    if ('denied' in result) return deny(found, result, ip);
    return result;
  }

  return { limit, findProduct, heldLicense, issueForMachine, nextSecret, continueChain, followChain, onLockedActivation };
}
