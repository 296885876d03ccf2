/**
 * Driver for the CMOS real-time clock: the date and time of day.
 *
 * Models: the Motorola MC146818A RTC found in every PC, as its datasheet and
 * the PC's wiring describe it. Its registers sit behind an index port (0x70)
 * and a data port (0x71). The chip updates its time registers once a second;
 * while Status Register A's "update in progress" bit is set they may be
 * inconsistent, so the driver waits for it to clear and then reads everything
 * twice until two reads agree. Status Register B says whether values are BCD
 * or binary and whether hours are 12- or 24-hour; the PC's register 0x32
 * holds the century.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import type { DateTime } from '../lib/date';

const CMOS_INDEX = 0x70;
const CMOS_DATA = 0x71;

const REG_SECONDS = 0x00;
const REG_MINUTES = 0x02;
const REG_HOURS = 0x04;
const REG_DAY_OF_MONTH = 0x07;
const REG_MONTH = 0x08;
const REG_YEAR = 0x09;
const REG_STATUS_A = 0x0a;
const REG_STATUS_B = 0x0b;
const REG_CENTURY = 0x32;

const STATUS_A_UPDATE_IN_PROGRESS = 0x80;
const STATUS_B_24_HOUR = 0x02;
const STATUS_B_BINARY = 0x04;
/** In 12-hour mode, bit 7 of the hours register means PM. */
const HOURS_PM = 0x80;

/** How many status reads to wait for an update to finish (one takes under 2 ms). */
const UPDATE_WAIT_LIMIT = 10_000;

type RawTime = number[];

export class CmosRtc {
  constructor(private readonly cpu: MachineInterface) {}

  /** The current date and time, in the RTC's time zone (the machine keeps UTC). */
  read(): DateTime {
    let previous = this.readConsistentRaw();
    for (;;) {
      const again = this.readConsistentRaw();
      if (again.every((value, i) => value === previous[i])) return this.decode(again);
      previous = again;
    }
  }

  private readRegister(register: number): number {
    this.cpu.outb(CMOS_INDEX, register);
    return this.cpu.inb(CMOS_DATA);
  }

  private readConsistentRaw(): RawTime {
    for (let i = 0; i < UPDATE_WAIT_LIMIT; i++) {
      if ((this.readRegister(REG_STATUS_A) & STATUS_A_UPDATE_IN_PROGRESS) === 0) break;
    }
    return [
      REG_SECONDS,
      REG_MINUTES,
      REG_HOURS,
      REG_DAY_OF_MONTH,
      REG_MONTH,
      REG_YEAR,
      REG_CENTURY,
    ].map((register) => this.readRegister(register));
  }

  private decode([seconds, minutes, hours, day, month, year, century]: RawTime): DateTime {
    const statusB = this.readRegister(REG_STATUS_B);
    const binary = (statusB & STATUS_B_BINARY) !== 0;
    const value = (raw: number) => (binary ? raw : bcdToBinary(raw));
    const pm = (statusB & STATUS_B_24_HOUR) === 0 && (hours! & HOURS_PM) !== 0;
    let hour = value(hours! & ~HOURS_PM);
    if ((statusB & STATUS_B_24_HOUR) === 0) hour = (hour % 12) + (pm ? 12 : 0);
    const centuryValue = century ? value(century) : 20;
    return {
      year: centuryValue * 100 + value(year!),
      month: value(month!),
      day: value(day!),
      hours: hour,
      minutes: value(minutes!),
      seconds: value(seconds!),
    };
  }
}

/** 0x59 → 59: each nibble is one decimal digit. */
export function bcdToBinary(bcd: number): number {
  return (bcd >> 4) * 10 + (bcd & 0x0f);
}
