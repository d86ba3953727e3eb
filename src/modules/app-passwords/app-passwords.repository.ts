import { randomUUID } from 'node:crypto';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';

export type AppPassword = { id: string; name: string; hint: string; createdAt: Date; lastUsedAt: Date | null };

export const appPasswordsRepository = {
  async insert(executor: Executor, input: { userId: string; name: string; secretHash: string; hint: string; now: Date }): Promise<AppPassword> {
    const id = randomUUID();
    await executor
      .insertInto('app_passwords')
      .values({ id, user_id: input.userId, name: input.name, secret_hash: input.secretHash, hint: input.hint, created_at: toDbTime(input.now) })
      .execute();
    return { id, name: input.name, hint: input.hint, createdAt: input.now, lastUsedAt: null };
  },

  async listForUser(executor: Executor, userId: string): Promise<AppPassword[]> {
    const rows = await executor
      .selectFrom('app_passwords')
      .select(['id', 'name', 'hint', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      hint: row.hint,
      createdAt: fromDbTime(row.created_at),
      lastUsedAt: fromDbTimeOrNull(row.last_used_at),
    }));
  },

  async deleteForUser(executor: Executor, { userId, id }: { userId: string; id: string }): Promise<AppPassword | undefined> {
    const row = await executor
      .deleteFrom('app_passwords')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .returning(['id', 'name', 'hint', 'created_at', 'last_used_at'])
      .executeTakeFirst();
    return row && { id: row.id, name: row.name, hint: row.hint, createdAt: fromDbTime(row.created_at), lastUsedAt: fromDbTimeOrNull(row.last_used_at) };
  },

  async deleteAllForUser(executor: Executor, userId: string): Promise<number> {
    const result = await executor.deleteFrom('app_passwords').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  /** The owner of an app password, if the secret is known and belongs to this address. */
  async findOwner(executor: Executor, { secretHash, email }: { secretHash: string; email: string }): Promise<{ id: string; userId: string } | undefined> {
    return executor
      .selectFrom('app_passwords')
      .innerJoin('users', 'users.id', 'app_passwords.user_id')
      .select(['app_passwords.id', 'app_passwords.user_id as userId'])
      .where('app_passwords.secret_hash', '=', secretHash)
      .where('users.email', '=', email)
      .executeTakeFirst();
  },

  async markUsed(executor: Executor, id: string, now: Date): Promise<void> {
    await executor
      .updateTable('app_passwords')
      .set({ last_used_at: toDbTime(now) })
      .where('id', '=', id)
      .execute();
  },
};
