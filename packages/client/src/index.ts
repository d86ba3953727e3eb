/**
 * @allot/client — activate a product against an Allot server, keep its license ticket fresh, and
 * verify the ticket with no network. Runs in Node 20+ and in browsers (fetch + WebCrypto Ed25519).
 * Its one runtime dependency is `jose`; its types come from @allot/contract, the server's own.
 */
import type { ErrorCode, IssuedTicket, SignedLicenseTicketClaims } from '@allot/contract';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';

export type { JSONWebKeySet } from 'jose';

/** What a license ticket says, with its signature's times: the server's own claims type. */
export type LicenseTicketClaims = SignedLicenseTicketClaims;

export type Credentials =
  | { method: 'password'; email: string; password: string }
  | { method: 'app_password'; email: string; appPassword: string }
  | { method: 'device_code'; deviceCode: string };

/** What a product keeps between runs: the server's answer, and where it came from. `refreshToken` is a secret: store it like a password. */
export type Activation = Omit<IssuedTicket, 'kid'> & {
  serverUrl: string;
  productCode: string;
  machineId: string;
};

/** The body of the server's error answers (the contract's errorBody). */
type ErrorReply = { code: ErrorCode; message: string; details?: Record<string, unknown> };

/** Failures the SDK reports itself, beside the server's codes. */
export type ClientErrorCode =
  | 'TICKET_INVALID'
  | 'TICKET_EXPIRED'
  | 'TICKET_UNKNOWN_KEY'
  | 'TICKET_WRONG_PRODUCT'
  | 'TICKET_WRONG_MACHINE'
  | 'UNSUPPORTED_PLATFORM'
  | 'NETWORK_ERROR'
  | 'ABORTED'
  | `HTTP_${number}`;

/**
 * Every failure: the server's error code (LICENSE_REVOKED, MACHINE_LIMIT_REACHED, …; the
 * contract's catalogue), or one of the SDK's own (ClientErrorCode).
 */
export class AllotError extends Error {
  override name = 'AllotError';
  readonly code: ErrorCode | ClientErrorCode;
  readonly status: number | undefined;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode | ClientErrorCode, message: string, options: { status?: number; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.details = options.details ?? {};
  }
}

type FetchOption = { fetch?: typeof fetch };
type MachineOptions = { machineId: string; machineName?: string; productVersion?: string };

function endpoint(serverUrl: string, path: string): string {
  return `${serverUrl.replace(/\/+$/, '')}${path}`;
}

