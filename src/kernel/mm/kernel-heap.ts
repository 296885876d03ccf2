/**
 * The kernel heap: variable-sized blocks of physically contiguous memory.
 *
 * Models CottonOS's kernel heap, a linked-list allocator over a region that
 * starts as 4 MiB at physical 0x02000000 and may grow to 16 MiB. In this
 * TypeScript kernel, ordinary kernel objects live in the JS heap; what needs
 * this heap is memory the *machine* must see: buffers a device reads or
 * writes by DMA (a NIC's receive ring, an ATA transfer), which must be
 * physically contiguous and stay where they are.
 *
 * First fit with coalescing: the free blocks form a list sorted by address;
 * `allocate` takes the first block large enough once aligned, and splits off
 * what is left on either side; `free` puts the block back and merges it with
 * free neighbours, so adjacent holes never stay apart. The bookkeeping lives
 * in the kernel's own data rather than in headers inside the heap, as a C
 * allocator would keep it: a device that overruns a DMA buffer then damages
 * data, not the allocator's list.
 *
 * Growth. The initial 4 MiB are reserved at boot (boot passes
 * `kernelHeapReservation()` to the FrameAllocator). When no block fits, the
 * heap claims the frames just above its end, one at a time, through
 * FrameAllocator.claim, up to the 16 MiB limit. It does not reserve the
 * growth range up front: on a 48 MiB machine that would take 12 MiB from user
 * programs for a heap that rarely needs them. The price is that growth fails
 * if user pages already occupy the frames above the heap; allocate then
 * returns null, which DMA users must handle anyway.
 */
import { FRAME_SIZE, type FrameAllocator, type PhysicalRange } from './frame-allocator';

export const KERNEL_HEAP_START = 0x0200_0000;
export const KERNEL_HEAP_INITIAL_SIZE = 4 * 1024 * 1024;
export const KERNEL_HEAP_MAX_SIZE = 16 * 1024 * 1024;
/** Every block is a multiple of this (and at least this big), like malloc's 16-byte granule. */
export const HEAP_GRANULE = 16;

/** The range boot must reserve in the FrameAllocator for the initial heap. */
export function kernelHeapReservation(): PhysicalRange {
  return {
    start: KERNEL_HEAP_START,
    end: KERNEL_HEAP_START + KERNEL_HEAP_INITIAL_SIZE,
    what: 'kernel heap',
  };
}

interface Block {
  start: number;
  size: number;
}

export interface KernelHeapStats {
  /** The heap's current extent. */
  readonly sizeBytes: number;
  readonly usedBytes: number;
  readonly freeBytes: number;
  readonly allocations: number;
  /** The largest free block: the biggest request that can succeed without growing. */
  readonly largestFreeBlock: number;
}

export class KernelHeap {
  /** Free blocks in address order, never adjacent (they are merged). */
  private readonly freeBlocks: Block[] = [];
  /** Live allocations: start address → size. */
  private readonly allocated = new Map<number, number>();
  private end: number;

  constructor(
    private readonly frames: FrameAllocator | null,
    readonly start = KERNEL_HEAP_START,
    initialSize = KERNEL_HEAP_INITIAL_SIZE,
    readonly maxSize = KERNEL_HEAP_MAX_SIZE,
  ) {
    this.end = start + initialSize;
    this.freeBlocks.push({ start, size: initialSize });
  }

  /**
   * `size` bytes aligned to `align` (a power of two), or null when even
   * growing cannot make room. The memory is not cleared.
   */
  allocate(size: number, align = HEAP_GRANULE): number | null {
    if (!Number.isInteger(size) || size <= 0) throw new Error(`kernel heap: bad size ${size}`);
    if (!isPowerOfTwo(align))
      throw new Error(`kernel heap: alignment ${align} is not a power of two`);
    const length = roundUp(size, HEAP_GRANULE);
    const alignment = Math.max(align, HEAP_GRANULE);
    const found =
      this.firstFit(length, alignment) ??
      (this.grow(this.growthFor(length, alignment)) ? this.firstFit(length, alignment) : null);
    if (found === null) return null;
    this.takeFrom(found.index, found.address, length);
    this.allocated.set(found.address, length);
    return found.address;
  }

