import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';
import { openDatabase, type Database, type Dialect } from '../../src/db/database.js';

/** Every integration suite runs once per dialect. */
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabase = {
  dialect: Dialect;
  /** What the server under test should connect to. */
  config: DatabaseConfig;
  /** PostgreSQL: the schema this test owns. */
  searchPath?: string;
  open(): Database;
  drop(): Promise<void>;
};

/**
 * A fresh, empty database for one test file: a temp SQLite file, or a PostgreSQL schema of its
 * own, so files run in parallel and leave nothing behind.
 */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const suffix = randomBytes(6).toString('hex');
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-test-'));
    const config: DatabaseConfig = { dialect: 'sqlite', file: path.join(dir, 'allot.db') };
    return {
      dialect,
      config,
      open: () => openDatabase(config),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `test_${suffix}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const config: DatabaseConfig = { dialect: 'postgres', connectionString: withSearchPath(TEST_DATABASE_URL, schema) };
  return {
    dialect,
    config,
    searchPath: schema,
    open: () => openDatabase(config),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** libpq's `options` parameter sets the search path for every pooled connection. */
function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** Every row of every table as text, as a database dump would hold it (both dialects). */
export async function dumpAllRows(database: Database): Promise<string> {
  const { sql } = await import('kysely');
  const tables =
    database.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(database.db)).rows.map((row) => row.name)
      : (
          await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(database.db)
        ).rows.map((row) => row.name);
  const parts: string[] = [];
  for (const table of tables) {
    const rows = (await sql`select * from ${sql.table(table)}`.execute(database.db)).rows;
    parts.push(`-- ${table}\n${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}
