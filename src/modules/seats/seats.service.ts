import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import type { NoticeKind } from '../../db/tables.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Mailer, OutgoingMessage } from '../../mail/mailer.js';
import { seatTemplates } from '../../mail/seat-templates.js';
import { requireOrgAdminOrTeamAdmin, selfActor, systemActor, type Actor } from '../access/actor.js';
import type { auditRepository } from '../audit/audit.repository.js';
import { claimEmailRecipients } from '../invitations/claim-emails.js';
import type { InvitationsRepository } from '../invitations/invitations.repository.js';
import type { LicensesRepository } from '../licenses/licenses.repository.js';
import type { SeatsRepository } from './seats.repository.js';

const DAY_MS = 86_400_000;
/** Days before a pool ends when its administrators hear of it; the holders hear at the 7-day mark. */
export const EXPIRY_NOTICE_DAYS = [30, 7, 1] as const;
const HOLDER_NOTICE_DAYS = 7;
/** Holders are warned this many days before an idle seat is released. */
export const IDLE_WARNING_DAYS = 7;

/**
 * Which notice is due for an end `daysLeft` days away: the nearest mark not yet passed. A pool
 * bought 5 days before its end gets the 7-day notice only, never a late 30-day one.
 */
export function expiryStage(validUntil: Date, now: Date): number | undefined {
  const left = validUntil.getTime() - now.getTime();
  if (left <= 0) return undefined;
  const daysLeft = Math.ceil(left / DAY_MS);
  return [...EXPIRY_NOTICE_DAYS].reverse().find((mark) => daysLeft <= mark);
}

type Pool = { organizationId: string; teamId: string; productId: string };

