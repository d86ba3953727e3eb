import { z } from 'zod';

/**
 * Dates as clients send them, parsed strictly: JavaScript's Date quietly turns 2031-02-30 into
 * 2 March and accepts years no column can sort, so every component is checked here and a date
 * that does not exist is a 400, never a different day or a 500. Years are four digits from 1970:
 * stored instants are ISO text on SQLite, which sorts correctly only within that range.
 */
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** "2027-01-31" as the instant its last millisecond ends (UTC), or undefined when no such day exists. */
export function parseEndOfDay(text: string): Date | undefined {
  const match = CALENDAR_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isCalendarDate(year, month, day)) return undefined;
  return new Date(Date.UTC(year, month - 1, day, 23, 59, 59, 999));
}

/** "2027-01-31" as its first instant (UTC), or undefined when no such day exists. */
export function parseStartOfDay(text: string): Date | undefined {
  const end = parseEndOfDay(text);
  return end ? new Date(end.getTime() - 24 * 60 * 60 * 1000 + 1) : undefined;
}

/** An RFC 3339 date-time with a zone ("2027-01-31T12:00:00Z", "…+02:00"), or undefined. */
export function parseDateTime(text: string): Date | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((index) => Number(match[index]));
  const second = Number(match[6] ?? 0);
  const milliseconds = Math.floor(Number(`0${match[7] ?? ''}`) * 1000);
  const zone = match[8]!;
  if (!isCalendarDate(year!, month!, day!) || hour! > 23 || minute! > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const [zoneHours, zoneMinutes] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
    if (zoneHours > 23 || zoneMinutes > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const instant = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second, milliseconds) - offsetMinutes * 60_000);
  const utcYear = instant.getUTCFullYear();
  return utcYear >= MIN_YEAR && utcYear <= MAX_YEAR ? instant : undefined;
}

const DATE_HINT = 'a date like 2027-01-31 or a date-time like 2027-01-31T12:00:00Z (years 1970 to 9999)';

function dateSchema(parseCalendarDate: (text: string) => Date | undefined) {
  return z
    .string()
    .trim()
    .max(40)
    .transform((text, context) => {
      const parsed = CALENDAR_DATE.test(text) ? parseCalendarDate(text) : parseDateTime(text);
      if (!parsed) {
        context.addIssue({ code: 'custom', message: `Not a real date: use ${DATE_HINT}.` });
        return z.NEVER;
      }
      return parsed;
    })
    .describe(DATE_HINT);
}

/** A day (valid through its end, UTC) or an exact instant: valid-until dates, expiries, "to" filters. */
export const dateUntilInput = dateSchema(parseEndOfDay);

/** A day (from its start, UTC) or an exact instant: "from" filters. */
export const dateFromInput = dateSchema(parseStartOfDay);
