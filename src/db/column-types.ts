import { sql, type ColumnDataType, type ColumnDefinitionBuilder, type Expression, type RawBuilder } from 'kysely';
import type { Dialect } from './database.js';

/**
 * Column types per dialect, so one migration set serves SQLite and PostgreSQL.
 * SQLite keeps timestamps as ISO-8601 text in UTC (the same form Better Auth writes), which
 * sorts and compares correctly as text; PostgreSQL uses timestamptz.
 */
export function columnTypes(dialect: Dialect) {
  const postgres = dialect === 'postgres';
  return {
    id: (postgres ? 'uuid' : 'text') as ColumnDataType,
    timestamp: (postgres ? 'timestamptz' : 'date') as ColumnDataType,
    boolean: (postgres ? 'boolean' : 'integer') as ColumnDataType,
    bigint: (postgres ? 'bigint' : 'integer') as ColumnDataType,
    json: (postgres ? 'jsonb' : 'text') as ColumnDataType,
    /** Default for "created at" columns, in the stored form of each dialect. */
    now: (postgres ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`) as RawBuilder<unknown>,
    false: (postgres ? sql`false` : sql`0`) as Expression<unknown>,
    /** A UUID primary key; PostgreSQL fills it in when the writer (Better Auth) leaves it out. */
    primaryId: (column: ColumnDefinitionBuilder) => (postgres ? column.primaryKey().defaultTo(sql`gen_random_uuid()`) : column.primaryKey()),
  };
}

/** Values as both drivers accept them: ISO text for instants, 1/0 for booleans (PostgreSQL reads '1'/'0' as booleans). */
export const toDbTime = (date: Date): string => date.toISOString();
export const fromDbTime = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
export const fromDbTimeOrNull = (value: Date | string | null): Date | null => (value === null ? null : fromDbTime(value));
export const toDbBool = (value: boolean): number => (value ? 1 : 0);
export const fromDbBool = (value: boolean | number | null): boolean => Boolean(value);
/** PostgreSQL returns COUNT and bigint as strings. */
export const fromDbCount = (value: string | number | bigint | null): number => Number(value ?? 0);
