import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import pino from 'pino';
import { composeServices } from '../compose.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { AppError } from '../errors.js';
import { resolveAuthSecret } from '../instance-secret.js';

const usage = `Usage: allot <command> [options]

Commands:
  migrate                           apply pending database migrations
  setup --org NAME --admin EMAIL    create the first organization and name its admin (also the operator)
  backup FILE                       copy the SQLite database to FILE while the server runs
                                    (for PostgreSQL, prints the pg_dump command to use)

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
      const database = openDatabase(config.database);
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
      const database = openDatabase(config.database);
      try {
        await migrateToLatest(database.db, database.dialect);
        const services = composeServices({ config: { ...config, authSecret: resolveAuthSecret(config) }, database, logger: pino({ level: 'silent' }) });
        const result = await services.setup.completeFromShell({ organizationName: values.org.trim(), adminEmail: values.admin });
        output.out(`Created organization "${result.organization.name}".`);
        output.out(
          result.adminAccountExists
            ? `${result.adminEmail} is now its administrator and the instance operator.`
            : `${result.adminEmail} becomes its administrator and the instance operator after signing up at ${config.baseUrl}/sign-up and verifying the address.`,
        );
        return 0;
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

const defaultOutput: Output = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
