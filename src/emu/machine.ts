/**
 * The Cotton PC: memory, devices, the CPU core and the firmware, wired as on a PC.
 *
 * | device            | ports           | IRQ |
 * |-------------------|-----------------|-----|
 * | 8259A PIC pair    | 0x20–21, 0xA0–A1| –   |
 * | 8254 PIT          | 0x40–0x43       | 0   |
 * | 16550A UART COM1  | 0x3F8–0x3FF     | 4   |
 * | MC146818 RTC/CMOS | 0x70–0x71       | 8   |
 * | 8042 PS/2 (kbd)   | 0x60, 0x64      | 1   |
 * | 8042 PS/2 (mouse) | (same)          | 12  |
 * | ATA disk, primary | 0x1F0–0x1F7, 0x3F6 | 14 (only with a disk image) |
 * | Bochs VBE display | 0x1CE–0x1CF     | –   |
 * | pvpanic           | 0x505           | –   |
 * | ACPI PM1a control | 0x604           | –   |
 * | PCI CONFIG_ADDRESS| 0xCF8 (dword)   | –   |
 * | reset control     | 0xCF9 (byte)    | –   |
 * | PCI CONFIG_DATA   | 0xCFC–0xCFF     | –   |
 * | RTL8139 NIC (BAR0)| 0xC000–0xC0FF   | 11  |
 *
 * PCI bus 0, laid out as QEMU's i440FX machine (firmware-assigned BARs):
 *
 * | slot | IDs        | function                      | BARs                                     |
 * |------|------------|-------------------------------|------------------------------------------|
 * | 00.0 | 8086:1237  | host bridge (i440FX)          | –                                        |
 * | 01.0 | 8086:7000  | ISA bridge (PIIX3)            | –                                        |
 * | 01.1 | 8086:7010  | IDE controller, legacy ports  | –                                        |
 * | 02.0 | 1234:1111  | VGA: Bochs VBE display        | BAR0 0xFD000000, 16 MiB, prefetchable    |
 * | 03.0 | 10EC:8139  | RTL8139 Ethernet (INTA → IRQ 11) | BAR0 I/O 0xC000, BAR1 0xFEBF1000 (256 B) |
 *
 * Physical memory above RAM holds the framebuffer (0xFD000000, what the
 * firmware's Multiboot2 framebuffer tag reports) and the NIC's registers.
 * The NIC plugs into the virtual network (src/emu/net, virtual-network.ts):
 * a switch with the gateway and DHCP server 10.0.2.2, DNS 10.0.2.3 and the
 * book's hosts behind the gateway, which every frame crosses and where taps
 * and pcap capture listen; the NIC's cable is the link model, whose losses
 * and delays `network.setLinkConditions` sets.
 *
 * Host-side inputs and outputs besides the serial line: `keyEvent` and
 * `mouseEvent` (PS/2), `takeFramebufferUpdate` (what changed on screen),
 * `network.tap` / `network.capture` (every Ethernet frame, pcap), and the disk
 * image's `onWrite` callback (sectors the kernel wrote).
 *
 * The machine runs its kernel in slices: `run(untilNs)` executes the kernel
 * until it halts, fires device events in virtual-time order while the CPU is
 * halted, and stops when virtual time reaches `untilNs` — while halted, or at
 * the first checkpoint the kernel passes (between two tasks) at or after it,
 * so a CPU kept busy by user programs still hands the host its slices. Whether those
 * nanoseconds are paced to wall time is up to the host (src/runtime), which is
 * what keeps the machine deterministic.
 */
import { AtaPioDisk, ATA_PRIMARY_BASE, ATA_PRIMARY_CONTROL, type AtaDiskImage } from './ata-pio';
import { BochsVbe, VBE_DISPI_IOPORT_INDEX, type FramebufferUpdate } from './bochs-vbe';
import { VirtualClock } from './clock';
import { CmosRtc } from './cmos-rtc';
import { CpuCore } from './cpu-core';
import { bootMultiboot2, type BootModule, type FramebufferInfo } from './firmware';
import { IoBus } from './io-bus';
import type { CpuRequest, KernelEntry } from './machine-interface';
import { parseMac } from './net/ethernet';
import { VirtualNetwork, type VirtualNetworkConfig } from './net/virtual-network';
import { PCI_CONFIG_ADDRESS, PCI_CONFIG_DATA, PciBus, type PciFunction } from './pci-bus';
import { Pic8259Pair } from './pic8259';
import { Pit8254 } from './pit8254';
import { PhysicalMemory } from './physical-memory';
import { PowerControl } from './power-control';
import { Ps2Controller, PS2_DATA, PS2_STATUS_COMMAND } from './ps2-controller';
import { RTL_DEVICE_ID, RTL_REGISTER_SPACE, RTL_VENDOR_ID, Rtl8139 } from './rtl8139';
import { Uart16550 } from './uart16550';

