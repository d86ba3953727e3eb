import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Tables } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Tables>;
/** Repositories take either the database or an open transaction. */
export type Executor = Kysely<Tables> | Transaction<Tables>;

export type Database = {
  db: Db;
  dialect: Dialect;
  /** Cheap round trip used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

export type DatabaseOptions = DatabaseConfig & {
  poolSize?: number;
  /**
   * PostgreSQL: how long one query may wait for its answer before its connection is given up
   * (0: no limit, for migrations). A network partition drops packets without refusing anything;
   * without this bound, requests on open connections would hang for the whole partition.
   */
  queryTimeoutMs?: number;
  /** PostgreSQL: run the application's statements prepared (see StatementNames); default on. */
  preparedStatements?: boolean;
};

/** Long enough for any query a request makes; short enough that a partition answers 503 quickly. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

export function openDatabase(options: DatabaseOptions): Database {
  return options.dialect === 'sqlite' ? openSqlite(options.file) : openPostgres(options);
}

function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers run beside the single writer; FULL makes a committed claim survive power loss.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Names for the statements PostgreSQL may keep prepared, one per SQL text, shared by every
 * connection (each prepares a name the first time it runs it). Preparing once per connection
 * saves the server parsing each statement again; plans are still made per execution (see
 * `plan_cache_mode` below), docs/PERFORMANCE.md has the figures.
 */
class StatementNames {
  readonly #names = new Map<string, string>();
  constructor(private readonly capacity: number) {}

  /**
   * Only the application's own data statements are named: DDL (migrations) and `*` selections
   * are not, since a prepared `SELECT *` fails once a migration on another instance changes the
   * table's columns; nor texts with long IN lists, which are one-offs. Past the capacity, texts
   * run unnamed, so the statements a connection keeps stay bounded.
   */
  nameFor(text: string, parameterCount: number): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined) return known;
    if (this.#names.size >= this.capacity || parameterCount > 64 || !/^\s*(select|insert|update|delete|with)\b/i.test(text) || SELECTS_ALL.test(text)) {
      return undefined;
    }
    const name = `allot_${this.#names.size + 1}`;
    this.#names.set(text, name);
    return name;
  }
}

/** `*`, `"t".*` or `returning *`, not `count(*)`. */
const SELECTS_ALL = /(?:^|[\s,])(?:"[^"]+"\.)?\*(?=[\s,)]|$)/;

/** pg's client-side query timeout rejects the query but leaves the connection waiting for its answer. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * A pg client that gives up its connection when a query's answer does not come in time, so the
 * pool replaces it instead of handing out a connection stuck behind a lost answer (and a
 * transaction's ROLLBACK fails at once rather than waiting out a second timeout). With
 * `statementNames`, the texts Kysely sends run as named (prepared) statements.
 */
function boundedClient(statementNames: StatementNames | undefined): typeof pg.Client {
  return class BoundedClient extends pg.Client {
    // pg.Client.query has a dozen overloads; this forwards whichever was called, unchanged
    // except that a (text, values) call may become a named statement.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: unknown[]): any {
      const [text, values] = args;
      const name =
        statementNames && typeof text === 'string' && Array.isArray(values) && args.length === 2 ? statementNames.nameFor(text, values.length) : undefined;
      const forwarded = name ? [{ name, text, values }] : args;
      const result = (super.query as (...parameters: unknown[]) => unknown)(...forwarded);
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          if (error instanceof Error && error.message === QUERY_READ_TIMEOUT)
            (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        });
      }
      return result;
    }
  };
}

/**
 * Kysely's SQLite driver prepares every statement anew, and compiling SQL was a tenth of a claim's
 * CPU. The same SQL text gets the same prepared statement back (better-sqlite3 statements are
 * reusable), except one still busy streaming rows, which gets a fresh one.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, capacity = 1_000): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver) as unknown;
      return (source: string) => {
        const cached = cache.get(source);
        if (cached && !cached.busy) return cached;
        const statement = prepare(source);
        if (!cached) {
          if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
          cache.set(source, statement);
        }
        return statement;
      };
    },
  });
}

function openPostgres(options: { connectionString: string; poolSize?: number; queryTimeoutMs?: number; preparedStatements?: boolean }): Database {
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const prepared = options.preparedStatements !== false;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    // A new connection gets no longer than a query would: a partition also swallows connects.
    connectionTimeoutMillis: queryTimeoutMs > 0 ? Math.min(Math.max(queryTimeoutMs, 1_000), 5_000) : 5_000,
    Client: boundedClient(prepared ? new StatementNames(2_000) : undefined),
    // Dead peers on idle connections are noticed by the kernel, not at the next query.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(queryTimeoutMs > 0
      ? {
          query_timeout: queryTimeoutMs,
          // The server side of the same bound: a statement stops running, and a session whose
          // client vanished mid-transaction gives up its row locks instead of holding them.
          statement_timeout: queryTimeoutMs,
          idle_in_transaction_session_timeout: Math.max(queryTimeoutMs * 3, 30_000),
        }
      : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // A checked-out client has no listener of the pool's: pg then emits its connection error
  // (ECONNRESET mid-query) as an unhandled 'error' event, which would kill the process. The query
  // itself still rejects, and the pool discards the broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    // A kept statement still gets a plan for its values each time: with generic plans, made for no
    // value in particular, the license list filtered by order reference was twice as slow.
    // pg runs a client's queries in order, so this comes before the first. (PostgreSQL 12 and later.)
    if (prepared) client.query('set plan_cache_mode = force_custom_plan').catch(() => {});
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** Errors that mean "the database is not reachable", as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  const message = String((error as { message?: unknown }).message ?? '');
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
    // PostgreSQL classes 08 (connection exception) and 57P (operator intervention: shutdown).
    if (code.startsWith('08') || code.startsWith('57P')) return true;
    // statement_timeout: the database took too long to answer; a retry may well succeed.
    if (code === '57014') return true;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR') return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|not queryable/i.test(
    message,
  );
}

/** A UNIQUE constraint rejected the write (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
