import { describe, expect, it } from 'vitest';
import { splitWords } from '../../../src/kernel/shell/command-line';
import { parseDuration } from '../../../src/kernel/shell/commands';
import { cyclesToMicros, Pit8254, PIT_INPUT_HZ } from '../../../src/kernel/drivers/pit8254';
import { bcdToBinary } from '../../../src/kernel/drivers/cmos-rtc';
import { dayOfWeek, formatUnixDate } from '../../../src/kernel/lib/date';
import { formatSeconds, formatSize } from '../../../src/kernel/lib/format';
import { utf8Encode } from '../../../src/kernel/lib/utf8';

describe('command line words', () => {
  it('splits on blanks and honours quotes and backslashes', () => {
    expect(splitWords('  echo  a   b ')).toEqual(['echo', 'a', 'b']);
    expect(splitWords(`echo "a  b" 'c "d"' e\\ f ""`)).toEqual([
      'echo',
      'a  b',
      'c "d"',
      'e f',
      '',
    ]);
    expect(() => splitWords('echo "oops')).toThrow(/unmatched "/);
  });
});

describe('sleep durations', () => {
  it('reads seconds by default and milliseconds with ms', () => {
    expect(parseDuration('2')).toBe(2000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('-1')).toBeNull();
    expect(parseDuration('soon')).toBeNull();
  });
});

describe('time keeping', () => {
  it('converts PIT cycles to microseconds exactly, even after days', () => {
    expect(cyclesToMicros(PIT_INPUT_HZ)).toBe(1_000_000);
    expect(cyclesToMicros(1193)).toBe(999);
    const day = 86_400 * PIT_INPUT_HZ;
    expect(cyclesToMicros(day + 1193)).toBe(86_400_000_000 + 999);
  });

  it('covers a sleep with whole ticks', () => {
    const pit = new Pit8254({} as never);
    expect(pit.ticksFor(1000)).toBe(1001); // ticks are 0.99985 ms
    expect(pit.ticksFor(1)).toBe(2);
  });

  it('decodes BCD and computes weekdays', () => {
    expect(bcdToBinary(0x59)).toBe(59);
    expect(dayOfWeek(2026, 1, 1)).toBe(4); // a Thursday
    expect(dayOfWeek(2000, 2, 29)).toBe(2); // a Tuesday
    expect(
      formatUnixDate({ year: 2026, month: 6, day: 11, hours: 10, minutes: 39, seconds: 22 }),
    ).toBe('Thu Jun 11 10:39:22 UTC 2026');
  });
});

describe('formatting', () => {
  it('formats sizes, timestamps and UTF-8', () => {
    expect(formatSize(128 * 1024 * 1024)).toBe('128 MiB');
    expect(formatSize(0x9fc00)).toBe('639 KiB');
    expect(formatSize(0x9fc00 + 127 * 1024 * 1024)).toBe('127.6 MiB');
    expect(formatSeconds(1_234)).toBe('0.001234');
    expect(Array.from(utf8Encode('aé€😀'))).toEqual([
      0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80,
    ]);
  });
});
