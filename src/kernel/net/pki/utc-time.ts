// Calendar dates in UTC <-> unix seconds, for certificate validity (RFC 5280 section 4.1.2.5).
// The kernel never asks the host for the date, so it cannot lean on the Date object: these few
// lines count days in the proleptic Gregorian calendar instead, in eras of 400 years (146,097
// days), where the leap-year pattern repeats exactly. Years start in March so that February's
// leap day falls at the end of the year.

const SECONDS_PER_DAY = 86_400;
const DAYS_PER_ERA = 146_097;
const DAYS_FROM_0000_03_01_TO_1970_01_01 = 719_468;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a date; month 1..12, day 1..31. */
export function daysSinceEpoch(year: number, month: number, day: number): number {
  const marchYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(marchYear / 400);
  const yearOfEra = marchYear - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - DAYS_FROM_0000_03_01_TO_1970_01_01;
}

export function unixSeconds(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  return daysSinceEpoch(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
}

/** '2035-01-01T00:00:00Z' for messages, the inverse of unixSeconds. */
export function formatUnixSeconds(seconds: number): string {
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const secondOfDay = seconds - days * SECONDS_PER_DAY;
  const shifted = days + DAYS_FROM_0000_03_01_TO_1970_01_01;
  const era = Math.floor(shifted / DAYS_PER_ERA);
  const dayOfEra = shifted - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = [secondOfDay / 3600, (secondOfDay % 3600) / 60, secondOfDay % 60].map((n) =>
    two(Math.floor(n)),
  );
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${time.join(':')}Z`;
}
