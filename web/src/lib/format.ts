const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function toDate(value: string | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value: string | Date): string {
  const date = toDate(value);
  return date ? dateTimeFormat.format(date) : '—';
}

export function formatDate(value: string | Date): string {
  const date = toDate(value);
  return date ? dateFormat.format(date) : '—';
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatRelative(value: string | Date, now: number = Date.now()): string {
  const date = toDate(value);
  if (!date) return '—';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relativeFormat.format(seconds, 'second');
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
  return relativeFormat.format(Math.round(seconds / 86400), 'day');
}

const numberFormat = new Intl.NumberFormat();

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** "1 license", "3 licenses". */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}

/** Whole days from now until the date (negative once it has passed). */
export function daysUntil(value: string | Date, now: number = Date.now()): number | null {
  const date = toDate(value);
  return date ? Math.ceil((date.getTime() - now) / 86_400_000) : null;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** A calendar day the server counts in UTC ('2026-12-02'), in the reader's words: "Dec 2, 2026". */
export function formatDay(day: string): string {
  const date = toDate(`${day}T00:00:00Z`);
  return date ? dayFormat.format(date) : '—';
}

/** The same day without its year, for chart axes: "Dec 2". */
export function formatShortDay(day: string | number): string {
  const date = toDate(typeof day === 'number' ? new Date(day) : `${day}T00:00:00Z`);
  return date ? shortDayFormat.format(date) : '—';
}
