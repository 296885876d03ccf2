/**
 * Numbers written the way the original NEX tool's JSON library (Rust's
 * serde_json) writes them, so files from the book look like the original's:
 * a float always has a fraction or exponent (`1.0`, not `1`), shortest digits
 * that read back to the same value otherwise.
 */
export function formatFloat(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} as JSON`);
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return n.toFixed(1);
  return String(n).replace('e+', 'e');
}

/** Seconds with at most 6 decimals (microseconds), from a value already on the µs grid: `1.25`, `0.000001`. */
export function formatMicros(seconds: number): string {
  const micros = Math.round(seconds * 1e6);
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / 1e6);
  const fraction = String(abs % 1e6)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
