import { describe, expect, it } from 'vitest';
import {
  daysInMonth,
  formatUnixSeconds,
  unixSeconds,
} from '../../../../src/kernel/net/pki/utc-time.ts';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

describe('UTC calendar arithmetic', () => {
  const seed = Number(process.env.PKI_SEED ?? 20_260_101);

  it(`agrees with Date.UTC on 5,000 random dates from 1950 to 9999 (seed ${seed})`, () => {
    const random = uniformRandom(seed);
    const pick = (n: number) => Math.floor(random() * n);
    for (let i = 0; i < 5000; i++) {
      const year = 1950 + pick(8050);
      const month = 1 + pick(12);
      const day = 1 + pick(daysInMonth(year, month));
      const [hour, minute, second] = [pick(24), pick(60), pick(60)];
      const expected = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
      expect(unixSeconds(year, month, day, hour, minute, second), `seed ${seed}`).toBe(expected);
      expect(formatUnixSeconds(expected), `seed ${seed}`).toBe(
        new Date(expected * 1000).toISOString().replace('.000', ''),
      );
    }
  });

  it('knows the leap years of the Gregorian calendar', () => {
    expect([1900, 2000, 2024, 2025, 2100].map((y) => daysInMonth(y, 2))).toEqual([
      28, 29, 29, 28, 28,
    ]);
    expect(formatUnixSeconds(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatUnixSeconds(-1)).toBe('1969-12-31T23:59:59Z');
  });
});
