/**
 * Intel 8254 Programmable Interval Timer, channel 0 wired to IRQ0.
 *
 * The PIT counts down at 1.193182 MHz. A kernel writes a control word to 0x43
 * (channel, access mode, counting mode) and then the reload value to the
 * channel's data port; in mode 2 (rate generator) and mode 3 (square wave) the
 * output produces one rising edge per period, which the PC wires to IRQ0 —
 * CottonOS programs 1193 for ~1000 Hz. Mode 0 (interrupt on terminal count)
 * fires once. The counter can be read back, latched by the counter-latch
 * command so the two bytes belong together. Counts are derived from the virtual
 * clock rather than decremented step by step, and IRQ0 edges are scheduled as
 * clock events, so an idle machine costs nothing between ticks. Channels 1 and
 * 2 (DRAM refresh, speaker) have no outputs wired here.
 */
import type { VirtualClock } from './clock';
import type { DeviceState } from './device-state';

export const PIT_FREQUENCY_HZ = 1_193_182;
const NS_PER_SECOND = 1e9;

const ACCESS_LATCH = 0;
const ACCESS_LOW = 1;
const ACCESS_HIGH = 2;
const ACCESS_LOW_HIGH = 3;

class PitChannel {
  mode = 0;
  access = ACCESS_LOW_HIGH;
  reload = 0x10000;
  startNs = -1;
  private writeLowNext = true;
  private readLowNext = true;
  private pendingLow = 0;
  private latched: number | null = null;

  constructor(private readonly clock: VirtualClock) {}

  /** The live count, from the time elapsed since the reload was written. */
  count(): number {
    if (this.startNs < 0) return 0;
    const elapsed = Math.floor(
      ((this.clock.now - this.startNs) * PIT_FREQUENCY_HZ) / NS_PER_SECOND,
    );
    if (this.mode === 0) return Math.max(0, this.reload - elapsed) & 0xffff;
    return (this.reload - (elapsed % this.reload)) & 0xffff;
  }

  control(access: number, mode: number): void {
    if (access === ACCESS_LATCH) {
      this.latched ??= this.count();
      return;
    }
    this.access = access;
    this.mode = mode > 5 ? mode - 4 : mode; // modes 6 and 7 are aliases of 2 and 3
    this.writeLowNext = true;
    this.readLowNext = true;
  }

  /** A data-port write; returns true when a complete reload value has arrived. */
  write(value: number): boolean {
    if (this.access === ACCESS_LOW) return this.load(value);
    if (this.access === ACCESS_HIGH) return this.load(value << 8);
    if (this.writeLowNext) {
      this.pendingLow = value;
      this.writeLowNext = false;
      return false;
    }
    this.writeLowNext = true;
    return this.load(this.pendingLow | (value << 8));
  }

  private load(value: number): boolean {
    this.reload = value === 0 ? 0x10000 : value;
    this.startNs = this.clock.now;
    return true;
  }

  saveState(): DeviceState {
    const { mode, access, reload, startNs, writeLowNext, readLowNext, pendingLow, latched } = this;
    return { mode, access, reload, startNs, writeLowNext, readLowNext, pendingLow, latched };
  }

  read(): number {
    const value = this.latched ?? this.count();
    const lowHigh = this.access === ACCESS_LOW_HIGH || this.latched !== null;
    if (!lowHigh) return this.access === ACCESS_HIGH ? value >> 8 : value & 0xff;
    const byte = this.readLowNext ? value & 0xff : value >> 8;
    this.readLowNext = !this.readLowNext;
    if (this.readLowNext) this.latched = null;
    return byte;
  }
}

export class Pit8254 {
  readonly name = '8254 PIT';
  private readonly channels: PitChannel[];
  /** How many IRQ0 edges channel 0 has produced (for statistics). */
  ticks = 0;
  private generation = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly raiseIrq0: () => void,
  ) {
    this.channels = [0, 1, 2].map(() => new PitChannel(clock));
  }

  saveState(): DeviceState {
    return {
      channels: this.channels.map((channel) => channel.saveState()),
      ticks: this.ticks,
      generation: this.generation,
    };
  }

  in8(port: number): number {
    const channel = this.channels[port & 3];
    return channel ? channel.read() : 0xff;
  }

  out8(port: number, value: number): void {
    if ((port & 3) === 3) return this.writeControl(value);
    const index = port & 3;
    if (this.channels[index]!.write(value) && index === 0) this.startChannel0();
  }

  private writeControl(value: number): void {
    const select = value >> 6;
    if (select === 3) return; // read-back command: not used by PC kernels, ignored
    this.channels[select]!.control((value >> 4) & 3, (value >> 1) & 7);
  }

  /** Schedule channel 0's output edges from now on; a new reload cancels the old train. */
  private startChannel0(): void {
    const channel = this.channels[0]!;
    const generation = ++this.generation;
    const periodNs = (channel.reload * NS_PER_SECOND) / PIT_FREQUENCY_HZ;
    const start = channel.startNs;
    const periodic = channel.mode === 2 || channel.mode === 3;
    const fire = (n: number) => () => {
      if (generation !== this.generation) return;
      this.ticks++;
      this.raiseIrq0();
      if (periodic) this.clock.schedule(start + (n + 1) * periodNs, fire(n + 1));
    };
    this.clock.schedule(start + periodNs, fire(1));
  }
}
