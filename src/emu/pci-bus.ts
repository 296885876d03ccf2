/**
 * PCI bus 0 and its configuration space, reached through configuration
 * mechanism #1 (PCI Local Bus Specification 3.0, §3.2.2.3.2): a kernel writes
 * an address to CONFIG_ADDRESS (0xCF8, a dword: enable bit, bus, device,
 * function, register) and reads or writes the selected dword through
 * CONFIG_DATA (0xCFC–0xCFF).
 *
 * Each function has the 256-byte type-0 header of §6.1: vendor and device IDs,
 * command and status, class code, header type, BARs, interrupt line and pin.
 * BARs answer the sizing protocol of §6.2.5.1 (write all ones, read back the
 * size mask), but the addresses stay where the firmware put them, as a kernel
 * that only discovers devices never moves them. The interrupt line register is
 * what firmware wrote for software to read; the wiring itself is fixed by the
 * machine (machine.ts), as it is on a motherboard. The command register's
 * bus-master bit gates a device's DMA (see rtl8139.ts).
 *
 * Only dword accesses to 0xCF8 reach CONFIG_ADDRESS; a byte at 0xCF9 is the
 * chipset's reset control register (power-control.ts), exactly as on a PIIX.
 */
import type { DeviceState } from './device-state';
import type { PortDevice } from './io-bus';

export const PCI_CONFIG_ADDRESS = 0xcf8;
export const PCI_CONFIG_DATA = 0xcfc;
const CONFIG_ADDRESS_ENABLE = 0x8000_0000;

// Type-0 header offsets (§6.1).
export const PCI_VENDOR_ID = 0x00;
export const PCI_DEVICE_ID = 0x02;
export const PCI_COMMAND = 0x04;
export const PCI_STATUS = 0x06;
export const PCI_REVISION_ID = 0x08;
export const PCI_CLASS_CODE = 0x09;
export const PCI_CACHE_LINE_SIZE = 0x0c;
export const PCI_LATENCY_TIMER = 0x0d;
export const PCI_HEADER_TYPE = 0x0e;
export const PCI_BAR0 = 0x10;
export const PCI_SUBSYSTEM_VENDOR_ID = 0x2c;
export const PCI_SUBSYSTEM_ID = 0x2e;
export const PCI_INTERRUPT_LINE = 0x3c;
export const PCI_INTERRUPT_PIN = 0x3d;

export const PCI_COMMAND_IO = 0x0001;
export const PCI_COMMAND_MEMORY = 0x0002;
export const PCI_COMMAND_BUS_MASTER = 0x0004;
const PCI_COMMAND_WRITABLE = 0x0547; // I/O, memory, master, parity, SERR, INTx disable
export const PCI_HEADER_MULTIFUNCTION = 0x80;
export const PCI_BAR_IO = 0x1;
export const PCI_BAR_PREFETCHABLE = 0x8;
const PCI_BAR_COUNT = 6;

export interface PciBar {
  readonly kind: 'io' | 'memory';
  /** Address the firmware assigned. */
  readonly address: number;
  /** Size in bytes, a power of two. */
  readonly size: number;
  readonly prefetchable?: boolean;
}

export interface PciFunctionSpec {
  readonly name: string;
  readonly vendorId: number;
  readonly deviceId: number;
  /** Base class, subclass and programming interface as one 24-bit number, e.g. 0x020000 (Ethernet). */
  readonly classCode: number;
  readonly revision?: number;
  readonly subsystemVendorId?: number;
  readonly subsystemId?: number;
  readonly bars?: readonly (PciBar | null)[];
  /** 0 none, 1–4 INTA#–INTD#. */
  readonly interruptPin?: number;
  /** The IRQ the firmware routed the pin to, written to the interrupt line register. */
  readonly interruptLine?: number;
  readonly multifunction?: boolean;
  /** Command register as the firmware leaves it (default: I/O and memory decoding on). */
  readonly command?: number;
}

/** One PCI function: its configuration header. */
export class PciFunction {
  readonly config = new DataView(new ArrayBuffer(256));
  private readonly bars: (PciBar | null)[];

  constructor(readonly spec: PciFunctionSpec) {
    this.bars = Array.from({ length: PCI_BAR_COUNT }, (_, i) => spec.bars?.[i] ?? null);
    const c = this.config;
    c.setUint16(PCI_VENDOR_ID, spec.vendorId, true);
    c.setUint16(PCI_DEVICE_ID, spec.deviceId, true);
    c.setUint16(PCI_COMMAND, spec.command ?? PCI_COMMAND_IO | PCI_COMMAND_MEMORY, true);
    c.setUint8(PCI_REVISION_ID, spec.revision ?? 0);
    c.setUint8(PCI_CLASS_CODE, spec.classCode & 0xff);
    c.setUint16(PCI_CLASS_CODE + 1, spec.classCode >> 8, true);
    c.setUint8(PCI_HEADER_TYPE, spec.multifunction ? PCI_HEADER_MULTIFUNCTION : 0);
    this.bars.forEach((bar, i) =>
      c.setUint32(PCI_BAR0 + 4 * i, bar ? barValue(bar, bar.address) : 0, true),
    );
    c.setUint16(PCI_SUBSYSTEM_VENDOR_ID, spec.subsystemVendorId ?? 0, true);
    c.setUint16(PCI_SUBSYSTEM_ID, spec.subsystemId ?? 0, true);
    c.setUint8(PCI_INTERRUPT_LINE, spec.interruptLine ?? 0xff);
    c.setUint8(PCI_INTERRUPT_PIN, spec.interruptPin ?? 0);
  }

