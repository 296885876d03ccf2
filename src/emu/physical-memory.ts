/**
 * Physical memory of the Cotton PC: RAM plus the firmware's memory map.
 *
 * RAM is one ArrayBuffer, addressed from 0. Like a PC, not all of it is usable:
 * the memory map (what a BIOS reports through e820 and a Multiboot2 loader
 * passes on in its memory-map tag) marks the real-mode area's reserved holes,
 * and addresses above RAM hold only device windows (the framebuffer, a NIC's
 * registers): a device claims its window with `mapDevice`, as a PCI device
 * decodes the range its BAR names. Other accesses outside RAM read as all ones
 * and drop writes, as on a bus with nothing there. The RAM paths check RAM
 * first and look for a device only when they miss, so device windows cost RAM
 * accesses nothing.
 * Chunks of RAM that were never written read as zero, as RAM does after the
 * firmware has cleared it.
 */
import { pieceDigests, type DeviceState } from './device-state';

/** Multiboot2 memory-map region types. */
export const MEMORY_AVAILABLE = 1;
export const MEMORY_RESERVED = 2;

/**
 * A device window in the physical address space (memory-mapped I/O). Offsets
 * are relative to the window's base; accesses never straddle the window's end.
 */
export interface MmioDevice {
  readonly name: string;
  read8(offset: number): number;
  read16(offset: number): number;
  read32(offset: number): number;
  write8(offset: number, value: number): void;
  write16(offset: number, value: number): void;
  write32(offset: number, value: number): void;
  /** Bulk copies (a framebuffer blit); without them, bytes go one at a time. */
  readBytes?(offset: number, length: number): Uint8Array;
  writeBytes?(offset: number, data: Uint8Array): void;
}

interface MmioWindow {
  readonly base: number;
  readonly size: number;
  readonly device: MmioDevice;
}

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
/** Granularity of the write watch: the 4 KiB page, as the MMU maps memory. */
const WATCH_PAGE_SHIFT = 12;

/**
 * Called after a write lands in a watched page (the user CPU watches pages that
 * hold translated code, so that stores into them invalidate the translations).
 */
export type WriteWatcher = (addr: number, length: number) => void;

export class PhysicalMemory {
  private readonly chunks: (Uint8Array | undefined)[];
  private readonly views: (DataView | undefined)[];
  private readonly windows: MmioWindow[] = [];
  /** One byte per 4 KiB page: non-zero when writes there must be reported to `watcher`. */
  private watched: Uint8Array | null = null;
  private watcher: WriteWatcher | null = null;

  constructor(readonly size: number) {
    if (size < 2 * EXTENDED_MEMORY_START || size % CHUNK_SIZE !== 0) {
      throw new Error(`RAM size must be a multiple of 64 KiB and at least 2 MiB, not ${size}`);
    }
    this.chunks = new Array(size >>> CHUNK_SHIFT);
    this.views = new Array(size >>> CHUNK_SHIFT);
  }

  /** Let `device` decode physical addresses [base, base + size), which must lie above RAM. */
  mapDevice(base: number, size: number, device: MmioDevice): void {
    if (base < this.size)
      throw new Error(`${device.name}: MMIO window 0x${base.toString(16)} overlaps RAM`);
    const clash = this.windows.find((w) => base < w.base + w.size && w.base < base + size);
    if (clash) throw new Error(`MMIO window of ${device.name} overlaps ${clash.device.name}`);
    this.windows.push({ base, size, device });
  }

  /** The device window holding [addr, addr+width), if any. */
  private windowAt(addr: number, width: number): MmioWindow | undefined {
    for (const w of this.windows) if (addr >= w.base && addr + width <= w.base + w.size) return w;
    return undefined;
  }

