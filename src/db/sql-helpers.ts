import { sql, type RawBuilder } from 'kysely';

/** LIKE treats % and _ as wildcards; a search for them must match them literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Case-insensitive "contains", the same on both dialects (PostgreSQL's LIKE is case-sensitive). */
export function containsIgnoringCase(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like ${`%${escapeLike(text.toLowerCase())}%`} escape '\\'`;
}

/** A condition no row meets: what `column IN ()` would mean, which SQL cannot say. */
export const nothing = sql<boolean>`1 = 0`;
