import type { UsageReport } from '@allot/contract';
import { formatDay, formatNumber, formatShortDay } from '../../lib/format';

/** One recorded day of seats, as the charts read it (`time`: the day's UTC midnight, for a time axis). */
export type SeatPoint = { time: number; day: string; total: number; assigned: number; free: number; active: number };

/** The periods the page offers, in days (the API's `days`). */
export const PERIODS = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: 'A year' },
] as const;

export type Period = (typeof PERIODS)[number]['value'];

export function readPeriod(value: string | null): Period {
  return PERIODS.find((period) => period.value === value)?.value ?? '30';
}

const DAY_MS = 86_400_000;

export function dayTime(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function toPoint(point: Omit<SeatPoint, 'time'>): SeatPoint {
  return { time: dayTime(point.day), day: point.day, total: point.total, assigned: point.assigned, free: point.free, active: point.active };
}

export function overallSeries(report: UsageReport): SeatPoint[] {
  return report.overall.map(toPoint);
}

export function productSeries(report: UsageReport, productId: string): SeatPoint[] {
  return report.byProduct.filter((point) => point.productId === productId).map(toPoint);
}

/** Teams beyond this many are summed as "Other teams": a stack of twenty colours reads as noise. */
const MAX_TEAMS_SHOWN = 6;

/** Distinct in both colour schemes, and none of them the red that means "out of seats" elsewhere. */
const TEAM_COLORS = ['blue.6', 'teal.6', 'grape.6', 'orange.6', 'cyan.6', 'lime.7', 'gray.6'];

export type TeamStack = {
  /** Chart series: `key` is the data field, `label` the team's name. */
  series: Array<{ key: string; label: string; color: string }>;
  /** One row per recorded day: `time`, `day` and each series' assigned seats. */
  rows: Array<Record<string, number | string>>;
};

/** Assigned seats per team per day, the largest teams (on the last day) first, the rest summed. */
export function teamStack(report: UsageReport): TeamStack {
  const names = new Map(report.teams.map((team) => [team.id, team.name]));
  const days = [...new Set(report.byTeam.map((point) => point.day))].sort();
  const lastDay = days.at(-1);
  const latest = new Map<string, number>();
  for (const point of report.byTeam) {
    if (point.day === lastDay) latest.set(point.teamId, point.assigned);
    else if (!latest.has(point.teamId)) latest.set(point.teamId, 0);
  }
  const ranked = [...latest.keys()].sort((a, b) => (latest.get(b) ?? 0) - (latest.get(a) ?? 0) || (names.get(a) ?? '').localeCompare(names.get(b) ?? ''));
  const shown = ranked.length > MAX_TEAMS_SHOWN ? ranked.slice(0, MAX_TEAMS_SHOWN - 1) : ranked;
  const keyOf = new Map(shown.map((teamId, index) => [teamId, `team${index}`]));
  const series = shown.map((teamId, index) => ({ key: `team${index}`, label: names.get(teamId) ?? 'Team', color: TEAM_COLORS[index % TEAM_COLORS.length]! }));
  if (shown.length < ranked.length) series.push({ key: 'others', label: 'Other teams', color: 'gray.6' });

  const byDay = new Map<string, Record<string, number | string>>();
  for (const day of days) {
    const row: Record<string, number | string> = { time: dayTime(day), day };
    for (const { key } of series) row[key] = 0;
    byDay.set(day, row);
  }
  for (const point of report.byTeam) {
    const row = byDay.get(point.day)!;
    const key = keyOf.get(point.teamId) ?? 'others';
    row[key] = (row[key] as number) + point.assigned;
  }
  return { series, rows: days.map((day) => byDay.get(day)!) };
}

/** Ticks for the time axis: a few days apart for a month, every first of the month for a year. */
export function timeTicks(from: string, to: string, period: Period): number[] {
  const start = dayTime(from);
  const end = dayTime(to);
  if (period === '365') {
    const ticks: number[] = [];
    const date = new Date(start);
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + 1);
    for (; date.getTime() <= end; date.setUTCMonth(date.getUTCMonth() + 1)) ticks.push(date.getTime());
    return ticks;
  }
  const step = (period === '30' ? 7 : 14) * DAY_MS;
  const ticks: number[] = [];
  for (let time = end; time >= start; time -= step) ticks.unshift(time);
  return ticks;
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

export function formatTick(time: number, period: Period): string {
  return period === '365' ? monthFormat.format(new Date(time)) : formatShortDay(time);
}

function change(from: number, to: number): string {
  if (from === to) return `stayed at ${formatNumber(to)}`;
  return `${to > from ? 'rose' : 'fell'} from ${formatNumber(from)} to ${formatNumber(to)}`;
}

function peak(points: SeatPoint[], field: 'assigned' | 'active'): SeatPoint {
  return points.reduce((best, point) => (point[field] > best[field] ? point : best), points[0]!);
}

/** What chart 1 shows, in one or two sentences (the chart's accessible name). */
export function describeProductSeats(productName: string, points: SeatPoint[]): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return `No seats of ${productName} were recorded in this period.`;
  if (points.length === 1) return `${productName}: ${formatNumber(last.assigned)} of ${formatNumber(last.total)} seats assigned on ${formatDay(last.day)}.`;
  const totals =
    first.total === last.total
      ? `the total stayed at ${formatNumber(last.total)}`
      : `the total went from ${formatNumber(first.total)} to ${formatNumber(last.total)}`;
  const highest = peak(points, 'assigned');
  return (
    `${productName}: assigned seats ${change(first.assigned, last.assigned)} between ${formatDay(first.day)} and ${formatDay(last.day)}, and ${totals}. ` +
    `The most assigned was ${formatNumber(highest.assigned)}, on ${formatDay(highest.day)}.`
  );
}

