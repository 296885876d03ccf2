/**
 * PCI configuration space: finding devices, their BARs and interrupt line,
 * and letting a device master the bus.
 *
 * Follows the PCI Local Bus Specification 3.0: configuration mechanism #1
 * (§3.2.2.3.2) - write an address to CONFIG_ADDRESS (port 0xCF8: enable
 * bit 31, bus in bits 23-16, device 15-11, function 10-8, register 7-2) and
 * read or write the dword through CONFIG_DATA (0xCFC) - and the type-0
 * header of §6.1: vendor and device IDs, command register, class code,
 * header type, six base address registers, interrupt line.
 *
 * Enumeration is the "brute force" scan of bus 0: every device slot, and
 * functions 1-7 only where function 0's header type says multifunction. A
 * vendor ID of 0xFFFF means nothing answers. The Cotton PC, like QEMU's
 * i440FX machine, has no PCI-to-PCI bridges, so bus 0 is all there is.
 *
 * A BAR's size is found by the protocol of §6.2.5.1: write all ones, read
 * back the mask of writable bits, restore the address. The firmware has
 * already assigned addresses; the kernel only reads them.
 */
import type { MachineInterface } from '../../emu/machine-interface';

export const PCI_CONFIG_ADDRESS = 0xcf8;
export const PCI_CONFIG_DATA = 0xcfc;
const PCI_CONFIG_ENABLE = 0x8000_0000;

// Type-0 header registers (§6.1).
export const PCI_VENDOR_ID = 0x00;
export const PCI_COMMAND = 0x04;
export const PCI_CLASS_REVISION = 0x08;
export const PCI_HEADER_TYPE = 0x0e;
export const PCI_BAR0 = 0x10;
export const PCI_INTERRUPT_LINE = 0x3c;

export const PCI_COMMAND_IO_SPACE = 0x0001;
export const PCI_COMMAND_MEMORY_SPACE = 0x0002;
export const PCI_COMMAND_BUS_MASTER = 0x0004;
const PCI_HEADER_MULTIFUNCTION = 0x80;
const PCI_BAR_IO_SPACE = 0x1;
const PCI_NO_DEVICE = 0xffff;
const PCI_BAR_COUNT = 6;
const PCI_DEVICES_PER_BUS = 32;
const PCI_FUNCTIONS_PER_DEVICE = 8;

export interface PciBar {
  readonly index: number;
  readonly kind: 'io' | 'memory';
  readonly address: number;
  readonly size: number;
}

export interface PciDevice {
  readonly bus: number;
  readonly device: number;
  readonly fn: number;
  readonly vendorId: number;
  readonly deviceId: number;
  /** Base class, subclass and programming interface: 0x020000 is an Ethernet controller. */
  readonly classCode: number;
  readonly revision: number;
  readonly bars: readonly PciBar[];
  /** The IRQ the firmware routed the device's interrupt pin to (0xFF: none). */
  readonly interruptLine: number;
}

function configAddress(bus: number, device: number, fn: number, register: number): number {
  return (PCI_CONFIG_ENABLE | (bus << 16) | (device << 11) | (fn << 8) | (register & 0xfc)) >>> 0;
}

export function pciRead32(
  cpu: MachineInterface,
  bus: number,
  device: number,
  fn: number,
  register: number,
): number {
  cpu.outl(PCI_CONFIG_ADDRESS, configAddress(bus, device, fn, register));
  return cpu.inl(PCI_CONFIG_DATA) >>> 0;
}

export function pciWrite32(
  cpu: MachineInterface,
  bus: number,
  device: number,
  fn: number,
  register: number,
  value: number,
): void {
  cpu.outl(PCI_CONFIG_ADDRESS, configAddress(bus, device, fn, register));
  cpu.outl(PCI_CONFIG_DATA, value >>> 0);
}

