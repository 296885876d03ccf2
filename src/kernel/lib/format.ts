/**
 * Small text formatting helpers for kernel messages.
 *
 * A kernel has no printf library to lean on, so the few formats it prints
 * (hexadecimal addresses, padded numbers, memory sizes, dmesg timestamps) are
 * spelled out here, once.
 */

/** `value` in hexadecimal with a 0x prefix, zero-padded to `digits`. */
export function hex(value: number, digits = 0): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** `value` as decimal, padded on the left with `fill` to `width`. */
export function pad(value: number | string, width: number, fill = ' '): string {
  return String(value).padStart(width, fill);
}

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/**
 * A byte count the way people read it: "128 MiB", "639 KiB", "127.6 MiB".
 * Whole units print without decimals so that exact sizes stay exact.
 */
export function formatSize(bytes: number): string {
  const units: Array<[number, string]> = [
    [GiB, 'GiB'],
    [MiB, 'MiB'],
    [KiB, 'KiB'],
  ];
  for (const [unit, name] of units) {
    if (bytes >= unit) {
      const value = bytes / unit;
      return Number.isInteger(value) ? `${value} ${name}` : `${value.toFixed(1)} ${name}`;
    }
  }
  return `${bytes} B`;
}

/** A duration in microseconds as seconds with six decimals, e.g. "12.000345". */
export function formatSeconds(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `${seconds}.${pad(micros % 1_000_000, 6, '0')}`;
}

/** A duration in microseconds as "h:mm:ss.mmm". */
export function formatDuration(micros: number): string {
  const totalMillis = Math.floor(micros / 1000);
  const hours = Math.floor(totalMillis / 3_600_000);
  const minutes = Math.floor(totalMillis / 60_000) % 60;
  const seconds = Math.floor(totalMillis / 1000) % 60;
  return `${hours}:${pad(minutes, 2, '0')}:${pad(seconds, 2, '0')}.${pad(totalMillis % 1000, 3, '0')}`;
}
