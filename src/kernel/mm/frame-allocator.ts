/**
 * The physical frame allocator: which 4 KiB frames of RAM are in use.
 *
 * Models the bottom layer of CottonOS's memory manager, a bitmap allocator:
 * one bit per 4 KiB frame (the x86-64 page size, Intel SDM Vol. 3A §4.5), set
 * when the frame is in use. The bitmap is built from the firmware's memory map
 * (Multiboot2 spec §3.6.8, see memory-map.ts): every frame starts out used,
 * the frames lying wholly inside "available" ranges are then cleared, and
 * finally the ranges the kernel already occupies (its image, the boot modules,
 * the Multiboot2 information structure, the kernel heap) are set again. The
 * first 1 MiB is never handed out: on a PC it holds the real-mode interrupt
 * table, the BIOS data areas and the legacy video and ROM windows, and a zero
 * physical address is far too easy to confuse with "no frame".
 *
 * Why a bitmap: it costs 1 bit per 4 KiB (4 KiB of bitmap for 128 MiB of RAM),
 * it cannot fragment, and "is this frame free?" is one bit test, which makes
 * double frees easy to catch. Its weakness is the search for a clear bit; the
 * allocator keeps a hint (where the last search ended) and skips whole 32-bit
 * words that are full, a "next fit" search. The bitmap is a Uint32Array: the
 * kernel's static data, as a C kernel would keep it in .bss.
 */
import { MEMORY_AVAILABLE, type MemoryRegion } from '../arch/memory-map';

/** The size of a page frame: 4 KiB (SDM Vol. 3A §4.5, 4-level paging). */
export const FRAME_SIZE = 4096;
/** The first 1 MiB (real-mode memory, BIOS areas, VGA and ROM windows) is never allocated. */
export const LOW_MEMORY_END = 0x10_0000;

const BITS_PER_WORD = 32;
const FULL_WORD = 0xffff_ffff;

/** A range of physical memory that is already in use at boot. */
export interface PhysicalRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  /** What occupies it ("kernel image", "module initrd", "multiboot2 info"), for messages. */
  readonly what: string;
}

export class FrameAllocator {
  /** Frames of RAM the firmware reported available (whole frames only). */
  readonly totalFrames: number;
  /** One bit per frame from address 0 up to the end of the highest available range. */
  private readonly bitmap: Uint32Array;
  /** Frames that may ever be handed out: available RAM above 1 MiB, not reserved at boot. */
  private readonly allocatable: Uint32Array;
  private readonly frameCount: number;
  private freeCount = 0;
  /** Next-fit hint: the frame number where the next search starts. */
  private nextFrame: number;

  constructor(memoryMap: readonly MemoryRegion[], reserved: readonly PhysicalRange[]) {
    this.frameCount = Math.floor(highestAvailableAddress(memoryMap) / FRAME_SIZE);
    const words = Math.ceil(this.frameCount / BITS_PER_WORD);
    this.bitmap = new Uint32Array(words).fill(FULL_WORD);
    this.allocatable = new Uint32Array(words);
    let total = 0;
    for (const region of memoryMap) {
      if (region.type !== MEMORY_AVAILABLE) continue;
      const first = Math.ceil(region.base / FRAME_SIZE);
      const end = Math.floor((region.base + region.length) / FRAME_SIZE);
      for (let frame = first; frame < end; frame++) {
        if (!this.isFrameUsed(frame)) continue; // overlapping map entries: count each frame once
        total++;
        this.setFree(frame);
      }
    }
    this.totalFrames = total;
    this.reserve({ start: 0, end: LOW_MEMORY_END, what: 'low memory' });
    for (const range of reserved) this.reserve(range);
    for (let frame = 0; frame < this.frameCount; frame++) {
      if (!this.isFrameUsed(frame)) setBit(this.allocatable, frame);
    }
    this.nextFrame = LOW_MEMORY_END / FRAME_SIZE;
  }

  get freeFrames(): number {
    return this.freeCount;
  }

  get usedFrames(): number {
    return this.totalFrames - this.freeCount;
  }

