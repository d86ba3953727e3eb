import { fromDbBool, fromDbTime } from '../db/column-types.js';
import type { Executor } from '../db/database.js';
import { precompiled } from '../db/precompiled.js';

export type SessionUser = { id: string; name: string; email: string; emailVerified: boolean; twoFactorEnabled: boolean };
/** `isOperator` rides along with the session, so neither the console's roles nor the profile need a query for it. */
export type ActiveSession = { id: string; expiresAt: Date; user: SessionUser; isOperator: boolean };

/** Built and compiled once: every signed-in request runs it (db/precompiled.ts). */
const sessionByToken = precompiled((db, { token }: { token: string }) =>
  db
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
    .select((eb) => eb.exists(eb.selectFrom('operators').select('operators.user_id').whereRef('operators.user_id', '=', 'users.id')).as('is_operator'))
    .where('sessions.token', '=', token),
);

export const sessionsRepository = {
  /** The session, its user and whether they operate this instance, in one query on the unique token index. */
  async findByToken(executor: Executor, token: string): Promise<ActiveSession | undefined> {
    const [row] = await sessionByToken(executor, { token });
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
      isOperator: fromDbBool(row.is_operator as boolean | number),
    };
  },
};
