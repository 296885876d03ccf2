// Calendar dates in UTC <-> unix seconds, for certificate validity (RFC 5280 section 4.1.2.5).
// The kernel never asks the host for the date, so it cannot lean on the Date object: the day
// counting is the kernel's own calendar (lib/date.ts, which the RTC's clock uses too); this file
// adds what certificates need on top: checking a parsed day exists, and the RFC 3339 text.

import { dateTimeOfUtcSeconds, utcSeconds } from '../../lib/date';

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function unixSeconds(
  year: number,
  month: number,
  day: number,
  hours: number,
  minutes: number,
  seconds: number,
): number {
  return utcSeconds({ year, month, day, hours, minutes, seconds });
}

/** '2035-01-01T00:00:00Z' for messages, the inverse of unixSeconds. */
export function formatUnixSeconds(seconds: number): string {
  const t = dateTimeOfUtcSeconds(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${String(t.year).padStart(4, '0')}-${two(t.month)}-${two(t.day)}`;
  return `${date}T${two(t.hours)}:${two(t.minutes)}:${two(t.seconds)}Z`;
}