export const DEFAULT_RAM_BYTES = 128 * 1024 * 1024;
/** The RTC's date at power-on unless configured: 2026-01-01 09:00:00 UTC. */
export const DEFAULT_START_TIME = 1767258000;
export const DEFAULT_FRAMEBUFFER: FramebufferInfo = {
  addr: 0xfd000000,
  pitch: 4096,
  width: 1024,
  height: 768,
  bpp: 32,
};

/** QEMU's default MAC for a guest NIC. */
export const DEFAULT_MAC_ADDRESS = '52:54:00:12:34:56';
export const NIC_IO_BASE = 0xc000;
export const NIC_MMIO_BASE = 0xfebf1000;
const VRAM_BYTES = 16 * 1024 * 1024;

const COM1 = 0x3f8;
/** Serial output reaches the host in runs of lines sent over at least this long (100 µs). */
const SERIAL_RUN_NS = 100_000;
const LINE_FEED = 0x0a;
const IRQ_PIT = 0;
const IRQ_KEYBOARD = 1;
const IRQ_COM1 = 4;
const IRQ_NIC = 11;
const IRQ_MOUSE = 12;
const IRQ_ATA_PRIMARY = 14;
const PCI_SLOT_HOST_BRIDGE = 0;
const PCI_SLOT_PIIX3 = 1;
const PCI_SLOT_VGA = 2;
const PCI_SLOT_NIC = 3;

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
  /** The ATA disk's medium (and how the host hears of writes); without it there is no disk. */
  readonly disk?: AtaDiskImage;
  /** The NIC's MAC address, "52:54:00:12:34:56" unless given. */
  readonly macAddress?: string;
  /** The virtual network's seed, the guest link's conditions at power-on, the DHCP lease time. */
  readonly network?: VirtualNetworkConfig;
}

/**
 * - running: executing the kernel; idle: halted, waiting for an interrupt;
 * - stopped: halted with interrupts disabled (hung for good);
 * - panicked: the kernel reported a panic through pvpanic and stopped;
 * - poweroff / reset: the kernel asked the chipset to power off or reset;
 * - crashed: the kernel's code escaped its own error handling (a triple fault).
 */