export function seatsService(deps: {
  db: Db;
  repo: SeatsRepository;
  licenses: Pick<LicensesRepository, 'release'>;
  invitations: Pick<InvitationsRepository, 'teamAdministrators' | 'addDigestItem'>;
  audit: Pick<typeof auditRepository, 'record' | 'recordMany'>;
  mailer: Mailer;
  clock: Clock;
  baseUrl: string;
}) {
  /** The license list of the organization (the page selects it from `organization`), filtered to the product. */
  const licensesUrl = (organizationId: string, productId?: string) =>
    `${deps.baseUrl}/licenses?organization=${organizationId}${productId ? `&productId=${productId}` : ''}`;

  return {
    /**
     * The scheduled job's expiry notices: for every pool ending within 30 days, the notice of its
     * stage to each administrator; for every license ending within 7 days, one to its holder. The
     * outbox's dedup keys make each one once, across runs, restarts and instances.
     */
    async sendDueExpiryNotices(): Promise<number> {
      const now = deps.clock.now();
      const within = (days: number) => ({ after: now, until: new Date(now.getTime() + days * DAY_MS) });
      const messages: OutgoingMessage[] = [];
      const recipientsOf = new Map<string, Awaited<ReturnType<SeatsRepository['recipients']>>>();
      for (const pool of await deps.repo.poolsEndingBetween(deps.db, within(EXPIRY_NOTICE_DAYS[0]))) {
        const stage = expiryStage(pool.validUntil, now)!;
        const key = `${pool.organizationId}:${pool.teamId}`;
        if (!recipientsOf.has(key)) recipientsOf.set(key, await deps.repo.recipients(deps.db, { ...pool, kind: 'expiry' }));
        for (const recipient of recipientsOf.get(key)!) {
          messages.push({
            to: recipient.email,
            dedupKey: `expiry:${pool.organizationId}:${pool.teamId}:${pool.productId}:${pool.validUntil.toISOString()}:${stage}d:admin:${recipient.userId}`,
            content: seatTemplates.expiryNoticeToAdmin({
              organizationName: pool.organizationName,
              teamName: pool.teamName,
              productName: pool.productName,
              seats: pool.total,
              assigned: pool.assigned,
              validUntil: pool.validUntil,
              daysLeft: stage,
              url: licensesUrl(pool.organizationId, pool.productId),
            }),
          });
        }
      }
      for (const hold of await deps.repo.holdsEndingBetween(deps.db, within(HOLDER_NOTICE_DAYS))) {
        messages.push({
          to: hold.email,
          dedupKey: `expiry:license:${hold.licenseId}:${hold.validUntil.toISOString()}:holder:${hold.email}`,
          content: seatTemplates.expiryNoticeToHolder({ ...hold, url: `${deps.baseUrl}/account` }),
        });
      }
      let sent = 0;
      // In slices: one statement per slice, and a large organization's run never holds one long write.
      for (let start = 0; start < messages.length; start += 200) {
        sent += await deps.mailer.enqueueAll({ messages: messages.slice(start, start + 200) });
      }
      return sent;
    },

    /**
     * Told by every take, in its transaction, once its pool's counter moved: the administrators get
     * one alert when the free seats fall to the organization's threshold (a take of `taken`
     * licenses crossed it), never one per claim below it; a pool refilled and emptied again alerts
     * again. Returns what the pool has left (the `pool.exhausted` webhook reads it).
     */
    async onPoolTaken(executor: Executor, pool: Pool & { taken: number }, now: Date): Promise<{ freeAfter: number }> {
      const { free, threshold } = await deps.repo.poolLevel(executor, pool, now);
      if (!(free <= threshold && free + pool.taken > threshold)) return { freeAfter: free };
      const [recipients, names] = await Promise.all([deps.repo.recipients(executor, { ...pool, kind: 'low_seats' }), deps.repo.poolNames(executor, pool, now)]);
      if (!names) return { freeAfter: free };
      // Exactly once per crossing comes from the take's transaction: the key only has to be new.
      const crossing = randomUUID();
      await deps.mailer.enqueueAll({
        executor,
        messages: recipients.map((recipient) => ({
          to: recipient.email,
          dedupKey: `low-seats:${pool.teamId}:${pool.productId}:${crossing}:${recipient.userId}`,
          content: seatTemplates.lowSeats({ ...names, free, url: licensesUrl(pool.organizationId, pool.productId) }),
        })),
      });
      return { freeAfter: free };
    },

    /**
     * The idle-seat policy, run by the scheduled job: holds idle for (policy − 7) days are warned
     * once per idle stretch; holds idle for the whole policy, and warned at least 7 days ago, are
     * released exactly like a revoke, audited and told. A use or a keep after the warning starts over.
     */
    async reclaimIdleSeats(): Promise<{ warned: number; released: number }> {
      const now = deps.clock.now();
      let warned = 0;
      let released = 0;
      for (const { organizationId, idleDays } of await deps.repo.organizationsReclaiming(deps.db)) {
        const idleBefore = new Date(now.getTime() - (idleDays - IDLE_WARNING_DAYS) * DAY_MS);
        for (const hold of await deps.repo.idleHolds(deps.db, { organizationId, idleBefore, now })) {
          const warnedThisStretch = hold.warnedAt !== null && hold.warnedAt >= hold.idleSince;
          const releaseAt = new Date(hold.idleSince.getTime() + idleDays * DAY_MS);
          if (!warnedThisStretch) {
            await deps.db.transaction().execute(async (trx) => {
              await deps.repo.markWarned(trx, hold.holdId, now);
              await deps.mailer.enqueue({
                executor: trx,
                to: hold.email,
                dedupKey: `idle-warning:${hold.holdId}:${hold.idleSince.toISOString()}`,
                content: seatTemplates.idleWarning({
                  ...hold,
                  idleDays: idleDays - IDLE_WARNING_DAYS,
                  // Never sooner than the full warning period from now.
                  releaseOn: new Date(Math.max(releaseAt.getTime(), now.getTime() + IDLE_WARNING_DAYS * DAY_MS)),
                  keepUrl: `${deps.baseUrl}/account?keep=${hold.licenseId}`,
                }),
              });
            });
            warned += 1;
            continue;
          }
          if (now < releaseAt || now.getTime() - hold.warnedAt!.getTime() < IDLE_WARNING_DAYS * DAY_MS) continue;
          const freed = await deps.db.transaction().execute(async (trx) => {
            const ids = await deps.licenses.release(trx, [hold.licenseId], { now, reason: 'reclaimed' });
            if (ids.length === 0) return false;
            await deps.audit.record(
              trx,
              systemActor,
              {
                action: 'license.reclaimed',
                targetType: 'license',
                targetId: hold.licenseId,
                organizationId,
                teamId: hold.teamId,
                details: { reason: 'reclaimed', email: hold.email, product: hold.productName, idleSince: hold.idleSince.toISOString(), policyDays: idleDays },
              },
              now,
            );
            await deps.mailer.enqueue({
              executor: trx,
              to: hold.email,
              dedupKey: `idle-released:${hold.holdId}`,
              content: seatTemplates.idleReleased({ ...hold, url: `${deps.baseUrl}/account` }),
            });
            return true;
          });
          if (freed) released += 1;
        }
      }
      return { warned, released };
    },

    /** "I still use it", from the warning's link (the account page asks; nothing in the link acts by itself). */
    async keep(user: { id: string; email: string }, licenseId: string, ip: string | null): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const held = await deps.repo.heldBy(trx, { licenseId, userId: user.id });
        if (!held || !(await deps.repo.keep(trx, { licenseId, userId: user.id, now }))) throw new AppError('NOT_FOUND');
        await deps.audit.record(
          trx,
          selfActor(user, ip),
          {
            action: 'license.kept',
            targetType: 'license',
            targetId: licenseId,
            organizationId: held.organizationId,
            teamId: held.teamId,
            details: { email: held.email, product: held.productName },
          },
          now,
        );
      });
    },

    /**
     * A holder gives their license back: the seat is free at once, as after a revoke, and the
     * administrators hear of it by the claim-email rules (each, digest or not at all).
     */
    async giveBack(user: { id: string; email: string; name: string }, licenseId: string, ip: string | null): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const held = await deps.repo.heldBy(trx, { licenseId, userId: user.id });
        if (!held) throw new AppError('NOT_FOUND');
        const claim = await deps.repo.claimOf(trx, { licenseId, userId: user.id });
        const freed = await deps.licenses.release(trx, [licenseId], { now, reason: 'returned' });
        if (freed.length === 0) throw new AppError('NOT_FOUND');
        await deps.audit.record(
          trx,
          selfActor(user, ip),
          {
            action: 'license.returned',
            targetType: 'license',
            targetId: licenseId,
            organizationId: held.organizationId,
            teamId: held.teamId,
            details: { reason: 'returned', email: held.email, product: held.productName },
          },
          now,
        );
        const administrators = await deps.invitations.teamAdministrators(trx, { organizationId: held.organizationId, teamId: held.teamId });
        const holder = user.name ? `${user.name} (${held.email})` : held.email;
        const messages: OutgoingMessage[] = [];
        for (const recipient of claimEmailRecipients(administrators, { createdByUserId: claim?.invitationCreatedBy ?? null })) {
          if (recipient.delivery === 'digest' && claim) {
            await deps.invitations.addDigestItem(trx, {
              userId: recipient.userId,
              organizationId: held.organizationId,
              claimId: claim.claimId,
              summary: `${holder} gave back ${held.productName} (${held.teamName})`,
              now,
            });
            continue;
          }
          messages.push({
            to: recipient.email,
            dedupKey: `given-back:${licenseId}:${now.getTime()}:${recipient.userId}`,
            content: seatTemplates.givenBack({ holder, ...held, url: licensesUrl(held.organizationId) }),
          });
        }
        await deps.mailer.enqueueAll({ executor: trx, messages });
      });
    },

    /** An administrator's expiry notices and low-seat alerts for one organization (on unless turned off). */
    async noticePreferences(actor: Actor, organizationId: string) {
      requireOrgAdminOrTeamAdmin(actor, organizationId);
      // A person's own notices: a token has no inbox (as with the claim-email choice).
      if (!actor.userId) throw new AppError('FORBIDDEN');
      const off = new Set(await deps.repo.optedOut(deps.db, { userId: actor.userId!, organizationId }));
      return { expiry: !off.has('expiry'), lowSeats: !off.has('low_seats') };
    },

    async setNoticePreferences(actor: Actor, organizationId: string, input: { expiry?: boolean | undefined; lowSeats?: boolean | undefined }) {
      requireOrgAdminOrTeamAdmin(actor, organizationId);
      if (!actor.userId) throw new AppError('FORBIDDEN');
      const changes: Array<[NoticeKind, boolean | undefined]> = [
        ['expiry', input.expiry],
        ['low_seats', input.lowSeats],
      ];
      await deps.db.transaction().execute(async (trx) => {
        for (const [kind, on] of changes) {
          if (on !== undefined) await deps.repo.setOptOut(trx, { userId: actor.userId!, organizationId, kind, optedOut: !on });
        }
      });
      return this.noticePreferences(actor, organizationId);
    },
  };
}

export type SeatsService = ReturnType<typeof seatsService>;
