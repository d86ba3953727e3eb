/**
 * `npm run sql`: the SQL every repository method sends, for both dialects, written to docs/sql/
 * (as immich does with its query snapshots), so a review shows what a change does to the
 * database. test/unit/sql-snapshots.test.ts fails when the committed files are stale.
 *
 * Each method is called against a Kysely instance whose driver records the SQL and answers no
 * rows; its arguments are samples chosen by parameter name (an id, a date, a list…), read from
 * the method's own source, so a new method needs no entry here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import type { Dialect } from '../src/db/database.js';
import type { Tables } from '../src/db/tables.js';
import { credentialsRepository } from '../src/auth/credentials.repository.js';
import { rateLimitsRepository } from '../src/auth/rate-limits.repository.js';
import { sessionsRepository } from '../src/auth/sessions.repository.js';
import { outboxRepository } from '../src/mail/outbox.repository.js';
import { accessRepository } from '../src/modules/access/access.repository.js';
import { activationsRepository } from '../src/modules/activations/activations.repository.js';
import { adminsRepository } from '../src/modules/admins/admins.repository.js';
import { appPasswordsRepository } from '../src/modules/app-passwords/app-passwords.repository.js';
import { auditRepository } from '../src/modules/audit/audit.repository.js';
import { invitationsRepository } from '../src/modules/invitations/invitations.repository.js';
import { licensesRepository } from '../src/modules/licenses/licenses.repository.js';
import { ordersRepository } from '../src/modules/orders/orders.repository.js';
import { organizationsRepository } from '../src/modules/organizations/organizations.repository.js';
import { productsRepository } from '../src/modules/products/products.repository.js';
import { setupRepository } from '../src/modules/setup/setup.repository.js';
import { signingKeysRepository } from '../src/modules/signing-keys/signing-keys.repository.js';
import { teamsRepository } from '../src/modules/teams/teams.repository.js';
import { accountsRepository } from '../src/modules/accounts/accounts.repository.js';
import { seatsRepository } from '../src/modules/seats/seats.repository.js';
import { usageRepository } from '../src/modules/usage/usage.repository.js';

export const SNAPSHOT_DIR = fileURLToPath(new URL('../docs/sql', import.meta.url));

const identity = { seal: (text: string) => text, unseal: (text: string) => text };

/** Every repository, by the name its snapshot file takes. */
function repositories(dialect: Dialect): Record<string, object> {
  return {
    credentials: credentialsRepository,
    'rate-limits': rateLimitsRepository,
    sessions: sessionsRepository,
    outbox: outboxRepository(dialect, identity),
    access: accessRepository,
    activations: activationsRepository(dialect),
    admins: adminsRepository(dialect),
    'app-passwords': appPasswordsRepository,
    audit: auditRepository,
    invitations: invitationsRepository(dialect),
    licenses: licensesRepository(dialect),
    orders: ordersRepository,
    organizations: organizationsRepository,
    products: productsRepository,
    setup: setupRepository,
    'signing-keys': signingKeysRepository,
    teams: teamsRepository,
    accounts: accountsRepository(dialect),
    seats: seatsRepository,
    usage: usageRepository,
  };
}

