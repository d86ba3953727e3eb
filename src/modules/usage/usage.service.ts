import type { Db } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { canSeeTeam, requireOrgAccess, type Actor } from '../access/actor.js';
import type { productsRepository } from '../products/products.repository.js';
import type { teamsRepository } from '../teams/teams.repository.js';
import type { PoolDay, UsageRepository } from './usage.repository.js';

const DAY_MS = 86_400_000;
/** The longest period the Usage page shows, and how far the first run fills in history. */
const HISTORY_DAYS = 365;
/** Days one run of the job records at most: a first run's backfill is spread over a few runs. */
const DAYS_PER_RUN = 31;

export const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);
const startOfDay = (day: string): Date => new Date(`${day}T00:00:00.000Z`);
const addDays = (day: string, days: number): string => dayOf(new Date(startOfDay(day).getTime() + days * DAY_MS));

export type UsageSeriesPoint = { day: string; total: number; assigned: number; free: number; active: number };
export type UsagePeriod = 30 | 90 | 365;

export function usageService(deps: {
  db: Db;
  repo: UsageRepository;
  products: Pick<typeof productsRepository, 'list'>;
  teams: Pick<typeof teamsRepository, 'listForOrganization'>;
  clock: Clock;
}) {
  const sum = (rows: PoolDay[], keyOf: (row: PoolDay) => string) => {
    const sums = new Map<string, UsageSeriesPoint & { key: string }>();
    for (const row of rows) {
      const key = `${keyOf(row)}|${row.day}`;
      const point = sums.get(key) ?? { key: keyOf(row), day: row.day, total: 0, assigned: 0, free: 0, active: 0 };
      point.total += row.total;
      point.assigned += row.assigned;
      point.free += row.total - row.assigned;
      point.active += row.active;
      sums.set(key, point);
    }
    return [...sums.values()];
  };

  const periodOf = (days: UsagePeriod) => {
    const to = dayOf(deps.clock.now());
    return { from: addDays(to, -(days - 1)), to };
  };

  /** The catalog's products and the organization's teams, by id: what rows name. */
  async function namesOf(organizationId: string) {
    const [products, teams] = await Promise.all([deps.products.list(deps.db), deps.teams.listForOrganization(deps.db, organizationId, 'all')]);
    return { products, teams, productById: new Map(products.map((product) => [product.id, product])), teamById: new Map(teams.map((team) => [team.id, team])) };
  }

  async function readable(actor: Actor, input: { organizationId: string; days: UsagePeriod; productId?: string | undefined; teamId?: string | undefined }) {
    const access = requireOrgAccess(actor, input.organizationId);
    if (input.teamId && !canSeeTeam(access, input.teamId)) throw new AppError('NOT_FOUND');
    const period = periodOf(input.days);
    const rows = await deps.repo.daysOf(deps.db, { ...input, ...period, visibleTeamIds: access.visibleTeams });
    return { access, period, rows };
  }

  return {
    /**
     * The scheduled job: records every day from the newest one recorded (it may have been written
     * while that day was still running) to today; the first run fills in up to a year from history.
     * Several instances may run it at once: a day's rows are keyed, so a second write replaces the first.
     */
    async recordDays(): Promise<{ days: string[] }> {
      const now = deps.clock.now();
      const today = dayOf(now);
      const latest = await deps.repo.latestDay(deps.db);
      let start = latest;
      if (!start) {
        const first = await deps.repo.firstLicenseAt(deps.db);
        if (!first) return { days: [] };
        const earliest = addDays(today, -(HISTORY_DAYS - 1));
        start = dayOf(first) > earliest ? dayOf(first) : earliest;
      }
      if (start > today) return { days: [] };
      const days: string[] = [];
      for (let day = start; day <= today && days.length < DAYS_PER_RUN; day = addDays(day, 1)) days.push(day);
      for (const day of days) {
        // A finished day as it stood at its end; today as it stands now.
        const at = day === today ? now : new Date(startOfDay(day).getTime() + DAY_MS - 1);
        // Only pools with live licenses come back: a pool whose licenses all expired has no row that day.
        await deps.repo.upsertDay(deps.db, day, await deps.repo.poolsAt(deps.db, at), now);
      }
      return { days };
    },

    /** The Usage page: per product and per team, one point a day, plus what the idle-seat policy released. */
    async report(actor: Actor, input: { organizationId: string; days: UsagePeriod; productId?: string | undefined; teamId?: string | undefined }) {
      const { access, period, rows } = await readable(actor, input);
      const [{ products, teams }, reclaimed] = await Promise.all([
        namesOf(input.organizationId),
        deps.repo.reclaimedSince(deps.db, {
          organizationId: input.organizationId,
          since: startOfDay(period.from),
          visibleTeamIds: access.visibleTeams,
          limit: 200,
        }),
      ]);
      const productIds = new Set(rows.map((row) => row.productId));
      const teamIds = new Set(rows.map((row) => row.teamId));
      return {
        ...period,
        products: products.filter((product) => productIds.has(product.id)).map(({ id, code, name }) => ({ id, code, name })),
        teams: teams.filter((team) => teamIds.has(team.id)).map(({ id, name }) => ({ id, name })),
        overall: sum(rows, () => 'all').map(({ key: _key, ...point }) => point),
        byProduct: sum(rows, (row) => row.productId).map(({ key, ...point }) => ({ productId: key, ...point })),
        byTeam: sum(rows, (row) => row.teamId).map(({ key, ...point }) => ({ teamId: key, ...point })),
        reclaimed,
      };
    },

    /** The CSV export: the same rows, one per day, product and team, with names. */
    async rows(actor: Actor, input: { organizationId: string; days: UsagePeriod; productId?: string | undefined; teamId?: string | undefined }) {
      const { rows } = await readable(actor, input);
      const { productById, teamById } = await namesOf(input.organizationId);
      return rows.map((row) => ({
        ...row,
        free: row.total - row.assigned,
        productCode: productById.get(row.productId)?.code ?? '',
        productName: productById.get(row.productId)?.name ?? '',
        teamName: teamById.get(row.teamId)?.name ?? '',
      }));
    },
  };
}

export type UsageService = ReturnType<typeof usageService>;
