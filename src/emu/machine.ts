/**
 * The Cotton PC: memory, devices, the CPU core and the firmware, wired as on a PC.
 *
 * | device            | ports           | IRQ |
 * |-------------------|-----------------|-----|
 * | 8259A PIC pair    | 0x20–21, 0xA0–A1| –   |
 * | 8254 PIT          | 0x40–0x43       | 0   |
 * | 16550A UART COM1  | 0x3F8–0x3FF     | 4   |
 * | MC146818 RTC/CMOS | 0x70–0x71       | 8   |
 * | pvpanic           | 0x505           | –   |
 * | ACPI PM1a control | 0x604           | –   |
 * | reset control     | 0xCF9           | –   |
 *
 * The machine runs its kernel in slices: `run(untilNs)` executes the kernel
 * until it halts, fires device events in virtual-time order while the CPU is
 * halted, and stops when virtual time reaches `untilNs`. Whether those
 * nanoseconds are paced to wall time is up to the host (src/runtime), which is
 * what keeps the machine deterministic.
 */
import { VirtualClock } from './clock';
import { CmosRtc } from './cmos-rtc';
import { CpuCore } from './cpu-core';
import { bootMultiboot2, type BootModule, type FramebufferInfo } from './firmware';
import { IoBus } from './io-bus';
import type { HaltRequest, KernelEntry } from './machine-interface';
import { Pic8259Pair } from './pic8259';
import { Pit8254 } from './pit8254';
import { PhysicalMemory } from './physical-memory';
import { PowerControl } from './power-control';
import { Uart16550 } from './uart16550';

export const DEFAULT_RAM_BYTES = 128 * 1024 * 1024;
/** The RTC's date at power-on unless configured: 2026-01-01 09:00:00 UTC. */
export const DEFAULT_START_TIME = 1767258000;
export const DEFAULT_FRAMEBUFFER: FramebufferInfo = { addr: 0xfd000000, pitch: 4096, width: 1024, height: 768, bpp: 32 };

const COM1 = 0x3f8;
const IRQ_PIT = 0;
const IRQ_COM1 = 4;

export interface MachineConfig {
  /** The linked kernel: its entry function and its image (Multiboot2 header first). */
  readonly kernel: { readonly entry: KernelEntry; readonly image: Uint8Array };
  readonly ramBytes?: number;
  readonly commandLine?: string;
  readonly modules?: readonly BootModule[];
  /** RTC date at power-on, Unix seconds. */
  readonly startTime?: number;
  /** Receives what the kernel writes to COM1, in batches. */
  readonly onSerialOutput?: (bytes: Uint8Array) => void;
}

/**
 * - running: executing the kernel; idle: halted, waiting for an interrupt;
 * - stopped: halted with interrupts disabled (hung for good);
 * - panicked: the kernel reported a panic through pvpanic and stopped;
 * - poweroff / reset: the kernel asked the chipset to power off or reset;
 * - crashed: the kernel's code escaped its own error handling (a triple fault).
 */
export type MachineState = 'off' | 'running' | 'idle' | 'stopped' | 'panicked' | 'poweroff' | 'reset' | 'crashed';

export interface MachineStats {
  readonly virtualNs: number;
  readonly timerTicks: number;
  readonly interrupts: number;
  readonly serialBytesOut: number;
}

export class CottonPC {
  readonly clock = new VirtualClock();
  readonly memory: PhysicalMemory;
  readonly io = new IoBus();
  readonly pic = new Pic8259Pair();
  readonly pit: Pit8254;
  readonly uart: Uart16550;
  readonly rtc: CmosRtc;
  readonly power = new PowerControl();
  readonly cpu: CpuCore;
  state: MachineState = 'off';
  /** Why the machine crashed, when it did. */
  crash: Error | null = null;
  private kernel: Generator<HaltRequest, void, void> | null = null;
  private serialOut: number[] = [];
  private serialBytesOut = 0;

