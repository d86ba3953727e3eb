import { fromDbBool, fromDbTime } from '../db/column-types.js';
import type { Executor } from '../db/database.js';

export type SessionUser = { id: string; name: string; email: string; emailVerified: boolean; twoFactorEnabled: boolean };
export type ActiveSession = { id: string; expiresAt: Date; user: SessionUser };

export const sessionsRepository = {
  /** The session and its user in one query on the unique token index. */
  async findByToken(executor: Executor, token: string): Promise<ActiveSession | undefined> {
    const row = await executor
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id as session_id',
        'sessions.expires_at',
        'users.id as user_id',
        'users.name',
        'users.email',
        'users.email_verified',
        'users.two_factor_enabled',
      ])
      .where('sessions.token', '=', token)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.session_id,
      expiresAt: fromDbTime(row.expires_at),
      user: {
        id: row.user_id,
        name: row.name,
        email: row.email,
        emailVerified: fromDbBool(row.email_verified),
        twoFactorEnabled: fromDbBool(row.two_factor_enabled),
      },
    };
  },
};
