import { fromDbTime, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import type { BatchMemo } from '../../db/transaction-batcher.js';
import { containsIgnoringCase, nothing } from '../../db/sql-helpers.js';
import type { AuditAction } from '@allot/contract';
import type { Actor } from '../access/actor.js';

export type AuditEvent = {
  id: number;
  createdAt: Date;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  organizationId: string | null;
  teamId: string | null;
  teamName: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
};

export type NewAuditEvent = {
  /** The contract's list: an action the web cannot label does not compile. */
  action: AuditAction;
  targetType: string;
  targetId: string;
  organizationId: string | null;
  teamId?: string | null;
  details?: Record<string, unknown>;
};

export type AuditFilters = {
  organizationId: string;
  /** Team-scoped readers see only their teams' events. */
  visibleTeamIds: 'all' | ReadonlySet<string>;
  actor?: string | undefined;
  action?: string | undefined;
  teamId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset: events with a smaller id than this (newest first). */
  beforeId?: number | undefined;
  limit: number;
};

/** Who did what, when: one row of the audit log as written. */
export type AuditEntry = { actor: Actor; event: NewAuditEvent; now: Date };

/**
 * The ways to write the audit log, all in the caller's transaction, so an event exists exactly
 * when its change does; `recordAtCommit` is for work inside a group-commit batch, whose events
 * are then written together in one statement just before the batch's COMMIT (and only for the
 * works that succeeded). Built from the one function that writes entries.
 */
export function auditWriter(recordEntries: (executor: Executor, entries: AuditEntry[]) => Promise<void>) {
  return {
    // No events, no statement: the writers loop over what they are given.
    recordEntries,
    record: (executor: Executor, actor: Actor, event: NewAuditEvent, now: Date): Promise<void> => recordEntries(executor, [{ actor, event, now }]),
    recordMany: (executor: Executor, actor: Actor, events: NewAuditEvent[], now: Date): Promise<void> =>
      recordEntries(
        executor,
        events.map((event) => ({ actor, event, now })),
      ),
    recordAtCommit: (batch: BatchMemo, actor: Actor, event: NewAuditEvent, now: Date): void =>
      batch.beforeCommit<AuditEntry>('audit-events', { actor, event, now }, recordEntries),
  };
}

export const auditRepository = {
  ...auditWriter(async (executor, entries) => {
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for (let start = 0; start < entries.length; start += 500) {
      await executor
        .insertInto('audit_events')
        .values(
          entries.slice(start, start + 500).map(({ actor, event, now }) => ({
            organization_id: event.organizationId,
            team_id: event.teamId ?? null,
            actor_user_id: actor.userId,
            actor_label: actor.label,
            action: event.action,
            target_type: event.targetType,
            target_id: event.targetId,
            ip: actor.ip,
            details: event.details ? JSON.stringify(event.details) : null,
            created_at: toDbTime(now),
          })),
        )
        .execute();
    }
  }),

  async list(executor: Executor, filters: AuditFilters): Promise<AuditEvent[]> {
    let query = executor
      .selectFrom('audit_events')
      .leftJoin('teams', 'teams.id', 'audit_events.team_id')
      .select([
        'audit_events.id',
        'audit_events.created_at',
        'audit_events.actor_user_id',
        'audit_events.actor_label',
        'audit_events.action',
        'audit_events.target_type',
        'audit_events.target_id',
        'audit_events.organization_id',
        'audit_events.team_id',
        'teams.name as team_name',
        'audit_events.ip',
        'audit_events.details',
      ])
      .where('audit_events.organization_id', '=', filters.organizationId);
    if (filters.visibleTeamIds !== 'all') {
      const teamIds = [...filters.visibleTeamIds];
      query = query.where((eb) => (teamIds.length ? eb('audit_events.team_id', 'in', teamIds) : nothing));
    }
    if (filters.teamId) query = query.where('audit_events.team_id', '=', filters.teamId);
    if (filters.action) query = query.where('audit_events.action', '=', filters.action);
    if (filters.actor) query = query.where(containsIgnoringCase('audit_events.actor_label', filters.actor));
    if (filters.from) query = query.where('audit_events.created_at', '>=', toDbTime(filters.from));
    if (filters.to) query = query.where('audit_events.created_at', '<', toDbTime(filters.to));
    if (filters.beforeId !== undefined) query = query.where('audit_events.id', '<', filters.beforeId);
    const rows = await query.orderBy('audit_events.id', 'desc').limit(filters.limit).execute();
    return rows.map((row) => ({
      id: Number(row.id),
      createdAt: fromDbTime(row.created_at),
      actorUserId: row.actor_user_id,
      actorLabel: row.actor_label,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      organizationId: row.organization_id,
      teamId: row.team_id,
      teamName: row.team_name,
      ip: row.ip,
      details: parseDetails(row.details),
    }));
  },
};

function parseDetails(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return JSON.parse(value) as Record<string, unknown>;
  return value as Record<string, unknown>;
}