/** Every function on bus 0, in slot order. */
export function enumeratePci(cpu: MachineInterface): PciDevice[] {
  const found: PciDevice[] = [];
  for (let device = 0; device < PCI_DEVICES_PER_BUS; device++) {
    const first = readDevice(cpu, 0, device, 0);
    if (!first) continue;
    found.push(first);
    const headerType = (pciRead32(cpu, 0, device, 0, PCI_HEADER_TYPE) >>> 16) & 0xff;
    if (!(headerType & PCI_HEADER_MULTIFUNCTION)) continue;
    for (let fn = 1; fn < PCI_FUNCTIONS_PER_DEVICE; fn++) {
      const other = readDevice(cpu, 0, device, fn);
      if (other) found.push(other);
    }
  }
  return found;
}

/** The first function with these IDs, or null. */
export function findPciDevice(
  cpu: MachineInterface,
  vendorId: number,
  deviceId: number,
): PciDevice | null {
  return enumeratePci(cpu).find((d) => d.vendorId === vendorId && d.deviceId === deviceId) ?? null;
}

/** Set the command register's bus-master bit: the device may now read and write RAM by DMA. */
export function enableBusMastering(cpu: MachineInterface, device: PciDevice): void {
  const { bus, device: slot, fn } = device;
  const command = pciRead32(cpu, bus, slot, fn, PCI_COMMAND) & 0xffff;
  const enabled = command | PCI_COMMAND_BUS_MASTER | PCI_COMMAND_IO_SPACE;
  pciWrite32(cpu, bus, slot, fn, PCI_COMMAND, enabled);
}

/** "00:03.0 10ec:8139 class 020000 irq 11", as lspci prints a function. */
export function describePciDevice(d: PciDevice): string {
  const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');
  const line = d.interruptLine === 0xff ? '' : ` irq ${d.interruptLine}`;
  return `${hex(d.bus, 2)}:${hex(d.device, 2)}.${d.fn} ${hex(d.vendorId, 4)}:${hex(d.deviceId, 4)} class ${hex(d.classCode, 6)}${line}`;
}

function readDevice(
  cpu: MachineInterface,
  bus: number,
  device: number,
  fn: number,
): PciDevice | null {
  const ids = pciRead32(cpu, bus, device, fn, PCI_VENDOR_ID);
  if ((ids & 0xffff) === PCI_NO_DEVICE) return null;
  const classRevision = pciRead32(cpu, bus, device, fn, PCI_CLASS_REVISION);
  const bars: PciBar[] = [];
  for (let index = 0; index < PCI_BAR_COUNT; index++) {
    const bar = readBar(cpu, bus, device, fn, index);
    if (bar) bars.push(bar);
  }
  return {
    bus,
    device,
    fn,
    vendorId: ids & 0xffff,
    deviceId: ids >>> 16,
    classCode: classRevision >>> 8,
    revision: classRevision & 0xff,
    bars,
    interruptLine: pciRead32(cpu, bus, device, fn, PCI_INTERRUPT_LINE) & 0xff,
  };
}

/** BAR `index`: its kind, address and size (§6.2.5.1), or null if unimplemented. */
function readBar(
  cpu: MachineInterface,
  bus: number,
  device: number,
  fn: number,
  index: number,
): PciBar | null {
  const register = PCI_BAR0 + 4 * index;
  const original = pciRead32(cpu, bus, device, fn, register);
  pciWrite32(cpu, bus, device, fn, register, 0xffff_ffff);
  const sizing = pciRead32(cpu, bus, device, fn, register);
  pciWrite32(cpu, bus, device, fn, register, original);
  if (sizing === 0) return null;
  const io = (original & PCI_BAR_IO_SPACE) !== 0;
  const addressMask = io ? 0xffff_fffc : 0xffff_fff0;
  const size = ((~(sizing & addressMask) + 1) & (io ? 0xffff : 0xffff_ffff)) >>> 0;
  return { index, kind: io ? 'io' : 'memory', address: (original & addressMask) >>> 0, size };
}
