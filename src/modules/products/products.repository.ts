import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/database.js';

export type Product = { id: string; code: string; name: string; description: string | null };

const columns = ['id', 'code', 'name', 'description'] as const;

export const productsRepository = {
  async list(executor: Executor): Promise<Product[]> {
    return executor.selectFrom('products').select(columns).orderBy('code').execute();
  },

  async findById(executor: Executor, id: string): Promise<Product | undefined> {
    return executor.selectFrom('products').select(columns).where('id', '=', id).executeTakeFirst();
  },

  async findByCode(executor: Executor, code: string): Promise<Product | undefined> {
    return executor.selectFrom('products').select(columns).where('code', '=', code).executeTakeFirst();
  },

  /** Undefined when the code is taken (the unique constraint decides, not a prior read). */
  async create(executor: Executor, product: Omit<Product, 'id'>): Promise<Product | undefined> {
    const id = randomUUID();
    const inserted = await executor
      .insertInto('products')
      .values({ id, ...product })
      .onConflict((conflict) => conflict.column('code').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? { id, ...product } : undefined;
  },

  async update(executor: Executor, id: string, changes: { name?: string | undefined; description?: string | null | undefined }): Promise<Product | undefined> {
    const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    if (Object.keys(set).length > 0) await executor.updateTable('products').set(set).where('id', '=', id).execute();
    return this.findById(executor, id);
  },
};
