import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { orgAccess, requireOperator, requireOrgAccess, requireOrgAdmin, type Actor, requirePerson } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { AccessGrantsService } from './access-grants.service.js';
import type { OrganizationChanges, organizationsRepository } from './organizations.repository.js';

export type OrganizationUpdate = Omit<OrganizationChanges, 'twoFactorGraceUntil'> & { twoFactorGraceDays?: number | undefined };

export type OrganizationAccessLevel = 'admin' | 'viewer' | 'team' | 'operator';

export function organizationsService(deps: {
  db: Db;
  repo: typeof organizationsRepository;
  grants: Pick<AccessGrantsService, 'grantByEmail'>;
  audit: Pick<typeof auditRepository, 'record'>;
  clock: Clock;
}) {
  const levelFor = (actor: Actor, organizationId: string): OrganizationAccessLevel => orgAccess(actor, organizationId)?.level ?? 'operator';

  return {
    /** The organizations the actor works in; operators see all of them. */
    async list(actor: Actor) {
      const ids = new Set([...actor.orgRoles.keys(), ...[...actor.teamRoles.values()].map((team) => team.organizationId)]);
      const organizations = actor.isOperator ? await deps.repo.listAll(deps.db) : await deps.repo.listByIds(deps.db, [...ids]);
      return organizations.map((organization) => ({ ...organization, access: levelFor(actor, organization.id) }));
    },

    async get(actor: Actor, organizationId: string) {
      const access = requireOrgAccess(actor, organizationId);
      const organization = await deps.repo.findById(deps.db, organizationId);
      if (!organization) throw new AppError('NOT_FOUND');
      return { ...organization, access: access.level, canManage: access.level === 'admin' };
    },

    /** Operators create organizations for their customers and name the first admin by email. */
    async create(actor: Actor, input: { name: string; adminEmail: string }) {
      requireOperator(actor);
      return deps.db.transaction().execute(async (trx) => {
        const organization = await deps.repo.create(trx, { name: input.name });
        await deps.grants.grantByEmail(trx, { email: input.adminEmail, organizationId: organization.id, role: 'org_admin', operator: false });
        await deps.audit.record(
          trx,
          actor,
          {
            action: 'organization.created',
            targetType: 'organization',
            targetId: organization.id,
            organizationId: organization.id,
            details: { name: input.name, adminEmail: input.adminEmail.toLowerCase() },
          },
          deps.clock.now(),
        );
        return organization;
      });
    },

    async update(actor: Actor, organizationId: string, input: OrganizationUpdate) {
      requireOrgAdmin(actor, organizationId);
      requirePerson(actor);
      const { twoFactorGraceDays, ...changes } = input;
      // A policy turned on starts its grace period now; the period may also be changed on its own.
      const graceUntil =
        twoFactorGraceDays !== undefined ? { twoFactorGraceUntil: new Date(deps.clock.now().getTime() + twoFactorGraceDays * 86_400_000) } : {};
      await deps.db.transaction().execute(async (trx) => {
        await deps.repo.update(trx, organizationId, { ...changes, ...graceUntil });
        await deps.audit.record(
          trx,
          actor,
          { action: 'organization.updated', targetType: 'organization', targetId: organizationId, organizationId, details: input },
          deps.clock.now(),
        );
      });
      return this.get(actor, organizationId);
    },
  };
}

export type OrganizationsService = ReturnType<typeof organizationsService>;
