/**
 * allot-demo-product: a tiny "product" that licenses itself through @allot/client. It is the
 * pattern a vendor copies: activate once (device login or an app password), keep the ticket and
 * the server's public keys on disk, verify offline at every start, refresh when the ticket nears
 * its expiry, and stop when the server says the license is gone.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { activate, AllotError, deviceLogin, fetchJwks, needsRefresh, refresh, verifyOffline, type Activation, type JSONWebKeySet } from '@allot/client';

const VERSION = '1.0.0';
const EXIT = { ok: 0, error: 1, usage: 2, notLicensed: 3 } as const;
/** Answers after which the cached activation is worthless: the person must activate again. */
const FINAL_REFUSALS = new Set(['LICENSE_REVOKED', 'LICENSE_EXPIRED', 'ACTIVATION_ENDED', 'NO_LICENSE']);

const usage = `Usage: allot-demo-product <command> [options]

Commands:
  activate              activate this machine (device login in the browser by default)
      --email EMAIL --app-password PASSWORD   activate with an app password instead
      --email EMAIL  with ALLOT_PASSWORD set   or with the account password (not with 2FA);
                                              from the environment, so it stays out of ps and history
  status                check the saved license offline and print it, with this machine's id
  refresh               get a fresh ticket from the server now
  run                   run the product (refuses without a valid license)
  use-offline-code CODE [--jwks FILE]
                        license a machine without network with a code from the account page

Environment: ALLOT_SERVER_URL (default http://localhost:3000), ALLOT_PRODUCT (product code,
default "demo"), ALLOT_DEMO_HOME (where the license is kept, default ~/.allot-demo-product),
ALLOT_MACHINE_NAME (shown on the account page, default the host name).`;

type Output = { out(line: string): void; err(line: string): void };
const consoleOutput: Output = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

