import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { requireOperator, type Actor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import { DEFAULT_MACHINE_LIMIT, type Product, type ProductChanges, type productsRepository } from './products.repository.js';

/** The product catalog: operators curate it; everyone may read it (names and codes are not secret). */
export function productsService(deps: { db: Db; repo: typeof productsRepository; audit: Pick<typeof auditRepository, 'record'>; clock: Clock }) {
  return {
    list: (): Promise<Product[]> => deps.repo.list(deps.db),

    async create(actor: Actor, input: { code: string; name: string; description?: string | undefined; machineLimit?: number | undefined }): Promise<Product> {
      requireOperator(actor);
      return deps.db.transaction().execute(async (trx) => {
        const product = await deps.repo.create(trx, {
          code: input.code,
          name: input.name,
          description: input.description ?? null,
          machineLimit: input.machineLimit ?? DEFAULT_MACHINE_LIMIT,
        });
        if (!product) throw new AppError('PRODUCT_CODE_TAKEN');
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'product.created',
            targetType: 'product',
            targetId: product.id,
            organizationId: null,
            details: { code: product.code, name: product.name, machineLimit: product.machineLimit },
          },
          deps.clock.now(),
        );
        return product;
      });
    },

    async update(actor: Actor, id: string, changes: ProductChanges): Promise<Product> {
      requireOperator(actor);
      return deps.db.transaction().execute(async (trx) => {
        const product = await deps.repo.update(trx, id, changes);
        if (!product) throw new AppError('NOT_FOUND');
        await deps.audit.record(
          trx,
          actor,
          { action: 'product.updated', targetType: 'product', targetId: id, organizationId: null, details: changes },
          deps.clock.now(),
        );
        return product;
      });
    },
  };
}

export type ProductsService = ReturnType<typeof productsService>;
