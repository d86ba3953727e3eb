import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/database.js';

/** `machineLimit`: how many machines may use one license of the product at once. */
export type Product = { id: string; code: string; name: string; description: string | null; machineLimit: number };
export type ProductChanges = { name?: string | undefined; description?: string | null | undefined; machineLimit?: number | undefined };

const columns = ['id', 'code', 'name', 'description', 'machine_limit as machineLimit'] as const;
export const DEFAULT_MACHINE_LIMIT = 2;

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
      .values({ id, code: product.code, name: product.name, description: product.description, machine_limit: product.machineLimit })
      .onConflict((conflict) => conflict.column('code').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? { id, ...product } : undefined;
  },

  async update(executor: Executor, id: string, changes: ProductChanges): Promise<Product | undefined> {
    const set = Object.fromEntries(
      Object.entries({ name: changes.name, description: changes.description, machine_limit: changes.machineLimit }).filter(([, value]) => value !== undefined),
    );
    if (Object.keys(set).length > 0) await executor.updateTable('products').set(set).where('id', '=', id).execute();
    return this.findById(executor, id);
  },
};
