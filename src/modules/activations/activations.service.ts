import { createHmac, hkdfSync, randomInt, randomUUID } from 'node:crypto';
import type { RateLimiter, RateLimitRule } from '../../auth/rate-limiter.js';
import type { credentialsRepository } from '../../auth/credentials.repository.js';
import { hashPassword, verifyPassword } from '../../auth/password-hashing.js';
import type { Db, Executor } from '../../db/database.js';
import type { TransactionBatcher } from '../../db/transaction-batcher.js';
import type { AuditAction } from '@allot/contract';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { createToken, hashToken } from '../../lib/tokens.js';
import { requireTeamRead, selfActor, type Actor } from '../access/actor.js';
import type { AppPasswordsService } from '../app-passwords/app-passwords.service.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { LicensesRepository } from '../licenses/licenses.repository.js';
import type { productsRepository } from '../products/products.repository.js';
import type { SigningKeysService, TicketSigner } from '../signing-keys/signing-keys.service.js';
import type { ActivationsRepository, MachineActivation, MyMachine, SecretSlots, TicketLicense } from './activations.repository.js';
import { ticketClaims, type LicenseTicketClaims } from './license-ticket.js';

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

type User = { id: string; email: string };
type HeldLicense = TicketLicense & { holder: NonNullable<TicketLicense['holder']> };
type Denial =
  | { denied: 'LICENSE_REVOKED' | 'LICENSE_EXPIRED' | 'OFFLINE_CODE_SUPERSEDED'; license: TicketLicense | undefined }
  | { denied: 'ACTIVATION_ENDED'; license: TicketLicense | undefined; reason: 'refresh_token_reused' };
/** The next refresh secret and the chain of hashes the activation keeps after this step. */
type ChainStep = { token: string; secrets: SecretSlots };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Password guesses: as many as sign-in allows (per client and address), and a cap per address from anywhere. */
const PASSWORD_LIMIT: RateLimitRule = { limit: 5, windowMs: MINUTE_MS };
const ACCOUNT_LIMIT: RateLimitRule = { limit: 30, windowMs: MINUTE_MS };
/** Generous: a whole office behind one NAT address activates on a Monday morning. */
const CLIENT_LIMIT: RateLimitRule = { limit: 300, windowMs: MINUTE_MS };
const REFRESH_CLIENT_LIMIT: RateLimitRule = { limit: 1_200, windowMs: MINUTE_MS };
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

/** Checked when no account matches, so a wrong address costs what a wrong password costs. */
let dummyPasswordHash: Promise<string> | undefined;
const passwordHashForMissingAccount = () => (dummyPasswordHash ??= hashPassword(createToken()));

/**
 * Product activation: a product proves who runs it (password, app password or device login) and
 * gets a signed license ticket for one machine; it refreshes the ticket before it expires, and a
 * revoked, moved or expired license gets no new one. Each license holds a limited number of seats.
 */
export function activationsService(deps: {
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
}) {
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

  return {
    async activate(input: MachineInput & { productCode: string; credentials: Credentials }, ip: string): Promise<IssuedTicket> {
      await limit(`activation-client:${ip}`, CLIENT_LIMIT);
      const product = await findProduct(input.productCode);
      const device = input.credentials.method === 'device_code' ? await approvedDeviceUser(input.credentials.deviceCode, product, input.machineId) : undefined;
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

    /**
     * A new ticket and the next refresh secret for an activated machine. Showing the previous
     * secret again gets the same answer (a lost answer, or two refreshes at once); showing an
     * older one ends the activation, since a copy of it is in use somewhere.
     */
    async refresh(input: { refreshToken: string; productVersion?: string | null | undefined }, ip: string): Promise<IssuedTicket> {
      await limit(`refresh-client:${ip}`, REFRESH_CLIENT_LIMIT);
      const found = await deps.repo.findBySecretHash(deps.db, hashToken(input.refreshToken));
      if (!found || found.deactivatedAt) throw new AppError('ACTIVATION_ENDED');
      const signer = await deps.keys.signer();

      return onLockedActivation(found, ip, (trx, license, current) =>
        followChain(trx, { license, activation: current, presented: input.refreshToken, productVersion: input.productVersion, ip, signer }),
      );
    },

    /**
     * Once its machine is online, an offline code is exchanged for an online activation: once,
     * and only the newest code of the machine, issued for the license as it is now (not before a
     * renewal or a revoke). Showing the same code again right after gets the same answer.
     */
    async redeemOfflineCode(input: { offlineCode: string; productVersion?: string | null | undefined }, ip: string): Promise<IssuedTicket> {
      await limit(`activation-client:${ip}`, CLIENT_LIMIT);
      const claims = (await deps.keys.verify(input.offlineCode)) as unknown as LicenseTicketClaims;
      if (claims.kind !== 'offline' || !claims.offlineCodeId)
        throw new AppError('TICKET_INVALID', { message: 'Online tickets refresh with their refresh token, not the ticket.' });
      const found = await deps.repo.findById(deps.db, claims.jti);
      if (!found || found.deactivatedAt) throw new AppError('ACTIVATION_ENDED');
      const signer = await deps.keys.signer();

      return onLockedActivation(found, ip, async (trx, license, current) => {
        const codeHash = hashToken(input.offlineCode);
        if (codeHash === current.secrets.previous || codeHash === current.secrets.older) {
          // Redeemed before: the same answer again, or a copy of the code in use elsewhere.
          return followChain(trx, { license, activation: current, presented: input.offlineCode, productVersion: input.productVersion, ip, signer });
        }
        if (current.offlineCodeId !== claims.offlineCodeId || claims.license.validUntil !== license.validUntil.toISOString()) {
          return { denied: 'OFFLINE_CODE_SUPERSEDED', license };
        }
        const token = nextSecret(current.id, input.offlineCode);
        return continueChain(trx, {
          license,
          activation: current,
          step: { token, secrets: { current: hashToken(token), previous: codeHash, older: null } },
          productVersion: input.productVersion,
          ip,
          signer,
          reissueAs: 'activation.offline_code_redeemed',
          consumesOfflineCode: true,
        });
      });
    },

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

  async function pendingDeviceAuthorization(userCode: string) {
    const authorization = await deps.repo.findDeviceAuthorization(deps.db, { userCodeHash: hashToken(normalizeUserCode(userCode)) });
    if (!authorization || authorization.status !== 'pending' || authorization.expiresAt <= deps.clock.now()) throw new AppError('DEVICE_CODE_INVALID');
    return authorization;
  }
}

export type ActivationsService = ReturnType<typeof activationsService>;
