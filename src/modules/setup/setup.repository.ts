import type { Executor } from '../../db/database.js';

export const setupRepository = {
  async addToken(executor: Executor, tokenHash: string): Promise<void> {
    await executor.insertInto('setup_tokens').values({ token_hash: tokenHash }).execute();
  },

  async tokenExists(executor: Executor, tokenHash: string): Promise<boolean> {
    const row = await executor.selectFrom('setup_tokens').select('token_hash').where('token_hash', '=', tokenHash).executeTakeFirst();
    return row !== undefined;
  },

  /**
   * Deletes every setup token and returns their hashes. One statement: of two setups racing,
   * the second finds the rows already gone, so only one can finish.
   */
  async consumeAllTokens(executor: Executor): Promise<string[]> {
    const rows = await executor.deleteFrom('setup_tokens').returning('token_hash').execute();
    return rows.map((row) => row.token_hash);
  },
};
