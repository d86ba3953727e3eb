import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Sessions now keep only a digest of their token (auth/session-tokens.ts). Sessions made before
 * keep working: their stored token becomes its digest, and the browser's cookie still holds the
 * token itself. (The digest is written out here because migrations never import app code.)
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const sessions: Array<{ id: string; token: string }> = await db.selectFrom('sessions').select(['id', 'token']).execute();
  for (const session of sessions) {
    const digest = createHash('sha256').update(session.token).digest('base64url');
    await db.updateTable('sessions').set({ token: digest }).where('id', '=', session.id).execute();
  }
}
