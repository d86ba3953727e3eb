import { AppError } from '../../errors.js';
import { parseCsv } from '../../lib/csv-parse.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../access/actor.js';
import type { organizationsRepository } from '../organizations/organizations.repository.js';
import type { teamsRepository } from '../teams/teams.repository.js';
import { createOrderBody } from '@allot/contract/orders';
import type { OrdersService } from './orders.service.js';

export const ORDER_CSV_COLUMNS = ['reference', 'organization', 'product', 'quantity', 'valid_until', 'team', 'renews'] as const;

export type ImportLineResult = { line: number; reference: string; outcome: 'created' | 'unchanged' | 'failed'; message?: string };

/**
 * `allot orders import file.csv`: one order per line, each in its own transaction, so a bad line
 * is reported and skipped while the rest go in. Organizations and teams may be named or given by
 * id; a named team that does not exist yet is created. Re-importing a file changes nothing.
 */
export function ordersImport(deps: {
  db: Db;
  orders: Pick<OrdersService, 'create'>;
  organizations: Pick<typeof organizationsRepository, 'findById' | 'listAll'>;
  teams: Pick<typeof teamsRepository, 'findById' | 'findByName' | 'create'>;
}) {
  async function organizationId(nameOrId: string): Promise<string> {
    const byId = /^[0-9a-f-]{36}$/i.test(nameOrId) ? await deps.organizations.findById(deps.db, nameOrId) : undefined;
    if (byId) return byId.id;
    const matches = (await deps.organizations.listAll(deps.db)).filter((o) => o.name === nameOrId);
    if (matches.length !== 1) throw new Error(matches.length ? `several organizations are named "${nameOrId}"; use its id` : `no organization "${nameOrId}"`);
    return matches[0]!.id;
  }

  async function teamId(orgId: string, nameOrId: string): Promise<string> {
    const byId = /^[0-9a-f-]{36}$/i.test(nameOrId) ? await deps.teams.findById(deps.db, nameOrId) : undefined;
    if (byId && byId.organizationId === orgId) return byId.id;
    return (await deps.teams.findByName(deps.db, orgId, nameOrId)) ?? (await deps.teams.create(deps.db, { organizationId: orgId, name: nameOrId }))!;
  }

  return async function importCsv(actor: Actor, csv: string): Promise<ImportLineResult[]> {
    const [header, ...rows] = parseCsv(csv);
    const columns = (header ?? []).map((name) => name.trim().toLowerCase());
    const missing = ORDER_CSV_COLUMNS.slice(0, 5).filter((name) => !columns.includes(name));
    if (missing.length)
      throw new AppError('VALIDATION_FAILED', { message: `The CSV header lacks: ${missing.join(', ')}. Expected: ${ORDER_CSV_COLUMNS.join(',')}` });
    const results: ImportLineResult[] = [];
    for (const [index, row] of rows.entries()) {
      const cell = (name: string) => row[columns.indexOf(name)]?.trim() || undefined;
      const reference = cell('reference') ?? '';
      try {
        const orgId = await organizationId(cell('organization') ?? '');
        const team = cell('team');
        const parsed = createOrderBody.safeParse({
          reference,
          organizationId: orgId,
          productCode: cell('product'),
          quantity: Number(cell('quantity')),
          validUntil: cell('valid_until'),
          ...(team ? { teamId: await teamId(orgId, team) } : {}),
          ...(cell('renews') ? { renewsReference: cell('renews') } : {}),
        });
        if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
        const { created } = await deps.orders.create(actor, parsed.data, 'csv');
        results.push({ line: index + 2, reference, outcome: created ? 'created' : 'unchanged' });
      } catch (error) {
        results.push({ line: index + 2, reference, outcome: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    }
    return results;
  };
}