  /** The map a PC BIOS would report for this much RAM. */
  memoryMap(): MemoryRegion[] {
    return [
      { base: 0, length: EBDA_START, type: MEMORY_AVAILABLE },
      { base: EBDA_START, length: VIDEO_AND_ROM_START - EBDA_START, type: MEMORY_RESERVED },
      {
        base: SYSTEM_ROM_START,
        length: EXTENDED_MEMORY_START - SYSTEM_ROM_START,
        type: MEMORY_RESERVED,
      },
      {
        base: EXTENDED_MEMORY_START,
        length: this.size - EXTENDED_MEMORY_START,
        type: MEMORY_AVAILABLE,
      },
    ];
  }

  /** How many bytes of RAM have been touched (allocated). */
  get residentBytes(): number {
    return this.chunks.reduce((n, chunk) => n + (chunk ? CHUNK_SIZE : 0), 0);
  }

  /** RAM as digests of its non-zero 64 KiB chunks (the write watch is the code cache's, not RAM's). */
  saveState(): DeviceState {
    const pieces: [number, Uint8Array][] = [];
    this.chunks.forEach((chunk, index) => chunk && pieces.push([index << CHUNK_SHIFT, chunk]));
    return { size: this.size, chunks: pieceDigests(pieces) };
  }

  /** The 64 KiB chunk holding RAM address `addr` (allocated now if never written), for the MMU's fast paths. */
  chunkFor(addr: number): Uint8Array {
    this.view(addr, 1, true);
    return this.chunks[addr >>> CHUNK_SHIFT]!;
  }

  /** True when [addr, addr+length) lies in RAM. */
  isRam(addr: number, length = 1): boolean {
    return this.inRam(addr, length);
  }

  /** Install the one write watcher (the user CPU's code cache). */
  setWriteWatcher(watcher: WriteWatcher | null): void {
    this.watcher = watcher;
    this.watched = watcher ? new Uint8Array(Math.ceil(this.size / (1 << WATCH_PAGE_SHIFT))) : null;
  }

  /** Report (or stop reporting) writes to the 4 KiB page holding `addr`. */
  watchPage(addr: number, on: boolean): void {
    if (this.watched && this.inRam(addr, 1)) this.watched[addr >>> WATCH_PAGE_SHIFT] = on ? 1 : 0;
  }

  isWatched(addr: number): boolean {
    return (
      this.watched !== null && this.inRam(addr, 1) && this.watched[addr >>> WATCH_PAGE_SHIFT] === 1
    );
  }

  /** A 1-, 2- or 4-byte store's check, kept cheap for the kernel's many small writes. */
  private touchesWatched(addr: number, width: number): boolean {
    return (
      (this.watched![addr >>> WATCH_PAGE_SHIFT]! |
        this.watched![(addr + width - 1) >>> WATCH_PAGE_SHIFT]!) !==
      0
    );
  }