  constructor(private readonly config: MachineConfig) {
    this.memory = new PhysicalMemory(config.ramBytes ?? DEFAULT_RAM_BYTES);
    this.pit = new Pit8254(this.clock, () => this.pic.pulseIrq(IRQ_PIT));
    this.uart = new Uart16550(COM1, (high) => this.pic.setIrq(IRQ_COM1, high), (byte) => this.serialOut.push(byte));
    this.rtc = new CmosRtc(this.clock, config.startTime ?? DEFAULT_START_TIME, this.memory.size);
    this.cpu = new CpuCore(this.clock, this.io, this.memory, this.pic);
    this.io.attach(this.pic, 0x20, 2);
    this.io.attach(this.pic, 0xa0, 2);
    this.io.attach(this.pit, 0x40, 4);
    this.io.attach(this.rtc, 0x70, 2);
    this.io.attach(this.uart, COM1, 8);
    this.io.attach(this.power, 0x505);
    this.io.attach(this.power, 0x604, 2);
    this.io.attach(this.power, 0xcf9);
  }

  /** Bytes typed on the serial line. */
  serialInput(bytes: Iterable<number>): void {
    this.uart.receive(bytes);
  }

  /** Run until virtual time `untilNs`, or until the machine stops for good. */
  run(untilNs: number): MachineState {
    if (this.state === 'off') this.powerOn();
    while (this.state === 'running' || this.state === 'idle') {
      if (this.state === 'running') {
        this.resumeKernel();
      } else if (this.takeInterrupts()) {
        this.state = 'running';
      } else if (this.clock.nextEventAt() <= untilNs) {
        this.clock.advanceTo(this.clock.nextEventAt());
      } else {
        this.clock.advanceTo(untilNs);
        break;
      }
    }
    this.flushSerial();
    return this.state;
  }

  stats(): MachineStats {
    return {
      virtualNs: this.clock.now,
      timerTicks: this.pit.ticks,
      interrupts: this.cpu.interruptCounts.reduce((a, b) => a + b, 0),
      serialBytesOut: this.serialBytesOut,
    };
  }

  private powerOn(): void {
    const registers = bootMultiboot2(this.memory, {
      image: this.config.kernel.image,
      commandLine: this.config.commandLine ?? '',
      modules: this.config.modules ?? [],
      framebuffer: DEFAULT_FRAMEBUFFER,
    });
    this.kernel = this.config.kernel.entry(this.cpu, registers);
    this.state = 'running';
  }

  /** Deliver pending interrupts to a halted CPU; a handler's exception goes to the kernel. */
  private takeInterrupts(): boolean {
    try {
      return this.cpu.deliverPending();
    } catch (error) {
      this.resumeKernel(error);
      return false;
    }
  }

  /** Execute the kernel until its next HLT (or throw `error` into it at its HLT). */
  private resumeKernel(error?: unknown): void {
    try {
      const step = error === undefined ? this.kernel!.next() : this.kernel!.throw(error);
      if (step.done) return this.fail(new Error("the kernel's main loop returned"));
      this.state = this.cpu.interruptsEnabled() ? 'idle' : 'stopped';
    } catch (thrown) {
      return this.fail(thrown instanceof Error ? thrown : new Error(String(thrown)));
    }
    this.actOnPowerRequest();
  }

  private actOnPowerRequest(): void {
    const request = this.power.request;
    if (request === 'reset' || request === 'poweroff') this.state = request;
    else if (request === 'panic' && this.state === 'stopped') this.state = 'panicked';
  }

  private fail(error: Error): void {
    this.crash = error;
    this.state = 'crashed';
  }

  private flushSerial(): void {
    if (this.serialOut.length === 0) return;
    const bytes = Uint8Array.from(this.serialOut);
    this.serialOut = [];
    this.serialBytesOut += bytes.length;
    this.config.onSerialOutput?.(bytes);
  }
}
