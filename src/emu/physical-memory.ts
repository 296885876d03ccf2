/**
 * Physical memory of the Cotton PC: RAM plus the firmware's memory map.
 *
 * RAM is one ArrayBuffer, addressed from 0. Like a PC, not all of it is usable:
 * the memory map (what a BIOS reports through e820 and a Multiboot2 loader
 * passes on in its memory-map tag) marks the real-mode area's reserved holes,
 * and addresses above RAM hold only device windows (the framebuffer). Accesses
 * outside RAM read as all ones and drop writes, as on a bus with nothing there.
 */

/** Multiboot2 memory-map region types. */
export const MEMORY_AVAILABLE = 1;
export const MEMORY_RESERVED = 2;

export interface MemoryRegion {
  readonly base: number;
  readonly length: number;
  readonly type: number;
}

/** Top of conventional memory below the extended BIOS data area (639 KiB). */
const EBDA_START = 0x9fc00;
const VIDEO_AND_ROM_START = 0xa0000;
const SYSTEM_ROM_START = 0xf0000;
const EXTENDED_MEMORY_START = 0x100000;

export class PhysicalMemory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(readonly size: number) {
    if (size < 2 * EXTENDED_MEMORY_START || size % 4096 !== 0) {
      throw new Error(`RAM size must be a multiple of 4 KiB and at least 2 MiB, not ${size}`);
    }
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  /** The map a PC BIOS would report for this much RAM. */
  memoryMap(): MemoryRegion[] {
    return [
      { base: 0, length: EBDA_START, type: MEMORY_AVAILABLE },
      { base: EBDA_START, length: VIDEO_AND_ROM_START - EBDA_START, type: MEMORY_RESERVED },
      { base: SYSTEM_ROM_START, length: EXTENDED_MEMORY_START - SYSTEM_ROM_START, type: MEMORY_RESERVED },
      { base: EXTENDED_MEMORY_START, length: this.size - EXTENDED_MEMORY_START, type: MEMORY_AVAILABLE },
    ];
  }

  private inRam(addr: number, width: number): boolean {
    return addr >= 0 && addr + width <= this.size;
  }

  read8(addr: number): number {
    return this.inRam(addr, 1) ? this.bytes[addr]! : 0xff;
  }
  read16(addr: number): number {
    return this.inRam(addr, 2) ? this.view.getUint16(addr, true) : 0xffff;
  }
  read32(addr: number): number {
    return this.inRam(addr, 4) ? this.view.getUint32(addr, true) : 0xffffffff;
  }
  read64(addr: number): number {
    return this.read32(addr) + this.read32(addr + 4) * 0x1_0000_0000;
  }
  write8(addr: number, value: number): void {
    if (this.inRam(addr, 1)) this.bytes[addr] = value;
  }
  write16(addr: number, value: number): void {
    if (this.inRam(addr, 2)) this.view.setUint16(addr, value, true);
  }
  write32(addr: number, value: number): void {
    if (this.inRam(addr, 4)) this.view.setUint32(addr, value >>> 0, true);
  }
  write64(addr: number, value: number): void {
    this.write32(addr, value % 0x1_0000_0000);
    this.write32(addr + 4, Math.floor(value / 0x1_0000_0000));
  }
  readBytes(addr: number, length: number): Uint8Array {
    if (this.inRam(addr, length)) return this.bytes.slice(addr, addr + length);
    return Uint8Array.from({ length }, (_, i) => this.read8(addr + i));
  }
  writeBytes(addr: number, data: Uint8Array): void {
    if (this.inRam(addr, data.length)) this.bytes.set(data, addr);
    else data.forEach((byte, i) => this.write8(addr + i, byte));
  }
}
