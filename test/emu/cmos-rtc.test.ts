import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/emu/clock';
import { calendarFromUnix, CmosRtc } from '../../src/emu/cmos-rtc';

const read = (rtc: CmosRtc, register: number): number => {
  rtc.out8(0x70, register);
  return rtc.in8(0x71);
};

describe('CMOS RTC', () => {
  it('converts Unix time to calendar dates, including leap days', () => {
    expect(calendarFromUnix(0)).toMatchObject({
      year: 1970,
      month: 1,
      day: 1,
      weekday: 5,
      hours: 0,
    });
    expect(calendarFromUnix(951782400)).toMatchObject({ year: 2000, month: 2, day: 29 });
    expect(calendarFromUnix(1767258000 + 59)).toMatchObject({
      year: 2026,
      month: 1,
      day: 1,
      hours: 9,
      minutes: 0,
      seconds: 59,
      weekday: 5,
    });
  });

  it('reports the configured date in BCD, advanced by virtual time only', () => {
    const clock = new VirtualClock();
    const rtc = new CmosRtc(clock, 1767258000, 128 << 20); // 2026-01-01 09:00:00
    expect([read(rtc, 0x32), read(rtc, 0x09), read(rtc, 0x08), read(rtc, 0x07)]).toEqual([
      0x20, 0x26, 0x01, 0x01,
    ]);
    clock.advanceTo(61.5e9);
    expect([read(rtc, 0x04), read(rtc, 0x02), read(rtc, 0x00)]).toEqual([0x09, 0x01, 0x01]);
  });

  it('switches to binary and 12-hour formats through status B', () => {
    const clock = new VirtualClock();
    const rtc = new CmosRtc(clock, 1767258000 + 6 * 3600, 128 << 20); // 15:00
    rtc.out8(0x70, 0x0b);
    rtc.out8(0x71, 0x04); // binary, 12-hour
    expect(read(rtc, 0x04)).toBe(0x80 | 3);
    expect(read(rtc, 0x09)).toBe(26);
  });

  it('sets update-in-progress in the last 244 µs of each second', () => {
    const clock = new VirtualClock();
    const rtc = new CmosRtc(clock, 0, 128 << 20);
    expect(read(rtc, 0x0a) & 0x80).toBe(0);
    clock.advanceTo(1e9 - 100_000);
    expect(read(rtc, 0x0a) & 0x80).toBe(0x80);
  });

  it('stores the memory sizes a BIOS leaves in NVRAM', () => {
    const rtc = new CmosRtc(new VirtualClock(), 0, 128 << 20);
    expect(read(rtc, 0x34) | (read(rtc, 0x35) << 8)).toBe((112 << 20) / 65536);
  });
});
