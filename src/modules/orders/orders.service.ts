import type { Clock } from '../../lib/clock.js';
import type { Db, Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { requireOperator, requireOrgAccess, type Actor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { LicensesRepository } from '../licenses/licenses.repository.js';
import type { organizationsRepository } from '../organizations/organizations.repository.js';
import type { productsRepository } from '../products/products.repository.js';
import { orderTeamName } from '../teams/order-teams.js';
import type { teamsRepository } from '../teams/teams.repository.js';
import type { Order, ordersRepository } from './orders.repository.js';

export type OrderInput = {
  reference: string;
  organizationId: string;
  productCode: string;
  quantity: number;
  validUntil: Date;
  teamId?: string | undefined;
  renewsReference?: string | undefined;
};

type Deps = {
  db: Db;
  repo: typeof ordersRepository;
  licenses: Pick<LicensesRepository, 'createMany' | 'countForOrders' | 'extendValidity'>;
  teams: Pick<typeof teamsRepository, 'findById' | 'create' | 'findByName'>;
  products: Pick<typeof productsRepository, 'findByCode'>;
  organizations: Pick<typeof organizationsRepository, 'findById'>;
  audit: Pick<typeof auditRepository, 'record'>;
  clock: Clock;
};

/** The same order posted again matches when every field the caller sent is the same. */
function sameOrder(existing: Order, input: OrderInput): boolean {
  return (
    existing.organizationId === input.organizationId &&
    existing.productCode === input.productCode &&
    existing.quantity === input.quantity &&
    existing.validUntil.getTime() === input.validUntil.getTime() &&
    (input.teamId === undefined || existing.teamId === input.teamId) &&
    (existing.renewsReference ?? undefined) === input.renewsReference
  );
}

export function ordersService(deps: Deps) {
  async function placeOrder(trx: Executor, actor: Actor, input: OrderInput, source: Order['source']): Promise<{ order: Order; created: boolean }> {
    const now = deps.clock.now();
    const organization = await deps.organizations.findById(trx, input.organizationId);
    if (!organization) throw new AppError('NOT_FOUND', { message: 'No organization with this id exists.' });
    const product = await deps.products.findByCode(trx, input.productCode);
    if (!product) throw new AppError('PRODUCT_NOT_FOUND');

    let renewsOrderId: string | null = null;
    let renewalChain: string[] = [];
    if (input.renewsReference) {
      const renewed = await deps.repo.findByReference(trx, input.renewsReference);
      if (!renewed || renewed.organizationId !== organization.id || renewed.productId !== product.id) throw new AppError('RENEWAL_MISMATCH');
      renewsOrderId = renewed.id;
      renewalChain = await deps.repo.renewalChain(trx, renewed.id);
    }

    let teamId = input.teamId ?? null;
    if (teamId) {
      const team = await deps.teams.findById(trx, teamId);
      if (!team || team.organizationId !== organization.id) throw new AppError('NOT_FOUND', { message: 'No team with this id exists in the organization.' });
    }

    const orderId = await deps.repo.insert(
      trx,
      {
        reference: input.reference,
        organizationId: organization.id,
        productId: product.id,
        teamId,
        quantity: input.quantity,
        validUntil: input.validUntil,
        renewsOrderId,
        source,
      },
      now,
    );
    if (!orderId) {
      // The reference exists (perhaps committed by a concurrent identical post): answer with it.
      const existing = (await deps.repo.findByReference(trx, input.reference))!;
      if (!sameOrder(existing, input)) throw new AppError('ORDER_REFERENCE_CONFLICT', { details: { reference: input.reference } });
      return { order: existing, created: false };
    }

    let created = input.quantity;
    if (renewsOrderId) {
      const existing = await deps.licenses.countForOrders(trx, renewalChain);
      const extended = await deps.licenses.extendValidity(trx, renewalChain, input.validUntil);
      teamId ??= existing.teamId ?? null;
      created = Math.max(0, input.quantity - existing.count);
      await deps.audit.record(
        trx,
        actor,
        {
          action: 'order.renewed',
          targetType: 'order',
          targetId: orderId,
          organizationId: organization.id,
          teamId,
          details: {
            reference: input.reference,
            renews: input.renewsReference,
            extendedLicenses: extended,
            addedLicenses: created,
            validUntil: input.validUntil.toISOString(),
          },
        },
        now,
      );
    }
    if (!teamId) {
      // An order without a team gets a team of its own, named after the order.
      const name = orderTeamName(input.reference);
      teamId = (await deps.teams.create(trx, { organizationId: organization.id, name })) ?? (await deps.teams.findByName(trx, organization.id, name))!;
      await deps.audit.record(
        trx,
        actor,
        { action: 'team.created', targetType: 'team', targetId: teamId, organizationId: organization.id, teamId, details: { name, forOrder: input.reference } },
        now,
      );
    }
    if (teamId !== input.teamId) await deps.repo.setTeam(trx, orderId, teamId);
    if (created > 0) {
      await deps.licenses.createMany(trx, {
        organizationId: organization.id,
        teamId,
        productId: product.id,
        orderId,
        validUntil: input.validUntil,
        count: created,
        now,
      });
    }
    if (!renewsOrderId) {
      await deps.audit.record(
        trx,
        actor,
        {
          action: 'order.created',
          targetType: 'order',
          targetId: orderId,
          organizationId: organization.id,
          teamId,
          details: { reference: input.reference, product: product.code, quantity: input.quantity, validUntil: input.validUntil.toISOString(), source },
        },
        now,
      );
    }
    return { order: (await deps.repo.findById(trx, orderId))!, created: true };
  }

  return {
    /** Idempotent on the reference: a replay creates nothing and answers with the first order. */
    async create(actor: Actor, input: OrderInput, source: Order['source']): Promise<{ order: Order; created: boolean }> {
      requireOperator(actor);
      return deps.db.transaction().execute((trx) => placeOrder(trx, actor, input, source));
    },

    /** Operators see every order; organization admins and viewers see their organization's. */
    async list(
      actor: Actor,
      filters: { organizationId?: string | undefined; cursor?: string | undefined; limit: number },
    ): Promise<{ items: Order[]; nextCursor: string | null }> {
      if (!actor.isOperator) {
        if (!filters.organizationId) throw new AppError('FORBIDDEN');
        const access = requireOrgAccess(actor, filters.organizationId);
        if (access.level === 'team') throw new AppError('FORBIDDEN');
      }
      const before = filters.cursor ? decodeCursor(filters.cursor) : undefined;
      const rows = await deps.repo.list(deps.db, { organizationId: filters.organizationId, before, limit: filters.limit + 1 });
      const page = rows.slice(0, filters.limit);
      const last = page.at(-1);
      return { items: page, nextCursor: rows.length > filters.limit && last ? encodeCursor(last) : null };
    },
  };
}

const encodeCursor = (order: Order) => Buffer.from(JSON.stringify([order.createdAt.toISOString(), order.id])).toString('base64url');
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new AppError('VALIDATION_FAILED', { message: 'The cursor is not valid.', details: { field: 'cursor' } });
  }
}

export type OrdersService = ReturnType<typeof ordersService>;