  /** Give back a block; freeing anything else is a kernel bug. */
  free(address: number): void {
    const size = this.allocated.get(address);
    if (size === undefined)
      throw new Error(
        `kernel heap: free of 0x${address.toString(16)}, which is not an allocated block`,
      );
    this.allocated.delete(address);
    this.insertFree({ start: address, size });
  }

  /** The size a block was given (its request rounded up to the granule). */
  sizeOf(address: number): number | undefined {
    return this.allocated.get(address);
  }

  stats(): KernelHeapStats {
    const freeBytes = this.freeBlocks.reduce((sum, block) => sum + block.size, 0);
    const sizeBytes = this.end - this.start;
    return {
      sizeBytes,
      usedBytes: sizeBytes - freeBytes,
      freeBytes,
      allocations: this.allocated.size,
      largestFreeBlock: this.freeBlocks.reduce((max, block) => Math.max(max, block.size), 0),
    };
  }

  // ---- Inside ----

  /** The first free block that holds `length` bytes at an address aligned to `alignment`. */
  private firstFit(length: number, alignment: number): { index: number; address: number } | null {
    for (const [index, block] of this.freeBlocks.entries()) {
      const address = roundUp(block.start, alignment);
      if (address + length <= block.start + block.size) return { index, address };
    }
    return null;
  }

  /** Cut [address, address + length) out of free block `index`, keeping what lies before and after. */
  private takeFrom(index: number, address: number, length: number): void {
    const block = this.freeBlocks[index]!;
    const before: Block = { start: block.start, size: address - block.start };
    const after: Block = {
      start: address + length,
      size: block.start + block.size - (address + length),
    };
    const pieces = [before, after].filter((piece) => piece.size > 0);
    this.freeBlocks.splice(index, 1, ...pieces);
  }

  /** Put a block in the sorted free list, merging it with the free blocks that touch it. */
  private insertFree(block: Block): void {
    let index = this.freeBlocks.findIndex((other) => other.start > block.start);
    if (index === -1) index = this.freeBlocks.length;
    this.freeBlocks.splice(index, 0, block);
    this.mergeWithNext(index);
    if (index > 0) this.mergeWithNext(index - 1);
  }

  private mergeWithNext(index: number): void {
    const block = this.freeBlocks[index]!;
    const next = this.freeBlocks[index + 1];
    if (next === undefined || block.start + block.size !== next.start) return;
    block.size += next.size;
    this.freeBlocks.splice(index + 1, 1);
  }

  /** How many bytes the heap must grow by for the request to fit at its end (in the last free block, if it reaches the end). */
  private growthFor(length: number, alignment: number): number {
    const last = this.freeBlocks[this.freeBlocks.length - 1];
    const tailStart =
      last !== undefined && last.start + last.size === this.end ? last.start : this.end;
    return roundUp(tailStart, alignment) + length - this.end;
  }

  /** Claim whole frames above the end until `bytes` more are free there; all or nothing. */
  private grow(bytes: number): boolean {
    if (this.frames === null) return false;
    const newEnd = roundUp(this.end + bytes, FRAME_SIZE);
    if (newEnd - this.start > this.maxSize) return false;
    const claimed: number[] = [];
    for (let frame = this.end; frame < newEnd; frame += FRAME_SIZE) {
      if (!this.frames.claim(frame)) {
        for (const taken of claimed) this.frames.free(taken);
        return false;
      }
      claimed.push(frame);
    }
    this.insertFree({ start: this.end, size: newEnd - this.end });
    this.end = newEnd;
    return true;
  }
}

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;
}

function roundUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
