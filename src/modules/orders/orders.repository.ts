import { randomUUID } from 'node:crypto';
import { fromDbTime, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';

export type Order = {
  id: string;
  reference: string;
  organizationId: string;
  organizationName: string;
  productId: string;
  productCode: string;
  productName: string;
  quantity: number;
  validUntil: Date;
  teamId: string | null;
  teamName: string | null;
  renewsOrderId: string | null;
  renewsReference: string | null;
  source: 'api' | 'console' | 'csv';
  createdAt: Date;
};

export type NewOrder = Omit<Order, 'id' | 'organizationName' | 'productCode' | 'productName' | 'teamName' | 'renewsReference' | 'createdAt'>;

function selectOrders(executor: Executor) {
  return executor
    .selectFrom('orders')
    .innerJoin('organizations', 'organizations.id', 'orders.organization_id')
    .innerJoin('products', 'products.id', 'orders.product_id')
    .leftJoin('teams', 'teams.id', 'orders.team_id')
    .leftJoin('orders as renewed', 'renewed.id', 'orders.renews_order_id')
    .select([
      'orders.id',
      'orders.reference',
      'orders.organization_id',
      'organizations.name as organization_name',
      'orders.product_id',
      'products.code as product_code',
      'products.name as product_name',
      'orders.quantity',
      'orders.valid_until',
      'orders.team_id',
      'teams.name as team_name',
      'orders.renews_order_id',
      'renewed.reference as renews_reference',
      'orders.source',
      'orders.created_at',
    ]);
}

type OrderRow = Awaited<ReturnType<ReturnType<typeof selectOrders>['executeTakeFirstOrThrow']>>;

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  reference: row.reference,
  organizationId: row.organization_id,
  organizationName: row.organization_name,
  productId: row.product_id,
  productCode: row.product_code,
  productName: row.product_name,
  quantity: row.quantity,
  validUntil: fromDbTime(row.valid_until),
  teamId: row.team_id,
  teamName: row.team_name,
  renewsOrderId: row.renews_order_id,
  renewsReference: row.renews_reference,
  source: row.source,
  createdAt: fromDbTime(row.created_at),
});

export const ordersRepository = {
  async findByReference(executor: Executor, reference: string): Promise<Order | undefined> {
    const row = await selectOrders(executor).where('orders.reference', '=', reference).executeTakeFirst();
    return row && toOrder(row);
  },

  async findById(executor: Executor, id: string): Promise<Order | undefined> {
    const row = await selectOrders(executor).where('orders.id', '=', id).executeTakeFirst();
    return row && toOrder(row);
  },

  /**
   * Inserts unless the reference exists. Of two identical posts racing, the second waits for the
   * first to commit and then inserts nothing, so licenses are created once.
   */
  async insert(executor: Executor, order: NewOrder, now: Date): Promise<string | undefined> {
    const id = randomUUID();
    const inserted = await executor
      .insertInto('orders')
      .values({
        id,
        reference: order.reference,
        organization_id: order.organizationId,
        product_id: order.productId,
        team_id: order.teamId,
        quantity: order.quantity,
        valid_until: toDbTime(order.validUntil),
        renews_order_id: order.renewsOrderId,
        source: order.source,
        created_at: toDbTime(now),
      })
      .onConflict((conflict) => conflict.column('reference').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? id : undefined;
  },

  async setTeam(executor: Executor, orderId: string, teamId: string): Promise<void> {
    await executor.updateTable('orders').set({ team_id: teamId }).where('id', '=', orderId).execute();
  },

  /** The order and the orders it renews, back to the first one. */
  async renewalChain(executor: Executor, orderId: string): Promise<string[]> {
    const chain: string[] = [];
    let current: string | null = orderId;
    while (current && !chain.includes(current)) {
      chain.push(current);
      const row: { renews_order_id: string | null } | undefined = await executor
        .selectFrom('orders')
        .select('renews_order_id')
        .where('id', '=', current)
        .executeTakeFirst();
      current = row?.renews_order_id ?? null;
    }
    return chain;
  },

  async list(
    executor: Executor,
    filters: { organizationId?: string | undefined; before?: { createdAt: Date; id: string } | undefined; limit: number },
  ): Promise<Order[]> {
    let query = selectOrders(executor);
    if (filters.organizationId) query = query.where('orders.organization_id', '=', filters.organizationId);
    if (filters.before) {
      const { createdAt, id } = filters.before;
      query = query.where((eb) =>
        eb.or([eb('orders.created_at', '<', toDbTime(createdAt)), eb.and([eb('orders.created_at', '=', toDbTime(createdAt)), eb('orders.id', '<', id)])]),
      );
    }
    const rows = await query.orderBy('orders.created_at', 'desc').orderBy('orders.id', 'desc').limit(filters.limit).execute();
    return rows.map(toOrder);
  },
};