  get command(): number {
    return this.config.getUint16(PCI_COMMAND, true);
  }
  get busMasterEnabled(): boolean {
    return (this.command & PCI_COMMAND_BUS_MASTER) !== 0;
  }

  /** Read the aligned dword holding `offset`. */
  readDword(offset: number): number {
    return this.config.getUint32(offset & 0xfc, true);
  }

  /** Write `width` bytes at `offset` (within one dword); read-only fields keep their values. */
  write(offset: number, width: 1 | 2 | 4, value: number): void {
    const dword = offset & 0xfc;
    const shift = 8 * (offset & 3);
    const mask = (width === 4 ? 0xffffffff : ((1 << (8 * width)) - 1) << shift) >>> 0;
    const merged = ((this.readDword(dword) & ~mask) | ((value << shift) & mask)) >>> 0;
    if (dword === PCI_COMMAND) {
      const command =
        (merged & PCI_COMMAND_WRITABLE) | (this.command & ~PCI_COMMAND_WRITABLE & 0xffff);
      this.config.setUint16(PCI_COMMAND, command, true); // status bits (high half) are not modelled as writable
    } else if (dword === PCI_CACHE_LINE_SIZE) {
      this.config.setUint16(PCI_CACHE_LINE_SIZE, merged & 0xffff, true);
    } else if (dword >= PCI_BAR0 && dword < PCI_BAR0 + 4 * PCI_BAR_COUNT) {
      const bar = this.bars[(dword - PCI_BAR0) >> 2];
      this.config.setUint32(dword, bar ? barValue(bar, merged) : 0, true);
    } else if (dword === PCI_INTERRUPT_LINE) {
      this.config.setUint8(PCI_INTERRUPT_LINE, merged & 0xff);
    }
  }
}

/** A BAR's register value for a written address: the size's low bits read as zero, the type bits are fixed. */
function barValue(bar: PciBar, written: number): number {
  const typeBits = bar.kind === 'io' ? PCI_BAR_IO : bar.prefetchable ? PCI_BAR_PREFETCHABLE : 0;
  const addressMask = bar.kind === 'io' ? ~(bar.size - 1) & 0xfffc : ~(bar.size - 1) & ~0xf;
  return ((written & addressMask) | typeBits) >>> 0;
}

/** CONFIG_ADDRESS fields (§3.2.2.3.2). */
export function pciConfigAddress(
  bus: number,
  device: number,
  fn: number,
  register: number,
): number {
  return (
    (CONFIG_ADDRESS_ENABLE | (bus << 16) | (device << 11) | (fn << 8) | (register & 0xfc)) >>> 0
  );
}

/** Bus 0 with the configuration mechanism's two ports. */
export class PciBus implements PortDevice {
  readonly name = 'PCI configuration mechanism #1';
  private address = 0;
  private readonly functions = new Map<number, PciFunction>();

  /** Put a function in slot `device`, function `fn` of bus 0. */
  add(device: number, fn: number, spec: PciFunctionSpec): PciFunction {
    const pciFunction = new PciFunction(spec);
    this.functions.set((device << 3) | fn, pciFunction);
    return pciFunction;
  }

  /** CONFIG_ADDRESS and every function's 256-byte header, by slot and function. */
  saveState(): DeviceState {
    const functions = [...this.functions].sort(([a], [b]) => a - b);
    return {
      address: this.address,
      functions: functions.map(([slot, fn]) => [slot, new Uint8Array(fn.config.buffer.slice(0))]),
    };
  }

  /** The function CONFIG_ADDRESS selects, or undefined (nothing there, or the enable bit clear). */
  private selected(): PciFunction | undefined {
    if (!(this.address & CONFIG_ADDRESS_ENABLE)) return undefined;
    if ((this.address >> 16) & 0xff) return undefined; // only bus 0 exists
    return this.functions.get((this.address >> 8) & 0xff);
  }

  private registerOffset(port: number): number {
    return (this.address & 0xfc) | (port - PCI_CONFIG_DATA);
  }

  in8(port: number): number {
    if (port < PCI_CONFIG_DATA) return 0xff; // byte reads of 0xCF8 go to the ISA bus
    return (this.readData(port) >>> (8 * (port & 3))) & 0xff;
  }
  in16(port: number): number {
    if (port < PCI_CONFIG_DATA) return 0xffff;
    return (this.readData(port) >>> (8 * (port & 3))) & 0xffff;
  }
  in32(port: number): number {
    return port === PCI_CONFIG_ADDRESS ? this.address : this.readData(port);
  }
  out8(port: number, value: number): void {
    if (port >= PCI_CONFIG_DATA) this.selected()?.write(this.registerOffset(port), 1, value);
  }
  out16(port: number, value: number): void {
    if (port >= PCI_CONFIG_DATA) this.selected()?.write(this.registerOffset(port), 2, value);
  }
  out32(port: number, value: number): void {
    if (port === PCI_CONFIG_ADDRESS) this.address = (value & 0x80ff_fffc) >>> 0;
    else this.selected()?.write(this.registerOffset(port), 4, value);
  }

  private readData(port: number): number {
    const fn = this.selected();
    return fn ? fn.readDword(this.registerOffset(port)) : 0xffffffff;
  }
}
