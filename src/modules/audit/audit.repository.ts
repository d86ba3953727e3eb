import { fromDbTime, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
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

export const auditRepository = {
  /** Written in the caller's transaction: the event exists exactly when the change does. */
  async record(executor: Executor, actor: Actor, event: NewAuditEvent, now: Date): Promise<void> {
    await auditRepository.recordMany(executor, actor, [event], now);
  },

  async recordMany(executor: Executor, actor: Actor, events: NewAuditEvent[], now: Date): Promise<void> {
    if (events.length === 0) return;
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for (let start = 0; start < events.length; start += 500) {
      await executor
        .insertInto('audit_events')
        .values(
          events.slice(start, start + 500).map((event) => ({
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
  },

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