async function call<T>(serverUrl: string, path: string, init: { method: 'GET' | 'POST'; body?: unknown } & FetchOption): Promise<T> {
  const doFetch = init.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(endpoint(serverUrl, path), {
      method: init.method,
      headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch (error) {
    throw new AllotError('NETWORK_ERROR', `Cannot reach ${serverUrl}: ${(error as Error).message}`, { cause: error });
  }
  const text = await response.text();
  // The server's JSON: an answer of type T, or its error body; anything else when a proxy answered.
  let body: (T & Partial<ErrorReply>) | undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    throw new AllotError(body?.code ?? `HTTP_${response.status}`, body?.message ?? `${response.status} ${response.statusText}`, {
      status: response.status,
      details: body?.details ?? {},
    });
  }
  return body as T;
}

function toActivation(serverUrl: string, machineId: string, issued: IssuedTicket): Activation {
  return {
    serverUrl,
    productCode: issued.license.productCode,
    machineId,
    ticket: issued.ticket,
    refreshToken: issued.refreshToken,
    expiresAt: issued.expiresAt,
    activationId: issued.activationId,
    license: issued.license,
    licensee: issued.licensee,
  };
}

/** Activates this machine with a person's credentials and returns its first ticket. */
export async function activate(
  options: { serverUrl: string; productCode: string; credentials: Credentials } & MachineOptions & FetchOption,
): Promise<Activation> {
  const issued = await call<IssuedTicket>(options.serverUrl, '/api/v1/activations', {
    method: 'POST',
    body: {
      productCode: options.productCode,
      machineId: options.machineId,
      ...(options.machineName ? { machineName: options.machineName } : {}),
      ...(options.productVersion ? { productVersion: options.productVersion } : {}),
      credentials: options.credentials,
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return toActivation(options.serverUrl, options.machineId, issued);
}

/**
 * A fresh ticket and the next refresh secret for an activation: save the result at once, before
 * anything else, since the secret you sent is now one step old. An offline code (an activation
 * with no refresh token) is redeemed for an online activation the same way.
 *
 * Refusals: LICENSE_REVOKED, LICENSE_EXPIRED, ACTIVATION_ENDED (deactivated, or a copy of this
 * activation was used elsewhere) — stop and forget the activation; MACHINE_LIMIT_REACHED (the
 * ticket ran out and the seat went to another machine); OFFLINE_CODE_SUPERSEDED (the code was
 * already redeemed or replaced; it still works offline). Sending the same secret twice is safe:
 * a lost answer is retried here once, and gets the same next secret.
 */
export async function refresh(
  activation: Pick<Activation, 'serverUrl' | 'machineId' | 'ticket' | 'refreshToken'>,
  options: { productVersion?: string } & FetchOption = {},
): Promise<Activation> {
  const credential = activation.refreshToken ? { refreshToken: activation.refreshToken } : { offlineCode: activation.ticket };
  const send = () =>
    call<IssuedTicket>(activation.serverUrl, '/api/v1/activations/refresh', {
      method: 'POST',
      body: { ...credential, ...(options.productVersion ? { productVersion: options.productVersion } : {}) },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  let issued: IssuedTicket;
  try {
    issued = await send();
  } catch (error) {
    if (!(error instanceof AllotError) || !(error.code === 'NETWORK_ERROR' || (error.status !== undefined && error.status >= 500))) throw error;
    issued = await send();
  }
  return toActivation(activation.serverUrl, activation.machineId, issued);
}

/** The server's public keys. Cache them with the ticket so `verifyOffline` works with no network. */
export async function fetchJwks(serverUrl: string, options: FetchOption = {}): Promise<JSONWebKeySet> {
  return call<JSONWebKeySet>(serverUrl, '/.well-known/jwks.json', { method: 'GET', ...(options.fetch ? { fetch: options.fetch } : {}) });
}

/** Imported keys per JWKS object: importing a key costs more than checking a signature. */
const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();
function keySetFor(jwks: JSONWebKeySet): ReturnType<typeof createLocalJWKSet> {
  let keySet = keySets.get(jwks);
  if (!keySet) keySets.set(jwks, (keySet = createLocalJWKSet(jwks)));
  return keySet;
}

/**
 * Checks a ticket with no network: the signature against `jwks`, the expiry, the product and the
 * machine. Returns its claims, or throws an AllotError saying what is wrong.
 */
export async function verifyOffline(
  ticket: string,
  jwks: JSONWebKeySet,
  expected: { productCode: string; machineId: string; issuer?: string; now?: Date; clockToleranceSeconds?: number },
): Promise<LicenseTicketClaims> {
  let claims: LicenseTicketClaims;
  try {
    const { payload } = await jwtVerify(ticket, keySetFor(jwks), {
      algorithms: ['EdDSA'],
      typ: 'allot-license+jwt',
      ...(expected.issuer ? { issuer: expected.issuer } : {}),
      ...(expected.now ? { currentDate: expected.now } : {}),
      clockTolerance: expected.clockToleranceSeconds ?? 60,
    });
    claims = payload as unknown as LicenseTicketClaims;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AllotError('TICKET_EXPIRED', 'The license ticket has expired; refresh it online.', { cause: error });
    // A key newer than the saved JWKS (the server rotated): fetch the keys again and retry.
    if (error instanceof joseErrors.JWKSNoMatchingKey)
      throw new AllotError('TICKET_UNKNOWN_KEY', 'The license ticket is signed by a key this product does not know yet; fetch the server keys again.', {
        cause: error,
      });
    if (error instanceof joseErrors.JOSENotSupported)
      throw new AllotError('UNSUPPORTED_PLATFORM', 'This runtime cannot check Ed25519 signatures (WebCrypto without Ed25519).', { cause: error });
    throw new AllotError('TICKET_INVALID', 'The license ticket is not genuine or is damaged.', { cause: error });
  }
  if (claims.product?.code !== expected.productCode)
    throw new AllotError('TICKET_WRONG_PRODUCT', `The license ticket is for ${claims.product?.name ?? 'another product'}.`);
  if (claims.machine?.id !== expected.machineId) throw new AllotError('TICKET_WRONG_MACHINE', 'The license ticket was issued for another machine.');
  return claims;
}

/** The claims of a ticket WITHOUT checking it: for display only, never for a licensing decision. */
export function readTicketUnverified(ticket: string): LicenseTicketClaims {
  return decodeJwt(ticket) as unknown as LicenseTicketClaims;
}

/** True when the ticket expires within `marginSeconds` (default: a day) and should be refreshed now. */
export function needsRefresh(activation: Pick<Activation, 'expiresAt'>, options: { now?: Date; marginSeconds?: number } = {}): boolean {
  const now = (options.now ?? new Date()).getTime();
  return new Date(activation.expiresAt).getTime() - now < (options.marginSeconds ?? 24 * 60 * 60) * 1000;
}

export type DeviceCode = { userCode: string; verificationUri: string; verificationUriComplete: string; expiresIn: number };

/**
 * Device login (RFC 8628): asks the server for a code, hands it to `onCode` (show it, and open
 * `verificationUriComplete` in a browser if you can), then polls until the person approves it.
 */
export async function deviceLogin(
  options: { serverUrl: string; productCode: string; onCode: (code: DeviceCode) => void | Promise<void>; signal?: AbortSignal } & MachineOptions & FetchOption,
): Promise<Activation> {
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  const start = await call<DeviceCode & { deviceCode: string; interval: number }>(options.serverUrl, '/api/v1/device-authorizations', {
    method: 'POST',
    body: { productCode: options.productCode, machineId: options.machineId, ...(options.machineName ? { machineName: options.machineName } : {}) },
    ...fetchOption,
  });
  await options.onCode({
    userCode: start.userCode,
    verificationUri: start.verificationUri,
    verificationUriComplete: start.verificationUriComplete,
    expiresIn: start.expiresIn,
  });
  const deadline = Date.now() + start.expiresIn * 1000;
  let intervalMs = start.interval * 1000;
  for (;;) {
    await sleep(intervalMs, options.signal);
    try {
      return await activate({ ...options, credentials: { method: 'device_code', deviceCode: start.deviceCode } });
    } catch (error) {
      if (!(error instanceof AllotError)) throw error;
      if (error.code === 'DEVICE_SLOW_DOWN') intervalMs += 5_000;
      // A dropped connection is no reason to make the person start over: keep polling.
      else if (error.code === 'NETWORK_ERROR' || (error.status !== undefined && error.status >= 500)) intervalMs = Math.min(intervalMs * 2, 60_000);
      else if (error.code !== 'DEVICE_AUTHORIZATION_PENDING') throw error;
      if (Date.now() > deadline) throw new AllotError('DEVICE_CODE_EXPIRED', 'The device login expired before it was approved. Start again.');
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AllotError('ABORTED', 'The device login was cancelled.'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AllotError('ABORTED', 'The device login was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