export type MachineState =
  | 'off'
  | 'running'
  | 'idle'
  | 'stopped'
  | 'panicked'
  | 'poweroff'
  | 'reset'
  | 'crashed';

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
  readonly pci = new PciBus();
  readonly ps2: Ps2Controller;
  readonly display = new BochsVbe(VRAM_BYTES);
  /** The ATA disk, when the configuration has one. */
  readonly disk: AtaPioDisk | null = null;
  readonly nic: Rtl8139;
  readonly network: VirtualNetwork;
  state: MachineState = 'off';
  /** Why the machine crashed, when it did. */
  crash: Error | null = null;
  private kernel: Generator<CpuRequest, void, void> | null = null;
  private serialOut: number[] = [];
  /** Virtual time of the first byte in serialOut. */
  private serialOutSince = 0;
  private serialBytesOut = 0;

  constructor(private readonly config: MachineConfig) {
    this.memory = new PhysicalMemory(config.ramBytes ?? DEFAULT_RAM_BYTES);
    this.pit = new Pit8254(this.clock, () => this.pic.pulseIrq(IRQ_PIT));
    this.uart = new Uart16550(
      COM1,
      (high) => this.pic.setIrq(IRQ_COM1, high),
      (byte) => this.serialByte(byte),
    );
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
    this.ps2 = new Ps2Controller(
      (high) => this.pic.setIrq(IRQ_KEYBOARD, high),
      (high) => this.pic.setIrq(IRQ_MOUSE, high),
      () => (this.power.request = 'reset'),
    );
    this.io.attach(this.ps2, PS2_DATA);
    this.io.attach(this.ps2, PS2_STATUS_COMMAND);
    if (config.disk) {
      this.disk = new AtaPioDisk(this.clock, config.disk, (high) =>
        this.pic.setIrq(IRQ_ATA_PRIMARY, high),
      );
      this.io.attach(this.disk, ATA_PRIMARY_BASE, 8);
      this.io.attach(this.disk, ATA_PRIMARY_CONTROL);
    }
    this.io.attach(this.display, VBE_DISPI_IOPORT_INDEX, 2);
    this.memory.mapDevice(DEFAULT_FRAMEBUFFER.addr, VRAM_BYTES, this.display);
    this.io.attach(this.pci, PCI_CONFIG_ADDRESS);
    this.io.attach(this.pci, PCI_CONFIG_DATA, 4);
    const nicFunction = this.addPciFunctions();
    this.nic = new Rtl8139({
      clock: this.clock,
      memory: this.memory,
      mac: parseMac(config.macAddress ?? DEFAULT_MAC_ADDRESS),
      ioBase: NIC_IO_BASE,
      busMasterEnabled: () => nicFunction.busMasterEnabled,
      setIrqLine: (high) => this.pic.setIrq(IRQ_NIC, high),
    });
    this.io.attach(this.nic, NIC_IO_BASE, RTL_REGISTER_SPACE);
    this.memory.mapDevice(NIC_MMIO_BASE, RTL_REGISTER_SPACE, this.nic);
    this.network = new VirtualNetwork(this.clock, config.network);
    this.nic.connect(this.network.connectNic(this.nic));
  }

  /** Bus 0 as the firmware enumerated it; returns the NIC's function. */
  private addPciFunctions(): PciFunction {
    const QEMU_SUBSYSTEM = { subsystemVendorId: 0x1af4, subsystemId: 0x1100 };
    this.pci.add(PCI_SLOT_HOST_BRIDGE, 0, {
      name: 'i440FX host bridge',
      vendorId: 0x8086,
      deviceId: 0x1237,
      classCode: 0x060000,
      revision: 2,
    });
    this.pci.add(PCI_SLOT_PIIX3, 0, {
      name: 'PIIX3 ISA bridge',
      vendorId: 0x8086,
      deviceId: 0x7000,
      classCode: 0x060100,
      multifunction: true,
    });
    this.pci.add(PCI_SLOT_PIIX3, 1, {
      name: 'PIIX3 IDE',
      vendorId: 0x8086,
      deviceId: 0x7010,
      classCode: 0x010180,
    });
    this.pci.add(PCI_SLOT_VGA, 0, {
      name: 'Bochs VBE display',
      vendorId: 0x1234,
      deviceId: 0x1111,
      classCode: 0x030000,
      revision: 2,
      ...QEMU_SUBSYSTEM,
      bars: [
        { kind: 'memory', address: DEFAULT_FRAMEBUFFER.addr, size: VRAM_BYTES, prefetchable: true },
      ],
    });
    return this.pci.add(PCI_SLOT_NIC, 0, {
      name: 'RTL8139',
      vendorId: RTL_VENDOR_ID,
      deviceId: RTL_DEVICE_ID,
      classCode: 0x020000,
      revision: 0x20,
      ...QEMU_SUBSYSTEM,
      bars: [
        { kind: 'io', address: NIC_IO_BASE, size: RTL_REGISTER_SPACE },
        { kind: 'memory', address: NIC_MMIO_BASE, size: RTL_REGISTER_SPACE },
      ],
      interruptPin: 1,
      interruptLine: IRQ_NIC,
    });
  }

  /** A key pressed or released on the host; `code` is a KeyboardEvent.code ("KeyA", "ArrowUp"). */
  keyEvent(code: string, pressed: boolean): void {
    this.ps2.keyEvent(code, pressed);
  }

  /** The host pointer moved by (dx, dy) screen pixels (y down) with `buttons` held (1 left, 2 right, 4 middle). */
  mouseEvent(dx: number, dy: number, buttons: number): void {
    this.ps2.mouseEvent(dx, dy, buttons);
  }

  /** What changed on screen since the last call: the mode and RGBA patches of the dirty rectangles. */
  takeFramebufferUpdate(): FramebufferUpdate {
    return this.display.takeUpdate();
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
        if (this.state === 'running' && this.clock.now >= untilNs) break; // at a checkpoint
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

  /** Execute the kernel until its next HLT or checkpoint (or throw `error` into it at its HLT). */
  private resumeKernel(error?: unknown): void {
    try {
      const step = error === undefined ? this.kernel!.next() : this.kernel!.throw(error);
      if (step.done) return this.fail(new Error("the kernel's main loop returned"));
      if (step.value.kind === 'checkpoint') this.state = 'running';
      else this.state = this.cpu.interruptsEnabled() ? 'idle' : 'stopped';
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

  /**
   * A byte the UART sent. The host gets bytes in runs, while the kernel runs,
   * not once per slice: a run ends at the end of a line sent SERIAL_RUN_NS or
   * more after the run began. A recording then times each line of output when
   * the machine sent it, so a command that prints for a millisecond lasts a
   * millisecond; and no run ends inside a line, so a player never sees half a
   * character, half an escape sequence or a carriage return apart from its
   * line feed.
   */
  private serialByte(byte: number): void {
    if (this.serialOut.length === 0) this.serialOutSince = this.clock.now;
    this.serialOut.push(byte);
    if (byte === LINE_FEED && this.clock.now - this.serialOutSince >= SERIAL_RUN_NS)
      this.flushSerial();
  }

  private flushSerial(): void {
    if (this.serialOut.length === 0) return;
    const bytes = Uint8Array.from(this.serialOut);
    this.serialOut = [];
    this.serialBytesOut += bytes.length;
    this.config.onSerialOutput?.(bytes);
  }
}
