/**
 * Absolute times in the formats the original NEX tool uses: RFC 3339 UTC
 * timestamps (its manifest's `created_at` and its CSV's `start_iso`).
 *
 * An instant is kept as whole Unix seconds plus nanoseconds, because a float
 * of Unix seconds has only about 0.2 µs of precision, too little to add a
 * recording's relative times to it and print nanoseconds back exactly.
 */

export interface Instant {
  /** Whole seconds since 1970-01-01T00:00:00Z. */
  readonly seconds: number;
  /** 0 ≤ nanos < 1e9. */
  readonly nanos: number;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9})\d*)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parse an RFC 3339 timestamp; null if it is not one. */
export function parseRfc3339(text: string): Instant | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
  if (
    !Number.isFinite(ms) ||
    +mo! < 1 ||
    +mo! > 12 ||
    +d! < 1 ||
    +d! > 31 ||
    +h! > 23 ||
    +mi! > 59 ||
    +s! > 60
  )
    return null;
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z')
    offset = (zone[0] === '-' ? -1 : 1) * (+zone.slice(1, 3) * 3600 + +zone.slice(4, 6) * 60);
  return { seconds: ms / 1000 - offset, nanos: fraction ? +fraction.padEnd(9, '0') : 0 };
}

export function instantFromUnixSeconds(seconds: number): Instant {
  const whole = Math.floor(seconds);
  return addSeconds({ seconds: whole, nanos: 0 }, seconds - whole);
}

/** The instant `offset` seconds (a relative recording time) after `base`, to the nanosecond. */
export function addSeconds(base: Instant, offset: number): Instant {
  const whole = Math.floor(offset);
  let nanos = base.nanos + Math.round((offset - whole) * 1e9);
  let seconds = base.seconds + whole;
  if (nanos >= 1e9) {
    nanos -= 1e9;
    seconds += 1;
  }
  return { seconds, nanos };
}

/** Seconds from `base` to `to` as a float. */
export function secondsBetween(base: Instant, to: Instant): number {
  return to.seconds - base.seconds + (to.nanos - base.nanos) / 1e9;
}

/** As a float of Unix seconds (for the original's command-event times). */
export function toUnixSeconds(instant: Instant): number {
  return instant.seconds + instant.nanos / 1e9;
}

/** Fraction digits as chrono's "AutoSi": none, 3, 6 or 9, whichever shows the value exactly. */
function fractionAutoSi(nanos: number): string {
  if (nanos === 0) return '';
  if (nanos % 1_000_000 === 0) return `.${String(nanos / 1_000_000).padStart(3, '0')}`;
  if (nanos % 1000 === 0) return `.${String(nanos / 1000).padStart(6, '0')}`;
  return `.${String(nanos).padStart(9, '0')}`;
}

function dateAndTime(instant: Instant): string {
  return (
    new Date(instant.seconds * 1000).toISOString().slice(0, 19) + fractionAutoSi(instant.nanos)
  );
}

/** `2026-01-01T09:00:00Z`: how the original's manifest writes `created_at` (serde of a UTC DateTime). */
export function formatManifestTime(instant: Instant): string {
  return `${dateAndTime(instant)}Z`;
}

/** `2026-01-01T09:00:00.500+00:00`: how the original's CSV writes `start_iso` (to_rfc3339). */
export function formatIsoOffset(instant: Instant): string {
  return `${dateAndTime(instant)}+00:00`;
}