  private noteWrite(addr: number, length: number): void {
    const watched = this.watched;
    if (watched === null) return;
    const last = Math.min(addr + length, this.size) - 1;
    for (let page = addr >>> WATCH_PAGE_SHIFT; page <= last >>> WATCH_PAGE_SHIFT; page++) {
      if (watched[page]) {
        this.watcher!(addr, length);
        return;
      }
    }
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
    if (!this.inRam(addr, 1)) return this.deviceRead(addr, 1);
    return this.chunks[addr >>> CHUNK_SHIFT]?.[addr & CHUNK_MASK] ?? 0;
  }
  read16(addr: number): number {
    if (!this.inRam(addr, 2)) return this.deviceRead(addr, 2);
    const view = this.view(addr, 2, false);
    if (view === null) return this.read8(addr) | (this.read8(addr + 1) << 8);
    return view ? view.getUint16(addr & CHUNK_MASK, true) : 0;
  }
  read32(addr: number): number {
    if (!this.inRam(addr, 4)) return this.deviceRead(addr, 4);
    const view = this.view(addr, 4, false);
    if (view === null) return (this.read16(addr) | (this.read16(addr + 2) << 16)) >>> 0;
    return view ? view.getUint32(addr & CHUNK_MASK, true) : 0;
  }
  read64(addr: number): number {
    return this.read32(addr) + this.read32(addr + 4) * 0x1_0000_0000;
  }
  write8(addr: number, value: number): void {
    if (!this.inRam(addr, 1)) return this.deviceWrite(addr, 1, value);
    this.view(addr, 1, true)!.setUint8(addr & CHUNK_MASK, value);
    if (this.watched !== null && this.touchesWatched(addr, 1)) this.watcher!(addr, 1);
  }
  write16(addr: number, value: number): void {
    if (!this.inRam(addr, 2)) return this.deviceWrite(addr, 2, value);
    const view = this.view(addr, 2, true);
    if (view) {
      view.setUint16(addr & CHUNK_MASK, value, true);
      if (this.watched !== null && this.touchesWatched(addr, 2)) this.watcher!(addr, 2);
      return;
    }
    this.write8(addr, value);
    this.write8(addr + 1, value >> 8);
  }
  write32(addr: number, value: number): void {
    if (!this.inRam(addr, 4)) return this.deviceWrite(addr, 4, value);
    const view = this.view(addr, 4, true);
    if (view) {
      view.setUint32(addr & CHUNK_MASK, value >>> 0, true);
      if (this.watched !== null && this.touchesWatched(addr, 4)) this.watcher!(addr, 4);
      return;
    }
    this.write16(addr, value & 0xffff);
    this.write16(addr + 2, value >>> 16);
  }
  write64(addr: number, value: number): void {
    this.write32(addr, value % 0x1_0000_0000);
    this.write32(addr + 4, Math.floor(value / 0x1_0000_0000));
  }
  readBytes(addr: number, length: number): Uint8Array {
    const window = addr >= this.size ? this.windowAt(addr, length) : undefined;
    if (window?.device.readBytes) return window.device.readBytes(addr - window.base, length);
    const bytes = new Uint8Array(length);
    let done = 0;
    while (done < length && this.inRam(addr + done, 1)) {
      const at = addr + done;
      const offset = at & CHUNK_MASK;
      const count = Math.min(CHUNK_SIZE - offset, length - done, this.size - at);
      const chunk = this.chunks[at >>> CHUNK_SHIFT];
      if (chunk) bytes.set(chunk.subarray(offset, offset + count), done); // untouched chunks stay zero
      done += count;
    }
    for (; done < length; done++) bytes[done] = this.read8(addr + done);
    return bytes;
  }
  writeBytes(addr: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const at = addr + done;
      if (!this.inRam(at, 1)) return this.writeBytesBeyondRam(at, data.subarray(done));
      const offset = at & CHUNK_MASK;
      const count = Math.min(CHUNK_SIZE - offset, data.length - done, this.size - at);
      this.view(at, 1, true);
      this.chunks[at >>> CHUNK_SHIFT]!.set(data.subarray(done, done + count), offset);
      if (this.watched !== null) this.noteWrite(at, count);
      done += count;
    }
  }

  private writeBytesBeyondRam(addr: number, data: Uint8Array): void {
    const window = this.windowAt(addr, data.length);
    if (window?.device.writeBytes) return window.device.writeBytes(addr - window.base, data);
    data.forEach((byte, i) => this.write8(addr + i, byte));
  }

  /** A load outside RAM: a device window decodes it, or the bus floats to all ones. */
  private deviceRead(addr: number, width: 1 | 2 | 4): number {
    const window = this.windowAt(addr, width);
    if (!window) return width === 4 ? 0xffffffff : (1 << (8 * width)) - 1;
    const offset = addr - window.base;
    if (width === 1) return window.device.read8(offset);
    return width === 2 ? window.device.read16(offset) : window.device.read32(offset) >>> 0;
  }

  /** A store outside RAM: a device window takes it, or it is dropped. */
  private deviceWrite(addr: number, width: 1 | 2 | 4, value: number): void {
    const window = this.windowAt(addr, width);
    if (!window) return;
    const offset = addr - window.base;
    if (width === 1) window.device.write8(offset, value & 0xff);
    else if (width === 2) window.device.write16(offset, value & 0xffff);
    else window.device.write32(offset, value >>> 0);
  }
}
