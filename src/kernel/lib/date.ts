/**
 * Calendar arithmetic for printing dates: the kernel has no C library.
 *
 * The RTC gives year, month, day and time but no reliable weekday (its
 * weekday register is not updated by every BIOS), so the weekday is computed
 * with Sakamoto's method for the proleptic Gregorian calendar.
 */
import { pad } from './format';

export interface DateTime {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number; // 1–31
  readonly hours: number; // 0–23
  readonly minutes: number;
  readonly seconds: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Sakamoto's month offsets. */
const MONTH_OFFSETS = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(year: number, month: number, day: number): number {
  const y = month < 3 ? year - 1 : year;
  const leapDays = Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
  return (y + leapDays + MONTH_OFFSETS[month - 1]! + day) % 7;
}

/** "10:39:22" */
export function formatTime(t: DateTime): string {
  return `${pad(t.hours, 2, '0')}:${pad(t.minutes, 2, '0')}:${pad(t.seconds, 2, '0')}`;
}

/** ISO 8601 style: "2026-06-11 10:39:22 UTC". */
export function formatIsoDateTime(t: DateTime): string {
  return `${t.year}-${pad(t.month, 2, '0')}-${pad(t.day, 2, '0')} ${formatTime(t)} UTC`;
}

/** The Unix `date` style: "Thu Jun 11 10:39:22 UTC 2026". */
export function formatUnixDate(t: DateTime): string {
  const weekday = WEEKDAYS[dayOfWeek(t.year, t.month, t.day)];
  const month = MONTHS[t.month - 1] ?? '???';
  return `${weekday} ${month} ${pad(t.day, 2)} ${formatTime(t)} UTC ${t.year}`;
}

/** Days from 1970-01-01 to the given date (proleptic Gregorian; Howard Hinnant's days_from_civil). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Seconds since 1970-01-01 00:00:00 UTC (Unix time) for an RTC reading. */
export function utcSeconds(t: DateTime): number {
  return (
    daysSinceEpoch(t.year, t.month, t.day) * 86400 + t.hours * 3600 + t.minutes * 60 + t.seconds
  );
}

/** The date and time of a Unix time (the inverse of utcSeconds; Hinnant's civil_from_days). */
export function dateTimeOfUtcSeconds(unixSeconds: number): DateTime {
  const days = Math.floor(unixSeconds / 86400);
  const rest = unixSeconds - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1,
    hours: Math.floor(rest / 3600),
    minutes: Math.floor(rest / 60) % 60,
    seconds: rest % 60,
  };
}