  // #region exercise:allocate
  /**
   * Take a free frame and return its physical address, or null when RAM is
   * exhausted. The frame's contents are whatever was there before.
   */
  allocate(): number | null {
    const frame = this.findFreeFrame();
    if (frame === null) return null;
    this.setUsed(frame);
    this.nextFrame = frame + 1;
    return frame * FRAME_SIZE;
  }
  // #endregion exercise:allocate

  /** Give a frame back. Freeing a frame twice, or an address that is not an allocatable frame, is a kernel bug. */
  free(address: number): void {
    const frame = this.frameOf(address);
    if (!testBit(this.allocatable, frame)) {
      throw new Error(`free of frame 0x${address.toString(16)}, which is not allocatable RAM`);
    }
    if (!this.isFrameUsed(frame)) throw new Error(`double free of frame 0x${address.toString(16)}`);
    this.setFree(frame);
  }

  /**
   * Take one particular frame if it is free (the kernel heap grows this way,
   * into the frames just above it). Returns false if it is in use or not RAM.
   */
  claim(address: number): boolean {
    if (address % FRAME_SIZE !== 0 || address < 0) return false;
    const frame = address / FRAME_SIZE;
    if (frame >= this.frameCount || !testBit(this.allocatable, frame) || this.isFrameUsed(frame))
      return false;
    this.setUsed(frame);
    return true;
  }

  /** True if the frame holding `address` is in use (or is not RAM at all). */
  isUsed(address: number): boolean {
    const frame = Math.floor(address / FRAME_SIZE);
    return frame < 0 || frame >= this.frameCount || this.isFrameUsed(frame);
  }

  // ---- The search ----

  /** Next fit: from the hint to the end of RAM, then from the start up to the hint. */
  private findFreeFrame(): number | null {
    if (this.freeCount === 0) return null;
    return this.searchFree(this.nextFrame, this.frameCount) ?? this.searchFree(0, this.nextFrame);
  }

  /** The first clear bit in frames [from, to), skipping full words 32 frames at a time. */
  private searchFree(from: number, to: number): number | null {
    let frame = from;
    while (frame < to) {
      const atWordStart = frame % BITS_PER_WORD === 0;
      if (atWordStart && this.bitmap[frame / BITS_PER_WORD] === FULL_WORD) {
        frame += BITS_PER_WORD;
        continue;
      }
      if (!this.isFrameUsed(frame)) return frame;
      frame++;
    }
    return null;
  }

  // ---- Bits ----

  /** Mark every frame that overlaps [start, end) as used (not counted as allocatable). */
  private reserve(range: PhysicalRange): void {
    const first = Math.max(0, Math.floor(range.start / FRAME_SIZE));
    const end = Math.min(this.frameCount, Math.ceil(range.end / FRAME_SIZE));
    for (let frame = first; frame < end; frame++) {
      if (!this.isFrameUsed(frame)) this.setUsed(frame);
    }
  }

  private frameOf(address: number): number {
    if (
      !Number.isInteger(address) ||
      address % FRAME_SIZE !== 0 ||
      address < 0 ||
      address / FRAME_SIZE >= this.frameCount
    ) {
      throw new Error(`0x${address.toString(16)} is not the address of a page frame`);
    }
    return address / FRAME_SIZE;
  }

  private isFrameUsed(frame: number): boolean {
    return testBit(this.bitmap, frame);
  }

  private setUsed(frame: number): void {
    setBit(this.bitmap, frame);
    this.freeCount--;
  }

  private setFree(frame: number): void {
    clearBit(this.bitmap, frame);
    this.freeCount++;
  }
}

/** The end of the highest range of available RAM: how far the bitmap must reach. */
function highestAvailableAddress(memoryMap: readonly MemoryRegion[]): number {
  let top = 0;
  for (const region of memoryMap) {
    if (region.type === MEMORY_AVAILABLE) top = Math.max(top, region.base + region.length);
  }
  return top;
}

function testBit(words: Uint32Array, bit: number): boolean {
  return (words[bit >>> 5]! & (1 << (bit & 31))) !== 0;
}

function setBit(words: Uint32Array, bit: number): void {
  words[bit >>> 5]! |= 1 << (bit & 31);
}

function clearBit(words: Uint32Array, bit: number): void {
  words[bit >>> 5]! &= ~(1 << (bit & 31));
}
