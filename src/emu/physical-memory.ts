/**
 * Physical memory of the Cotton PC: RAM plus the firmware's memory map.
 *
 * RAM is one ArrayBuffer, addressed from 0. Like a PC, not all of it is usable:
 * the memory map (what a BIOS reports through e820 and a Multiboot2 loader
 * passes on in its memory-map tag) marks the real-mode area's reserved holes,
 * and addresses above RAM hold only device windows (the framebuffer). Accesses
 * outside RAM read as all ones and drop writes, as on a bus with nothing there.
 * Chunks of RAM that were never written read as zero, as RAM does after the
 * firmware has cleared it.
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

/** RAM is allocated in 64 KiB chunks on first write, so an idle 128 MiB machine boots without zeroing 128 MiB. */
const CHUNK_SHIFT = 16;
const CHUNK_SIZE = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_SIZE - 1;

export class PhysicalMemory {
  private readonly chunks: (Uint8Array | undefined)[];
  private readonly views: (DataView | undefined)[];

  constructor(readonly size: number) {
    if (size < 2 * EXTENDED_MEMORY_START || size % CHUNK_SIZE !== 0) {
      throw new Error(`RAM size must be a multiple of 64 KiB and at least 2 MiB, not ${size}`);
    }
    this.chunks = new Array(size >>> CHUNK_SHIFT);
    this.views = new Array(size >>> CHUNK_SHIFT);
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

  /** How many bytes of RAM have been touched (allocated). */
  get residentBytes(): number {
    return this.chunks.reduce((n, chunk) => n + (chunk ? CHUNK_SIZE : 0), 0);
  }

  private inRam(addr: number, width: number): boolean {
    return addr >= 0 && addr + width <= this.size;
  }

  /** The DataView of the chunk holding `addr` when [addr, addr+width) lies within one chunk, for the fast paths. */
  private view(addr: number, width: number, allocate: boolean): DataView | null | undefined {
    if ((addr & CHUNK_MASK) + width > CHUNK_SIZE) return null;
    const index = addr >>> CHUNK_SHIFT;
    if (!this.views[index] && allocate) {
      this.chunks[index] = new Uint8Array(CHUNK_SIZE);
      this.views[index] = new DataView(this.chunks[index]!.buffer);
    }
    return this.views[index];
  }

  read8(addr: number): number {
    if (!this.inRam(addr, 1)) return 0xff;
    return this.chunks[addr >>> CHUNK_SHIFT]?.[addr & CHUNK_MASK] ?? 0;
  }
  read16(addr: number): number {
    if (!this.inRam(addr, 2)) return 0xffff;
    const view = this.view(addr, 2, false);
    if (view === null) return this.read8(addr) | (this.read8(addr + 1) << 8);
    return view ? view.getUint16(addr & CHUNK_MASK, true) : 0;
  }
  read32(addr: number): number {
    if (!this.inRam(addr, 4)) return 0xffffffff;
    const view = this.view(addr, 4, false);
    if (view === null) return (this.read16(addr) | (this.read16(addr + 2) << 16)) >>> 0;
    return view ? view.getUint32(addr & CHUNK_MASK, true) : 0;
  }
  read64(addr: number): number {
    return this.read32(addr) + this.read32(addr + 4) * 0x1_0000_0000;
  }
  write8(addr: number, value: number): void {
    if (this.inRam(addr, 1)) this.view(addr, 1, true)!.setUint8(addr & CHUNK_MASK, value);
  }
  write16(addr: number, value: number): void {
    if (!this.inRam(addr, 2)) return;
    const view = this.view(addr, 2, true);
    if (view) return view.setUint16(addr & CHUNK_MASK, value, true);
    this.write8(addr, value);
    this.write8(addr + 1, value >> 8);
  }
  write32(addr: number, value: number): void {
    if (!this.inRam(addr, 4)) return;
    const view = this.view(addr, 4, true);
    if (view) return view.setUint32(addr & CHUNK_MASK, value >>> 0, true);
    this.write16(addr, value & 0xffff);
    this.write16(addr + 2, value >>> 16);
  }
  write64(addr: number, value: number): void {
    this.write32(addr, value % 0x1_0000_0000);
    this.write32(addr + 4, Math.floor(value / 0x1_0000_0000));
  }
  readBytes(addr: number, length: number): Uint8Array {
    return Uint8Array.from({ length }, (_, i) => this.read8(addr + i));
  }
  writeBytes(addr: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const at = addr + done;
      if (!this.inRam(at, 1)) return; // the rest lies beyond RAM: dropped
      const offset = at & CHUNK_MASK;
      const count = Math.min(CHUNK_SIZE - offset, data.length - done, this.size - at);
      this.view(at, 1, true);
      this.chunks[at >>> CHUNK_SHIFT]!.set(data.subarray(done, done + count), offset);
      done += count;
    }
  }
}
