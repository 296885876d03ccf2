/**
 * Driver for the 8254 Programmable Interval Timer: the kernel's clock.
 *
 * Models: Intel 8254 datasheet, "Control Word Format" and "Counter Latch
 * Command". The PIT's counters run from a 1.193182 MHz crystal (a third of the
 * NTSC colour-burst frequency, an accident of the 1981 IBM PC). Counter 0 is
 * wired to IRQ 0. Programmed in mode 2, "rate generator", with divisor N it
 * counts N, N-1, …, 1 and raises IRQ 0 each time it reloads: N = 1193 gives
 * 1000.15 interrupts a second, the 1000 Hz tick CottonOS runs on.
 *
 * The kernel's time is the number of ticks counted by the IRQ 0 handler. For
 * finer resolution (the dmesg timestamps) the counter itself is read with the
 * latch command: how far it has counted down says how far we are into the
 * current tick, to the PIT's 0.84 µs resolution.
 */
import type { MachineInterface } from '../../emu/machine-interface';

export const PIT_INPUT_HZ = 1193182;
export const TICK_HZ = 1000;
/** Divisor for TICK_HZ, rounded to the nearest integer: 1193. */
export const PIT_DIVISOR = Math.round(PIT_INPUT_HZ / TICK_HZ);
export const TIMER_IRQ = 0;

const CHANNEL0_DATA = 0x40;
const MODE_COMMAND = 0x43;

// Control word: SC (select counter) bits 7–6, RW bits 5–4, M (mode) bits 3–1, BCD bit 0.
const CW_COUNTER_0 = 0 << 6;
const CW_RW_LATCH = 0 << 4; // "counter latch command"
const CW_RW_LOW_THEN_HIGH = 3 << 4;
const CW_MODE_2_RATE_GENERATOR = 2 << 1;
const CW_BINARY = 0;

export class Pit8254 {
  /** Timer interrupts counted since `start()`: the kernel's notion of "now". */
  ticks = 0;
  /** The last time handed out, so that time never runs backwards (see elapsedCycles). */
  private lastCycles = 0;
  /** Until `start()` there is no clock: time reads as 0. */
  private running = false;

  constructor(
    private readonly cpu: MachineInterface,
    readonly divisor = PIT_DIVISOR,
  ) {}

  // #region exercise:pit-start
  /** Program counter 0 as a rate generator: IRQ 0 every `divisor` input cycles. */
  start(): void {
    this.cpu.outb(
      MODE_COMMAND,
      CW_COUNTER_0 | CW_RW_LOW_THEN_HIGH | CW_MODE_2_RATE_GENERATOR | CW_BINARY,
    );
    this.cpu.outb(CHANNEL0_DATA, this.divisor & 0xff);
    this.cpu.outb(CHANNEL0_DATA, this.divisor >> 8);
    this.running = true;
  }
  // #endregion exercise:pit-start

  /** The IRQ 0 handler's work: one more tick. */
  tick(): void {
    this.ticks++;
  }

  /** Freeze counter 0's current value with the latch command and read it, low byte first. */
  readCounter(): number {
    this.cpu.outb(MODE_COMMAND, CW_COUNTER_0 | CW_RW_LATCH);
    const low = this.cpu.inb(CHANNEL0_DATA);
    const high = this.cpu.inb(CHANNEL0_DATA);
    return (high << 8) | low;
  }

  /**
   * PIT input cycles since `start()`: whole ticks plus how far counter 0 has
   * counted down in the current one. Just after the counter reloads, IRQ 0
   * may still be pending (interrupts are taken only at sti/HLT), so the tick
   * count lags the counter by one; clamping to the last value returned keeps
   * time monotonic across that moment.
   */
  elapsedCycles(): number {
    if (!this.running) return 0;
    const intoTick = this.divisor - this.readCounter();
    const cycles = this.ticks * this.divisor + Math.max(0, Math.min(intoTick, this.divisor - 1));
    this.lastCycles = Math.max(this.lastCycles, cycles);
    return this.lastCycles;
  }

  /** Microseconds since `start()`, exact: cycles × 10^6 / 1193182 without losing precision. */
  uptimeMicros(): number {
    return cyclesToMicros(this.elapsedCycles());
  }

  /** The number of whole ticks that cover `millis` milliseconds. */
  ticksFor(millis: number): number {
    return Math.ceil((millis * PIT_INPUT_HZ) / (1000 * this.divisor));
  }
}

/** Convert PIT input cycles to microseconds, splitting off whole seconds to stay exact. */
export function cyclesToMicros(cycles: number): number {
  const seconds = Math.floor(cycles / PIT_INPUT_HZ);
  const rest = cycles % PIT_INPUT_HZ;
  return seconds * 1_000_000 + Math.floor((rest * 1_000_000) / PIT_INPUT_HZ);
}