/** A driver that records each statement and answers with no rows. */
function recordingDb(dialect: Dialect, statements: string[]): Kysely<Tables> {
  const connection: DatabaseConnection = {
    async executeQuery(query) {
      statements.push(query.sql);
      return { rows: [], numAffectedRows: 0n };
    },
    streamQuery(query) {
      statements.push(query.sql);
      return (async function* () {})();
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  return new Kysely<Tables>({
    dialect:
      dialect === 'postgres'
        ? {
            createAdapter: () => new PostgresAdapter(),
            createDriver: () => driver,
            createIntrospector: (db) => new PostgresIntrospector(db),
            createQueryCompiler: () => new PostgresQueryCompiler(),
          }
        : {
            createAdapter: () => new SqliteAdapter(),
            createDriver: () => driver,
            createIntrospector: (db) => new SqliteIntrospector(db),
            createQueryCompiler: () => new SqliteQueryCompiler(),
          },
  });
}

const SAMPLE_DATE = new Date('2030-01-31T12:00:00.000Z');
const SAMPLE_ID = '00000000-0000-4000-8000-000000000001';

/** A sample value for a parameter or (`asProperty`) an options property, by its name. */
function sampleFor(name: string, { asProperty = false } = {}): unknown {
  const lower = name.toLowerCase();
  if (lower === 'visibleteamids' || lower === 'visibleteams') return 'all';
  // As an option, a keyset cursor (the row to continue after); as a parameter, a date.
  if (asProperty && (lower === 'before' || lower === 'after')) return sampleObject();
  if (lower === 'ids' && name === 'ids') return [SAMPLE_ID];
  if (lower.endsWith('ids') || lower === 'emails' || lower === 'domains' || lower === 'alloweddomains') return [SAMPLE_ID];
  if (lower === 'messages' || lower === 'events' || lower === 'deltas') return [sampleObject()];
  if (/^(now|cutoff|before|after|from|to|since)$/.test(lower) || /(at|until|before|since)$/.test(lower)) return SAMPLE_DATE;
  if (/(limit|count|quantity|ms|attempts|days|machinelimit|maxclaims|sign|beforeid)$/.test(lower)) return 5;
  if (/^(lock|enabled|operator|emailverified)$/.test(lower)) return true;
  if (lower === 'email' || lower.endsWith('email')) return 'someone@example.test';
  if (lower === 'secrets') return { current: 'hash-1', previous: 'hash-2', older: null };
  if (lower === 'by') return { email: 'someone@example.test' };
  if (
    /^(filters|input|grant|changes|invitation|message|claim|item|order|key|row|account|product|team|organization|options|activation|authorization|user|license)$/.test(
      lower,
    )
  )
    return sampleObject();
  return lower.endsWith('id') || lower === 'id' ? SAMPLE_ID : `sample-${name}`;
}

/** An object whose every property is a sample (a destructured or options parameter). */
function sampleObject(): Record<string, unknown> {
  return new Proxy({} as Record<string, unknown>, {
    get: (_target, property) =>
      typeof property === 'string' && property !== 'then' && property !== 'toJSON' ? sampleFor(property, { asProperty: true }) : undefined,
    has: () => true,
  });
}

/** The parameters after the executor, from the method's source: names, or a destructuring pattern. */
function sampleArguments(method: (...args: never[]) => unknown): unknown[] {
  const source = method.toString();
  const open = source.indexOf('(');
  let depth = 0;
  let close = open;
  for (let index = open; index < source.length; index++) {
    if ('({['.includes(source[index]!)) depth++;
    if (')}]'.includes(source[index]!)) depth--;
    if (depth === 0) {
      close = index;
      break;
    }
  }
  const parameters: string[] = [];
  let current = '';
  depth = 0;
  for (const char of source.slice(open + 1, close)) {
    if ('({['.includes(char)) depth++;
    if (')}]'.includes(char)) depth--;
    if (char === ',' && depth === 0) {
      parameters.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim()) parameters.push(current.trim());
  return parameters.slice(1).map((parameter) => {
    if (parameter.startsWith('{')) return sampleObject();
    const name = parameter.split('=')[0]!.trim();
    return sampleFor(name);
  });
}

/** The statements of every repository method, per repository, as the snapshot files hold them. */
export async function generateSqlSnapshots(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const dialect of ['sqlite', 'postgres'] as const) {
    for (const [name, repository] of Object.entries(repositories(dialect))) {
      const sections: string[] = [];
      for (const [methodName, method] of Object.entries(repository).sort(([a], [b]) => a.localeCompare(b))) {
        // Methods that take a group-commit batch instead of an executor send nothing themselves.
        if (typeof method !== 'function' || /^(\w+)?\s*\(batch/.test(method.toString().replace(/^async /, ''))) continue;
        const statements: string[] = [];
        const db = recordingDb(dialect, statements);
        const parameters = sampleArguments(method as (...args: never[]) => unknown);
        try {
          await (method as (...args: unknown[]) => unknown).call(repository, db, ...parameters);
        } catch (error) {
          // With no rows to answer, a method may stop early (…OrThrow): what it sent so far is what it sends.
          if (process.env.SQL_SNAPSHOT_DEBUG) console.error(name, methodName, error);
        }
        if (statements.length === 0) continue;
        sections.push(`-- ${name}.${methodName}\n${statements.map((statement) => `${statement};`).join('\n')}`);
      }
      files[`${name}.${dialect}.sql`] =
        `-- Generated by \`npm run sql\` (scripts/sql-snapshots.ts): the SQL each repository method sends.\n\n${sections.join('\n\n')}\n`;
    }
  }
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await generateSqlSnapshots();
  fs.rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
  fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(SNAPSHOT_DIR, file), content);
  console.log(`Wrote ${Object.keys(files).length} files to docs/sql/.`);
}
