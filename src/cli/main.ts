import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import pino from 'pino';
import { composeServices, type Services } from '../compose.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { AppError } from '../errors.js';
import { cliActor } from '../modules/access/actor.js';
import type { Database } from '../db/database.js';
import fs from 'node:fs';
import { resolveAuthSecret } from '../instance-secret.js';
import { restoreSqlite } from './restore.js';

const usage = `Usage: allot <command> [options]

Commands:
  migrate                           apply pending database migrations
  setup --org NAME --admin EMAIL    create the first organization and name its admin (also the operator)
  backup FILE                       copy the SQLite database to FILE while the server runs
                                    (for PostgreSQL, prints the pg_dump command to use)
  operators add EMAIL               make the account with EMAIL an operator (after it verifies the address)
  restore FILE                      replace the SQLite database with a backup (the server must be stopped;
                                    for PostgreSQL, prints the pg_restore command to use)
  tokens create --operator [--name NAME]
                                    create an operator API token for POST /api/v1/orders (printed once)
  tokens list                       list operator API tokens: id, name, created, last used, revoked
  tokens revoke ID                  revoke an operator API token; its next request is refused
  mail list                         the newest messages in the outbox, with their status
  mail show ID                      print one waiting message (its links too): for instances without SMTP
  orders import FILE.csv            place orders from a CSV file with the header
                                    reference,organization,product,quantity,valid_until,team,renews
  keys rotate                       add a new license-ticket signing key; older keys keep verifying
                                    the tickets they signed until those expire

Configuration comes from the same environment variables as the server (see README).`;

type Output = { out(line: string): void; err(line: string): void };

