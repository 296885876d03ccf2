/**
 * MC146818 CMOS real-time clock and NVRAM, at index port 0x70 / data port 0x71.
 *
 * The clock shows the machine's configured start date advanced by virtual time,
 * never the host's clock, so a recording made today replays with the same
 * dates. Registers as in the MC146818 datasheet: seconds, minutes, hours, day
 * of week, day, month, year (0x00–0x09), status A (bit 7: update in progress,
 * during the last 244 µs of each second), status B (bit 1: 24-hour, bit 2:
 * binary instead of BCD; writable), status C (interrupt flags), status D
 * (bit 7: battery good), and the PC's century byte (0x32). The NVRAM also
 * holds the memory sizes a PC BIOS stores there (0x17/0x18, 0x34/0x35).
 * Periodic, alarm and update interrupts are not modelled.
 */
import type { VirtualClock } from './clock';
import type { DeviceState } from './device-state';

const INDEX_MASK = 0x7f; // bit 7 of the index port is the NMI mask
const REG_STATUS_A = 0x0a;
const REG_STATUS_B = 0x0b;
const REG_STATUS_C = 0x0c;
const REG_STATUS_D = 0x0d;
const REG_CENTURY = 0x32;
const STATUS_A_UPDATE_IN_PROGRESS = 0x80;
const STATUS_A_DIVIDER_32768HZ = 0x26;
const STATUS_B_24_HOUR = 0x02;
const STATUS_B_BINARY = 0x04;
const STATUS_D_VALID_RAM = 0x80;
const UPDATE_WINDOW_NS = 244_000;

/** A calendar date and time, in UTC. */
export interface CalendarTime {
  year: number;
  month: number;
  day: number;
  weekday: number; // 1 = Sunday, as the RTC counts
  hours: number;
  minutes: number;
  seconds: number;
}

/** Convert Unix seconds to a calendar date (proleptic Gregorian, UTC). */
export function calendarFromUnix(unixSeconds: number): CalendarTime {
  const days = Math.floor(unixSeconds / 86400);
  const secondsOfDay = unixSeconds - days * 86400;
  // Days since 0000-03-01 in 400-year eras (H. Hinnant's civil_from_days).
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
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1,
    weekday: (((days % 7) + 11) % 7) + 1, // 1970-01-01 was a Thursday (5)
    hours: Math.floor(secondsOfDay / 3600),
    minutes: Math.floor((secondsOfDay % 3600) / 60),
    seconds: secondsOfDay % 60,
  };
}

const toBcd = (value: number): number => ((Math.floor(value / 10) % 10) << 4) | (value % 10);

export class CmosRtc {
  readonly name = 'MC146818 RTC';
  private index = 0;
  private statusB = STATUS_B_24_HOUR;
  private readonly nvram = new Uint8Array(128);

  constructor(
    private readonly clock: VirtualClock,
    private readonly startUnixSeconds: number,
    ramBytes: number,
  ) {
    this.storeMemorySizes(ramBytes);
  }

  private storeMemorySizes(ramBytes: number): void {
    const extendedKiB = Math.min(0xffff, Math.max(0, ramBytes / 1024 - 1024));
    this.nvram[0x17] = extendedKiB & 0xff;
    this.nvram[0x18] = extendedKiB >> 8;
    const above16MiB = Math.max(0, (ramBytes - 16 * 1024 * 1024) / 65536);
    this.nvram[0x34] = above16MiB & 0xff;
    this.nvram[0x35] = (above16MiB >> 8) & 0xff;
  }

  /** Unix seconds on the machine's clock now. */
  unixTime(): number {
    return this.startUnixSeconds + Math.floor(this.clock.now / 1e9);
  }

  saveState(): DeviceState {
    return {
      startUnixSeconds: this.startUnixSeconds,
      index: this.index,
      statusB: this.statusB,
      nvram: this.nvram.slice(),
    };
  }

  in8(port: number): number {
    return port === 0x70 ? 0xff : this.readRegister(this.index);
  }

  out8(port: number, value: number): void {
    if (port === 0x70) this.index = value & INDEX_MASK;
    else if (this.index === REG_STATUS_B) this.statusB = value;
    else if (this.index > REG_STATUS_D && this.index !== REG_CENTURY)
      this.nvram[this.index] = value;
  }

  private readRegister(index: number): number {
    const now = calendarFromUnix(this.unixTime());
    const fields: Record<number, number> = {
      0x00: now.seconds,
      0x02: now.minutes,
      0x04: this.encodeHours(now.hours),
      0x06: now.weekday,
      0x07: now.day,
      0x08: now.month,
      0x09: now.year % 100,
      [REG_CENTURY]: Math.floor(now.year / 100),
    };
    if (index in fields) return index === 0x04 ? fields[index]! : this.encode(fields[index]!);
    switch (index) {
      case REG_STATUS_A:
        return (
          STATUS_A_DIVIDER_32768HZ |
          (this.clock.now % 1e9 >= 1e9 - UPDATE_WINDOW_NS ? STATUS_A_UPDATE_IN_PROGRESS : 0)
        );
      case REG_STATUS_B:
        return this.statusB;
      case REG_STATUS_C:
        return 0;
      case REG_STATUS_D:
        return STATUS_D_VALID_RAM;
      default:
        return this.nvram[index]!;
    }
  }

  private encode(value: number): number {
    return this.statusB & STATUS_B_BINARY ? value : toBcd(value);
  }

  /** Hours in the programmed format; in 12-hour mode bit 7 marks PM. */
  private encodeHours(hours: number): number {
    if (this.statusB & STATUS_B_24_HOUR) return this.encode(hours);
    const pm = hours >= 12 ? 0x80 : 0;
    return this.encode(hours % 12 === 0 ? 12 : hours % 12) | pm;
  }
}