/** Where the product keeps its machine id, activation and the server's public keys. */
function store(environment: NodeJS.ProcessEnv) {
  const home = environment.ALLOT_DEMO_HOME ?? path.join(os.homedir(), '.allot-demo-product');
  const file = (name: string) => path.join(home, name);
  const readJson = <T>(name: string): T | undefined => (fs.existsSync(file(name)) ? (JSON.parse(fs.readFileSync(file(name), 'utf8')) as T) : undefined);
  const writeJson = (name: string, value: unknown) => {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    fs.chmodSync(home, 0o700);
    // The activation holds a refresh secret: owner-only, like an SSH key. Written beside and
    // renamed, so a crash never leaves half a file (and a lost refresh secret) behind.
    const temporary = `${file(name)}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file(name));
  };
  return {
    machineId(): string {
      const existing = fs.existsSync(file('machine-id')) ? fs.readFileSync(file('machine-id'), 'utf8').trim() : '';
      if (existing) return existing;
      const id = randomUUID();
      fs.mkdirSync(home, { recursive: true, mode: 0o700 });
      fs.writeFileSync(file('machine-id'), `${id}\n`);
      return id;
    },
    activation: () => readJson<Activation>('activation.json'),
    saveActivation: (activation: Activation) => writeJson('activation.json', activation),
    forgetActivation: () => fs.rmSync(file('activation.json'), { force: true }),
    jwks: () => readJson<JSONWebKeySet>('jwks.json'),
    saveJwks: (jwks: JSONWebKeySet) => writeJson('jwks.json', jwks),
  };
}

export async function main(argv: string[], environment: NodeJS.ProcessEnv = process.env, output: Output = consoleOutput): Promise<number> {
  const [command, ...rest] = argv;
  const serverUrl = environment.ALLOT_SERVER_URL ?? 'http://localhost:3000';
  const productCode = environment.ALLOT_PRODUCT ?? 'demo';
  const local = store(environment);
  const machineId = local.machineId();
  const machine = { machineId, machineName: environment.ALLOT_MACHINE_NAME ?? os.hostname(), productVersion: VERSION };

  type Check = { licensed: true; activation: Activation } | { licensed: false; exitCode: number };

  /** Verifies the saved ticket offline; refreshes it online when it nears expiry (or `force`). */
  async function checkLicense({ force }: { force: boolean }): Promise<Check> {
    let activation = local.activation();
    if (!activation) {
      output.err('This machine is not activated. Run: allot-demo-product activate');
      return { licensed: false, exitCode: EXIT.notLicensed };
    }
    if (force || needsRefresh(activation)) {
      try {
        activation = await refresh(activation, { productVersion: VERSION });
        local.saveActivation(activation);
        local.saveJwks(await fetchJwks(activation.serverUrl));
      } catch (error) {
        if (error instanceof AllotError && FINAL_REFUSALS.has(error.code)) {
          local.forgetActivation();
          output.err(`License refused by the server: ${error.message} (${error.code})`);
          return { licensed: false, exitCode: EXIT.notLicensed };
        }
        // Offline is fine while the saved ticket lasts (an offline code that cannot be redeemed
        // online, OFFLINE_CODE_SUPERSEDED, included).
        output.err(`Could not refresh the license (${error instanceof AllotError ? error.code : 'error'}): ${(error as Error).message}`);
        if (force) return { licensed: false, exitCode: EXIT.error };
      }
    }
    let jwks = local.jwks();
    if (!jwks) {
      output.err('No public keys saved to check the license with. Run: allot-demo-product refresh');
      return { licensed: false, exitCode: EXIT.notLicensed };
    }
    try {
      try {
        await verifyOffline(activation.ticket, jwks, { productCode: activation.productCode, machineId });
      } catch (error) {
        // The server rotated its key since the keys were saved: fetch them once, if online.
        if (!(error instanceof AllotError && error.code === 'TICKET_UNKNOWN_KEY')) throw error;
        jwks = await fetchJwks(activation.serverUrl);
        local.saveJwks(jwks);
        await verifyOffline(activation.ticket, jwks, { productCode: activation.productCode, machineId });
      }
      return { licensed: true, activation };
    } catch (error) {
      output.err(`The saved license is not valid here: ${(error as Error).message} (${(error as AllotError).code})`);
      return { licensed: false, exitCode: EXIT.notLicensed };
    }
  }

  try {
    switch (command) {
      case 'activate': {
        const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, 'app-password': { type: 'string' } } });
        const email = values.email ?? environment.ALLOT_EMAIL;
        const appPassword = values['app-password'] ?? environment.ALLOT_APP_PASSWORD;
        const password = environment.ALLOT_PASSWORD;
        let activation: Activation;
        if (email && appPassword) {
          activation = await activate({ serverUrl, productCode, ...machine, credentials: { method: 'app_password', email, appPassword } });
        } else if (email && password) {
          activation = await activate({ serverUrl, productCode, ...machine, credentials: { method: 'password', email, password } });
        } else {
          activation = await deviceLogin({
            serverUrl,
            productCode,
            ...machine,
            onCode: (code) => {
              output.out(`To activate, open ${code.verificationUriComplete}`);
              output.out(`or go to ${code.verificationUri} and enter the code ${code.userCode}`);
              output.out('Waiting for approval…');
            },
          });
        }
        local.saveActivation(activation);
        local.saveJwks(await fetchJwks(serverUrl));
        output.out(`Activated ${activation.license.productName} for ${activation.licensee.email} (${activation.license.organizationName}).`);
        output.out(`License valid until ${activation.license.validUntil}; this ticket is good until ${activation.expiresAt}.`);
        return EXIT.ok;
      }

      case 'status': {
        output.out(`Machine ID: ${machineId}`);
        const activation = local.activation();
        const jwks = local.jwks();
        if (!activation || !jwks) {
          output.out('Not activated.');
          return EXIT.notLicensed;
        }
        try {
          const claims = await verifyOffline(activation.ticket, jwks, { productCode: activation.productCode, machineId });
          output.out(`Licensed: ${claims.product.name} for ${claims.licensee.email} (${claims.organization.name})`);
          output.out(`Ticket (${claims.kind}) valid until ${new Date(claims.exp * 1000).toISOString()}; license valid until ${claims.license.validUntil}`);
          return EXIT.ok;
        } catch (error) {
          output.out(`Not licensed: ${(error as Error).message} (${(error as AllotError).code})`);
          return EXIT.notLicensed;
        }
      }

      case 'refresh': {
        const check = await checkLicense({ force: true });
        if (!check.licensed) return check.exitCode;
        output.out(`Refreshed: the ticket is good until ${check.activation.expiresAt}.`);
        return EXIT.ok;
      }

      case 'run': {
        const check = await checkLicense({ force: false });
        if (!check.licensed) {
          output.err('allot-demo-product will not run without a valid license.');
          return EXIT.notLicensed;
        }
        output.out(`allot-demo-product ${VERSION} is running, licensed to ${check.activation.licensee.email}.`);
        return EXIT.ok;
      }

      case 'use-offline-code': {
        const { values, positionals } = parseArgs({ args: rest, options: { jwks: { type: 'string' } }, allowPositionals: true });
        const code = positionals[0]?.trim();
        if (!code) {
          output.err(usage);
          return EXIT.usage;
        }
        // A real product ships its vendor's public keys inside the build and trusts nothing else;
        // the demo works with any Allot server, so it takes them from a file you copy from
        // <server>/.well-known/jwks.json (or the keys it saved when it was last online).
        let jwks: JSONWebKeySet | undefined;
        try {
          jwks = values.jwks ? (JSON.parse(fs.readFileSync(values.jwks, 'utf8')) as JSONWebKeySet) : local.jwks();
        } catch (error) {
          output.err(`Cannot read the public keys from ${values.jwks}: ${(error as Error).message}`);
          return EXIT.usage;
        }
        if (!jwks) {
          output.err(`No public keys to check the code with: copy ${serverUrl}/.well-known/jwks.json to this machine and pass --jwks FILE.`);
          return EXIT.usage;
        }
        const claims = await verifyOffline(code, jwks, { productCode, machineId });
        local.saveJwks(jwks);
        local.saveActivation({
          serverUrl: claims.iss,
          productCode,
          machineId,
          ticket: code,
          refreshToken: null,
          expiresAt: new Date(claims.exp * 1000).toISOString(),
          activationId: claims.jti,
          license: {
            id: claims.license.id,
            productCode: claims.product.code,
            productName: claims.product.name,
            organizationName: claims.organization.name,
            validUntil: claims.license.validUntil,
          },
          licensee: { email: claims.licensee.email, name: claims.licensee.name },
        });
        output.out(`Offline code accepted: ${claims.product.name} for ${claims.licensee.email}, valid until ${new Date(claims.exp * 1000).toISOString()}.`);
        return EXIT.ok;
      }

      case undefined:
      case 'help':
      case '--help':
        output.out(usage);
        return command === undefined ? EXIT.usage : EXIT.ok;

      default:
        output.err(`Unknown command "${command}".\n\n${usage}`);
        return EXIT.usage;
    }
  } catch (error) {
    if (error instanceof AllotError) {
      output.err(`${error.message} (${error.code})`);
      return FINAL_REFUSALS.has(error.code) || error.code.startsWith('TICKET_') ? EXIT.notLicensed : EXIT.error;
    }
    if (error instanceof TypeError && /parseArgs|ERR_PARSE_ARGS/.test(String((error as { code?: string }).code))) {
      output.err(usage);
      return EXIT.usage;
    }
    throw error;
  }
}