/** Runs one CLI command; returns the process exit code. Exported so tests call it in-process. */
export async function runCli(argv: string[], environment: NodeJS.ProcessEnv = process.env, output: Output = defaultOutput): Promise<number> {
  const [command, ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) {
      output.err(error.message);
      return 1;
    }
    throw error;
  }

  switch (command) {
    case 'migrate': {
      const database = openDatabase({ ...config.database, queryTimeoutMs: 0, preparedStatements: false });
      try {
        const applied = await migrateToLatest(database.db, database.dialect);
        output.out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
        return 0;
      } finally {
        await database.close();
      }
    }

    case 'setup': {
      let values: { org?: string | undefined; admin?: string | undefined };
      try {
        ({ values } = parseArgs({ args: rest, options: { org: { type: 'string' }, admin: { type: 'string' } } }));
      } catch {
        values = {};
      }
      if (!values.org?.trim() || !values.admin || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.admin)) {
        output.err('allot setup needs --org NAME and --admin EMAIL');
        return 2;
      }
      const { org, admin } = values;
      return withServices(config, output, async (services) => {
        const result = await services.setup.completeFromShell({ organizationName: org.trim(), adminEmail: admin });
        output.out(`Created organization "${result.organization.name}".`);
        output.out(
          result.adminAccountExists
            ? `${result.adminEmail} is now its administrator and the instance operator.`
            : `${result.adminEmail} becomes its administrator and the instance operator after signing up at ${config.baseUrl}/sign-up and verifying the address.`,
        );
        return 0;
      });
    }

    case 'backup': {
      const [file] = rest;
      if (!file) {
        output.err('allot backup needs a target FILE');
        return 2;
      }
      if (config.database.dialect === 'postgres') {
        output.out('PostgreSQL is backed up with its own tools. Run:');
        output.out(`  pg_dump --format=custom --file=${JSON.stringify(file)} ${JSON.stringify(config.database.connectionString)}`);
        return 0;
      }
      // SQLite's online backup API copies a consistent snapshot while the server keeps writing.
      const sqlite = new SqliteDatabase(config.database.file, { readonly: true, fileMustExist: true });
      try {
        await sqlite.backup(file);
        output.out(`Backed up ${config.database.file} to ${file}.`);
        return 0;
      } finally {
        sqlite.close();
      }
    }

    case 'restore': {
      const [file] = rest;
      if (!file) {
        output.err('allot restore needs the backup FILE');
        return 2;
      }
      if (config.database.dialect === 'postgres') {
        output.out('PostgreSQL is restored with its own tools. Stop every Allot instance, then run:');
        output.out(`  pg_restore --clean --if-exists --no-owner --dbname=${JSON.stringify(config.database.connectionString)} ${JSON.stringify(file)}`);
        return 0;
      }
      const result = restoreSqlite({ backupFile: file, databaseFile: config.database.file });
      if (!result.ok) {
        output.err(result.message);
        return 1;
      }
      output.out(`Restored ${config.database.file} from ${file}. The replaced database was kept as ${result.keptAs}.`);
      return 0;
    }

    case 'mail':
    case 'operators':
    case 'tokens':
    case 'orders':
    case 'keys':
      return withServices(config, output, async (services, database) => {
        const [sub, ...args] = rest;
        if (command === 'operators' && sub === 'add' && args[0]?.includes('@')) {
          const { appliedNow } = await services.grants.grantByEmail(database.db, { email: args[0], organizationId: null, role: null, operator: true });
          output.out(appliedNow ? `${args[0]} is now an operator.` : `${args[0]} becomes an operator once an account with this address is verified.`);
          return 0;
        }
        if (command === 'tokens' && sub === 'create') {
          const { values } = parseArgs({ args, options: { operator: { type: 'boolean' }, name: { type: 'string' } }, strict: false });
          if (!values.operator) {
            output.err(
              'The CLI makes operator tokens: allot tokens create --operator [--name NAME]. Organization tokens are made in the console (Settings → API tokens) or over the API.',
            );
            return 2;
          }
          const name = typeof values.name === 'string' ? values.name : `operator token ${new Date().toISOString().slice(0, 10)}`;
          const { token } = await services.apiTokens.createOperatorToken(cliActor, name);
          output.out(`Created operator API token "${name}". It is shown once; store it now:`);
          output.out(token);
          output.out('Use it as: Authorization: Bearer <token>');
          return 0;
        }
        if (command === 'tokens' && sub === 'list') {
          const tokens = await services.apiTokens.listOperatorTokens(cliActor);
          if (tokens.length === 0) output.out('No API tokens.');
          for (const token of tokens) {
            const used = token.lastUsedAt ? `last used ${token.lastUsedAt.toISOString()}` : 'never used';
            output.out(
              `${token.id}  ${token.scope}  "${token.name}"  created ${token.createdAt.toISOString()}  ${used}${token.revokedAt ? `  REVOKED ${token.revokedAt.toISOString()}` : ''}`,
            );
          }
          return 0;
        }
        if (command === 'tokens' && sub === 'revoke') {
          if (!args[0] || !/^[0-9a-f-]{36}$/i.test(args[0])) {
            output.err('allot tokens revoke needs the token id that `allot tokens list` shows');
            return 2;
          }
          await services.apiTokens.revokeOperatorToken(cliActor, args[0]);
          output.out(`Revoked API token ${args[0]}; its next request is refused.`);
          return 0;
        }
        if (command === 'mail' && sub === 'list') {
          for (const message of await services.mailer.listRecent(50)) {
            output.out(
              `${message.id}  ${message.status}  ${message.createdAt.toISOString()}  to ${message.to}  "${message.subject}"${message.body === 'erased' ? '  (body erased)' : ''}`,
            );
          }
          return 0;
        }
        if (command === 'mail' && sub === 'show' && /^\d+$/.test(args[0] ?? '')) {
          const message = await services.mailer.find(Number(args[0]));
          if (!message) {
            output.err(`No message ${args[0]}.`);
            return 1;
          }
          output.out(`To: ${message.to}\nSubject: ${message.subject}\nStatus: ${message.status}\n`);
          output.out(
            message.body === 'readable'
              ? message.text
              : `(The body is ${message.body === 'erased' ? 'erased: the message was delivered or given up' : 'sealed under another AUTH_SECRET'}.)`,
          );
          return 0;
        }
        if (command === 'keys' && sub === 'rotate') {
          await services.signingKeys.ensureKey();
          const { kid, retired } = await services.signingKeys.rotate(cliActor);
          output.out(`New signing key ${kid} signs license tickets from now on (running servers pick it up within 30 seconds).`);
          if (retired.length) output.out(`Retired ${retired.join(', ')}: still published in the JWKS until the last ticket it signed expires.`);
          return 0;
        }
        if (command === 'orders' && sub === 'import' && args[0]) {
          const results = await services.importOrders(cliActor, fs.readFileSync(args[0], 'utf8'));
          for (const result of results) {
            output.out(`line ${result.line} ${result.reference || '(no reference)'}: ${result.outcome}${result.message ? ` — ${result.message}` : ''}`);
          }
          const failed = results.filter((r) => r.outcome === 'failed').length;
          output.out(`${results.length - failed} of ${results.length} orders imported (${results.filter((r) => r.outcome === 'created').length} new).`);
          return failed > 0 ? 1 : 0;
        }
        output.err(usage);
        return 2;
      });

    case undefined:
    case 'help':
    case '--help':
      output.out(usage);
      return command === undefined ? 2 : 0;

    default:
      output.err(`Unknown command "${command}".\n\n${usage}`);
      return 2;
  }
}

/** Opens the database, migrates, wires the services, runs `work`, and always closes. */
async function withServices(config: Config, output: Output, work: (services: Services, database: Database) => Promise<number>): Promise<number> {
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db, database.dialect);
    const services = composeServices({ config: { ...config, authSecret: resolveAuthSecret(config) }, database, logger: pino({ level: 'silent' }) });
    return await work(services, database);
  } catch (error) {
    if (error instanceof AppError) {
      output.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

const defaultOutput: Output = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
