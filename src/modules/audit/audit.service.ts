import type { Db } from '../../db/database.js';
import { requireOrgAccess, type Actor } from '../access/actor.js';
import type { AuditEvent, AuditFilters, auditRepository } from './audit.repository.js';

type Filters = Omit<AuditFilters, 'visibleTeamIds' | 'beforeId' | 'limit'>;

/** The audit log: organization admins and viewers read all of it, team-scoped roles their teams'. */
export function auditService(deps: { db: Db; repo: Pick<typeof auditRepository, 'list'> }) {
  return {
    async list(actor: Actor, filters: Filters & { cursor?: number | undefined; limit: number }): Promise<{ items: AuditEvent[]; nextCursor: number | null }> {
      const access = requireOrgAccess(actor, filters.organizationId);
      const rows = await deps.repo.list(deps.db, { ...filters, visibleTeamIds: access.visibleTeams, beforeId: filters.cursor, limit: filters.limit + 1 });
      const page = rows.slice(0, filters.limit);
      return { items: page, nextCursor: rows.length > filters.limit ? page.at(-1)!.id : null };
    },

    async *listAll(actor: Actor, filters: Filters): AsyncGenerator<AuditEvent[]> {
      const access = requireOrgAccess(actor, filters.organizationId);
      let beforeId: number | undefined;
      for (;;) {
        const page = await deps.repo.list(deps.db, { ...filters, visibleTeamIds: access.visibleTeams, beforeId, limit: 1000 });
        if (page.length > 0) yield page;
        if (page.length < 1000) return;
        beforeId = page.at(-1)!.id;
      }
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