function share(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`;
}

/** What chart 2 shows. */
export function describeActiveSeats(points: SeatPoint[]): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return 'No seats were recorded in this period.';
  const now = `On ${formatDay(last.day)}, ${formatNumber(last.active)} of ${formatNumber(last.assigned)} assigned seats (${share(last.active, last.assigned)}) were used in the 30 days before.`;
  if (points.length === 1) return now;
  return `Active seats ${change(first.active, last.active)} between ${formatDay(first.day)} and ${formatDay(last.day)}, while assigned seats ${change(first.assigned, last.assigned)}. ${now}`;
}

/** What chart 3 shows. */
export function describeTeamSeats(stack: TeamStack): string {
  const first = stack.rows[0];
  const last = stack.rows.at(-1);
  if (!first || !last) return 'No seats were recorded in this period.';
  const sum = (row: Record<string, number | string>) => stack.series.reduce((total, { key }) => total + (row[key] as number), 0);
  const perTeam = stack.series.map(({ key, label }) => `${label} ${formatNumber(last[key] as number)}`).join(', ');
  const lastDay = formatDay(last.day as string);
  if (stack.rows.length === 1) return `Assigned seats on ${lastDay}: ${perTeam}.`;
  return `Assigned seats of all teams together ${change(sum(first), sum(last))} between ${formatDay(first.day as string)} and ${lastDay}. On ${lastDay}: ${perTeam}.`;
}

/**
 * The rows of a chart's data table for screen readers: every recorded day for a month; for longer
 * periods one a week, counting back from the last day (which is always there).
 */
export function tableRows<T extends { day: string }>(rows: T[]): { rows: T[]; weekly: boolean } {
  const last = rows.at(-1);
  if (rows.length <= 31 || !last) return { rows, weekly: false };
  const end = dayTime(last.day);
  return { rows: rows.filter((row) => Math.round((end - dayTime(row.day)) / DAY_MS) % 7 === 0), weekly: true };
}

/** The period a report covers (it carries its own first and last day). */
export function periodOf(report: Pick<UsageReport, 'from' | 'to'>): Period {
  return readPeriod(String(Math.round((dayTime(report.to) - dayTime(report.from)) / DAY_MS) + 1));
}

/**
 * The value axis: from 0 to a round number a little above the highest value, in four or five round
 * steps (1, 2 or 5 times a power of ten), so no line runs along the frame and no tick reads "44".
 */
export function valueAxis(highest: number): { domain: [number, number]; ticks: number[] } {
  const rough = Math.max(1, (highest * 1.05) / 4);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const top = Math.max(step, Math.ceil((highest * 1.05) / step) * step);
  const ticks: number[] = [];
  for (let tick = 0; tick <= top; tick += step) ticks.push(tick);
  return { domain: [0, top], ticks };
}
