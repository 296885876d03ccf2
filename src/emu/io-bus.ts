/**
 * The I/O port bus: 64 Ki 8-bit ports that devices claim ranges of.
 *
 * An IN from a port nobody decodes reads all ones, as on a PC's ISA bus, and an
 * OUT to it is dropped. Devices see byte, word and dword accesses; most PC
 * devices are byte-wide, so a device that only implements bytes gets wider
 * accesses split into bytes, low port first.
 */

export interface PortDevice {
  readonly name: string;
  in8(port: number): number;
  out8(port: number, value: number): void;
  in16?(port: number): number;
  out16?(port: number, value: number): void;
  in32?(port: number): number;
  out32?(port: number, value: number): void;
}

export class IoBus {
  private readonly devices: (PortDevice | undefined)[] = new Array(0x10000);

  /** Claim `count` ports starting at `base` for a device. */
  attach(device: PortDevice, base: number, count = 1): void {
    for (let port = base; port < base + count; port++) {
      const owner = this.devices[port];
      if (owner)
        throw new Error(
          `port 0x${port.toString(16)} is claimed by ${owner.name} and ${device.name}`,
        );
      this.devices[port] = device;
    }
  }

  in8(port: number): number {
    return this.devices[port & 0xffff]?.in8(port & 0xffff) ?? 0xff;
  }
  out8(port: number, value: number): void {
    this.devices[port & 0xffff]?.out8(port & 0xffff, value & 0xff);
  }
  in16(port: number): number {
    const device = this.devices[port & 0xffff];
    if (device?.in16) return device.in16(port & 0xffff);
    return this.in8(port) | (this.in8(port + 1) << 8);
  }
  out16(port: number, value: number): void {
    const device = this.devices[port & 0xffff];
    if (device?.out16) return device.out16(port & 0xffff, value & 0xffff);
    this.out8(port, value);
    this.out8(port + 1, value >> 8);
  }
  in32(port: number): number {
    const device = this.devices[port & 0xffff];
    if (device?.in32) return device.in32(port & 0xffff) >>> 0;
    return (this.in16(port) | (this.in16(port + 2) << 16)) >>> 0;
  }
  out32(port: number, value: number): void {
    const device = this.devices[port & 0xffff];
    if (device?.out32) return device.out32(port & 0xffff, value >>> 0);
    this.out16(port, value & 0xffff);
    this.out16(port + 2, value >>> 16);
  }
}
