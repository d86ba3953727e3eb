import type { Clock } from '../../lib/clock.js';
import { isUniqueViolation, type Db } from '../../db/database.js';
import { AppError, errorCatalogue, type ErrorCode } from '../../errors.js';
import type { Mailer } from '../../mail/mailer.js';
import { licenseTemplates } from '../../mail/templates.js';
import { canManageTeam, canSeeTeam, requireOrgAccess, requireTeamManage, requireTeamRead, type Actor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import type { organizationsRepository } from '../organizations/organizations.repository.js';
import type { productsRepository } from '../products/products.repository.js';
import type { teamsRepository } from '../teams/teams.repository.js';
import type { LicenseFilters, LicenseRow, LicensesRepository } from './licenses.repository.js';
import { isRefusal, type TakeLicense } from './take-license.js';

export type AssignmentResult =
  { email: string; status: 'assigned'; licenseId: string; pendingAccount: boolean } | { email: string; status: 'failed'; code: ErrorCode; message: string };

export const MAX_EMAILS_PER_ASSIGNMENT = 1000;
const EMAIL_PATTERN = /^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Splits a pasted list on commas, semicolons, spaces and newlines; keeps order, drops repeats. */
export function parseEmailList(input: string[] | string): string[] {
  const parts = (Array.isArray(input) ? input : [input]).flatMap((chunk) => chunk.split(/[\s,;]+/));
  return [...new Set(parts.map((part) => part.trim().replace(/^<|>$/g, '').toLowerCase()).filter(Boolean))];
}

type Deps = {
  db: Db;
  repo: LicensesRepository;
  /** The licenses module's one way to take a free license (take-license.ts). */
  take: TakeLicense;
  teams: Pick<typeof teamsRepository, 'findById'>;
  products: Pick<typeof productsRepository, 'findById'>;
  organizations: Pick<typeof organizationsRepository, 'findUserByEmail' | 'findById'>;
  audit: Pick<typeof auditRepository, 'record' | 'recordMany'>;
  mailer: Pick<Mailer, 'enqueue'>;
  clock: Clock;
  baseUrl: string;
};

export function licensesService(deps: Deps) {
  const notSeenSince = (inactiveDays: number | undefined) => (inactiveDays ? new Date(deps.clock.now().getTime() - inactiveDays * DAY_MS) : undefined);

  async function teamFor(actor: Actor, teamId: string) {
    const team = await deps.teams.findById(deps.db, teamId);
    if (!team) throw new AppError('NOT_FOUND');
    return { team, access: requireTeamRead(actor, team) };
  }

  /** Assigns one address in its own transaction, so a failed line leaves nothing behind. */
  async function assignOne(
    actor: Actor,
    input: { teamId: string; organizationId: string; organizationName: string; productId: string; productName: string; email: string },
  ): Promise<AssignmentResult> {
    const { email } = input;
    if (!EMAIL_PATTERN.test(email) || email.length > 254) return failed(email, 'INVALID_EMAIL');
    try {
      return await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const user = await deps.organizations.findUserByEmail(trx, email);
        // Until its owner proves the address, an assignment is held by the email alone.
        const userId = user?.emailVerified ? user.id : null;
        const source = actor.userId ? 'manual' : 'api';
        const taken = await deps.take(
          trx,
          {
            organizationId: input.organizationId,
            teamId: input.teamId,
            productId: input.productId,
            email,
            userId,
            source,
            assignedByUserId: actor.userId,
            now,
          },
          {
            then: async (license) => {
              await deps.audit.record(
                trx,
                actor,
                {
                  action: 'license.assigned',
                  targetType: 'license',
                  targetId: license.id,
                  organizationId: input.organizationId,
                  teamId: input.teamId,
                  details: { email, product: input.productName, source },
                },
                now,
              );
              await deps.mailer.enqueue({
                executor: trx,
                to: email,
                dedupKey: `license-assigned:${license.id}:${email}:${now.getTime()}`,
                content: licenseTemplates.licenseAssigned({
                  name: user?.name ?? null,
                  productName: input.productName,
                  organizationName: input.organizationName,
                  hasAccount: userId !== null,
                  url: userId ? `${deps.baseUrl}/account` : `${deps.baseUrl}/sign-up?email=${encodeURIComponent(email)}`,
                }),
              });
              return { email, status: 'assigned' as const, licenseId: license.id, pendingAccount: userId === null };
            },
          },
        );
        return isRefusal(taken) ? failed(email, taken.refused) : taken;
      });
    } catch (error) {
      // Two assignments of one address raced; the database kept one.
      if (isUniqueViolation(error)) return failed(email, 'LICENSE_ALREADY_HELD');
      throw error;
    }
  }

  async function licensesForChange(actor: Actor, organizationId: string, licenseIds: string[], trx: Parameters<LicensesRepository['findByIds']>[0]) {
    const access = requireOrgAccess(actor, organizationId);
    const licenses = await deps.repo.findByIds(trx, organizationId, licenseIds, { lock: true });
    // Ids the actor cannot see answer as missing; ids they can see but not manage answer 403.
    if (licenses.length !== new Set(licenseIds).size || licenses.some((license) => !canSeeTeam(access, license.teamId))) throw new AppError('NOT_FOUND');
    if (licenses.some((license) => !canManageTeam(access, license.teamId))) throw new AppError('FORBIDDEN');
    return { licenses, access };
  }

  return {
    async subscriptions(actor: Actor, organizationId: string) {
      const access = requireOrgAccess(actor, organizationId);
      return deps.repo.subscriptions(deps.db, { organizationId, visibleTeamIds: access.visibleTeams, now: deps.clock.now() });
    },

    async list(
      actor: Actor,
      { inactiveDays, ...filters }: Omit<LicenseFilters, 'visibleTeamIds' | 'notSeenSince'> & { inactiveDays?: number | undefined },
    ): Promise<{ items: LicenseRow[]; nextCursor: string | null }> {
      const access = requireOrgAccess(actor, filters.organizationId);
      const items = await deps.repo.list(deps.db, {
        ...filters,
        notSeenSince: notSeenSince(inactiveDays),
        now: deps.clock.now(),
        limit: filters.limit + 1,
        visibleTeamIds: access.visibleTeams,
      });
      const hasMore = items.length > filters.limit;
      const page = hasMore ? items.slice(0, filters.limit) : items;
      return { items: page, nextCursor: hasMore ? page.at(-1)!.id : null };
    },

    /** Every page of the filtered list, for CSV export, without holding it all in memory. */
    async *listAll(
      actor: Actor,
      { inactiveDays, ...filters }: Omit<LicenseFilters, 'visibleTeamIds' | 'limit' | 'afterId' | 'notSeenSince'> & { inactiveDays?: number | undefined },
    ): AsyncGenerator<LicenseRow[]> {
      const access = requireOrgAccess(actor, filters.organizationId);
      let afterId: string | undefined;
      for (;;) {
        const page = await deps.repo.list(deps.db, {
          ...filters,
          notSeenSince: notSeenSince(inactiveDays),
          now: deps.clock.now(),
          visibleTeamIds: access.visibleTeams,
          afterId,
          limit: 1000,
        });
        if (page.length === 0) return;
        yield page;
        afterId = page.at(-1)!.id;
        if (page.length < 1000) return;
      }
    },

    async history(actor: Actor, licenseId: string) {
      const license = await deps.repo.findById(deps.db, licenseId);
      if (!license) throw new AppError('NOT_FOUND');
      requireTeamRead(actor, { id: license.teamId, organizationId: license.organizationId });
      return { license, items: await deps.repo.history(deps.db, licenseId) };
    },

    /** Assigns any free license of the product in the team to each address; one result per line. */
    async assign(actor: Actor, input: { teamId: string; productId: string; emails: string[] }): Promise<AssignmentResult[]> {
      const { team } = await teamFor(actor, input.teamId);
      requireTeamManage(actor, team);
      const product = await deps.products.findById(deps.db, input.productId);
      if (!product) throw new AppError('NOT_FOUND');
      const emails = parseEmailList(input.emails);
      if (emails.length === 0) throw new AppError('VALIDATION_FAILED', { message: 'Enter at least one email address.' });
      if (emails.length > MAX_EMAILS_PER_ASSIGNMENT)
        throw new AppError('VALIDATION_FAILED', { message: `Assign at most ${MAX_EMAILS_PER_ASSIGNMENT} addresses at once.` });
      const results: AssignmentResult[] = [];
      for (const email of emails) {
        results.push(
          await assignOne(actor, {
            teamId: team.id,
            organizationId: team.organizationId,
            organizationName: team.organizationName,
            productId: product.id,
            productName: product.name,
            email,
          }),
        );
      }
      return results;
    },

    /**
     * Frees the licenses at once; their holders lose them on their account page and get an email.
     * All or nothing: if the organization's minimum-days rule blocks any, none is revoked.
     */
    async revoke(actor: Actor, organizationId: string, licenseIds: string[]): Promise<string[]> {
      return deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const { licenses } = await licensesForChange(actor, organizationId, licenseIds, trx);
        const organization = await deps.organizations.findById(trx, organizationId);
        const minDays = organization?.minDaysBeforeRevoke ?? 0;
        const tooRecent = licenses.filter((license) => license.assignedAt && now.getTime() - license.assignedAt.getTime() < minDays * DAY_MS);
        if (tooRecent.length > 0) {
          throw new AppError('RECENTLY_ASSIGNED', {
            message: `Licenses can be revoked ${minDays} days after they were assigned.`,
            details: { licenseIds: tooRecent.map((l) => l.id), minDaysBeforeRevoke: minDays },
          });
        }
        const assigned = licenses.filter((license) => license.assignee);
        const freed = new Set(
          await deps.repo.release(
            trx,
            assigned.map((l) => l.id),
            { now, reason: 'revoked' },
          ),
        );
        const revoked = assigned.filter((license) => freed.has(license.id));
        await deps.audit.recordMany(
          trx,
          actor,
          revoked.map((license) => ({
            action: 'license.revoked',
            targetType: 'license',
            targetId: license.id,
            organizationId,
            teamId: license.teamId,
            details: { email: license.assignee!.email, product: license.productName },
          })),
          now,
        );
        for (const license of revoked) {
          await deps.mailer.enqueue({
            executor: trx,
            to: license.assignee!.email,
            dedupKey: `license-revoked:${license.id}:${now.getTime()}`,
            content: licenseTemplates.licenseRevoked({
              name: license.assignee!.name,
              productName: license.productName,
              organizationName: organization?.name ?? '',
              url: `${deps.baseUrl}/account`,
            }),
          });
        }
        return revoked.map((license) => license.id);
      });
    },

    /** Moves licenses to another team of the organization; assigned ones keep their holder. */
    async transfer(actor: Actor, organizationId: string, input: { licenseIds: string[]; targetTeamId: string }): Promise<string[]> {
      return deps.db.transaction().execute(async (trx) => {
        const { licenses, access } = await licensesForChange(actor, organizationId, input.licenseIds, trx);
        const target = await deps.teams.findById(trx, input.targetTeamId);
        if (!target || target.organizationId !== organizationId || !canManageTeam(access, target.id)) throw new AppError('TRANSFER_TARGET_INVALID');
        const moving = licenses.filter((license) => license.teamId !== target.id);
        await deps.repo.moveToTeam(
          trx,
          moving.map((l) => l.id),
          target.id,
        );
        await deps.audit.recordMany(
          trx,
          actor,
          moving.map((license) => ({
            action: 'license.transferred',
            targetType: 'license',
            targetId: license.id,
            organizationId,
            teamId: target.id,
            details: { fromTeamId: license.teamId, fromTeam: license.teamName, toTeam: target.name },
          })),
          deps.clock.now(),
        );
        return moving.map((license) => license.id);
      });
    },

    /** The account page: licenses held now, and those lost in the last 90 days (revoked or expired) with when. */
    async listForUser(userId: string) {
      const now = deps.clock.now();
      const since = new Date(now.getTime() - 90 * DAY_MS);
      const [items, ended, expired] = await Promise.all([
        deps.repo.listForUser(deps.db, userId, now),
        deps.repo.endedForUser(deps.db, { userId, since, limit: 20 }),
        deps.repo.expiredForUser(deps.db, { userId, since, now }),
      ]);
      return { items, ended: [...expired, ...ended].sort((a, b) => b.endedAt.getTime() - a.endedAt.getTime()).slice(0, 20) };
    },

    /** Hooked to email verification: licenses assigned to the address join the account. */
    bindPendingAssignments: (user: { id: string; email: string }) =>
      deps.db.transaction().execute((trx) => deps.repo.bindPendingAssignments(trx, { email: user.email.toLowerCase(), userId: user.id })),
  };
}

function failed(email: string, code: ErrorCode): AssignmentResult {
  return { email, status: 'failed', code, message: errorCatalogue[code].message };
}

export type LicensesService = ReturnType<typeof licensesService>;
