import { fromDbBool } from '../db/column-types.js';
import type { Executor } from '../db/database.js';

export type PasswordAccount = { userId: string; email: string; name: string; emailVerified: boolean; twoFactorEnabled: boolean; passwordHash: string | null };

/** A user with their Better Auth credential (password hash), for the places that check a password outside Better Auth's own routes. */
export const credentialsRepository = {
  async findPasswordAccount(executor: Executor, by: { email: string } | { userId: string }): Promise<PasswordAccount | undefined> {
    const row = await executor
      .selectFrom('users')
      .leftJoin('accounts', (join) => join.onRef('accounts.user_id', '=', 'users.id').on('accounts.provider_id', '=', 'credential'))
      .select(['users.id', 'users.email', 'users.name', 'users.email_verified', 'users.two_factor_enabled', 'accounts.password'])
      .where((eb) => ('email' in by ? eb('users.email', '=', by.email) : eb('users.id', '=', by.userId)))
      .executeTakeFirst();
    return (
      row && {
        userId: row.id,
        email: row.email,
        name: row.name,
        emailVerified: fromDbBool(row.email_verified),
        twoFactorEnabled: fromDbBool(row.two_factor_enabled),
        passwordHash: row.password,
      }
    );
  },
};
