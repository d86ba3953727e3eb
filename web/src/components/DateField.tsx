import '@mantine/dates/styles.css';

import { DateInput, DatePickerInput, type DateInputProps, type DatePickerInputProps } from '@mantine/dates';
import dayjs from 'dayjs';

const DISPLAY_FORMAT = 'MMM D, YYYY';

/** Accepts `2027-12-31` as well as what the field shows ("Dec 31, 2027"). */
export function parseDateInput(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return dayjs(trimmed).isValid() ? trimmed : null;
  const parsed = new Date(trimmed);
  return Number.isNaN(parsed.getTime()) ? null : dayjs(parsed).format('YYYY-MM-DD');
}

/** A typed-or-picked calendar date; the value is a `YYYY-MM-DD` string. */
export function DateField(props: Omit<DateInputProps, 'dateParser' | 'valueFormat'>) {
  return <DateInput valueFormat={DISPLAY_FORMAT} dateParser={parseDateInput} placeholder="Pick a date" popoverProps={{ withinPortal: true }} {...props} />;
}

/** A from–to date pair for filters; either end may be empty. */
export function DateRangeField(props: Omit<DatePickerInputProps<'range'>, 'type' | 'valueFormat'>) {
  return <DatePickerInput type="range" valueFormat={DISPLAY_FORMAT} allowSingleDateInRange clearable {...props} />;
}
