import { describe, expect, it } from 'vitest';
import { FrameAllocator } from '../../../src/kernel/mm/frame-allocator';
import {
  KERNEL_HEAP_INITIAL_SIZE,
  KERNEL_HEAP_MAX_SIZE,
  KERNEL_HEAP_START,
  KernelHeap,
  kernelHeapReservation,
} from '../../../src/kernel/mm/kernel-heap';
import { PhysicalMemory } from '../../../src/emu/physical-memory';

const MiB = 1024 * 1024;

function machineFrames(ramBytes: number): FrameAllocator {
  return new FrameAllocator(new PhysicalMemory(ramBytes).memoryMap(), [
    { start: MiB, end: 2 * MiB, what: 'kernel image' },
    kernelHeapReservation(),
  ]);
}

describe('KernelHeap', () => {
  it('hands out aligned, non-overlapping blocks inside the heap', () => {
    const heap = new KernelHeap(null);
    const blocks: [number, number][] = [];
    for (const [size, align] of [
      [1, 16],
      [100, 16],
      [4096, 4096],
      [3, 64],
      [2048, 2048],
      [17, 16],
    ] as const) {
      const address = heap.allocate(size, align)!;
      expect(address % align).toBe(0);
      expect(address).toBeGreaterThanOrEqual(KERNEL_HEAP_START);
      expect(address + size).toBeLessThanOrEqual(KERNEL_HEAP_START + KERNEL_HEAP_INITIAL_SIZE);
      for (const [other, otherSize] of blocks)
        expect(address + size <= other || other + otherSize <= address).toBe(true);
      blocks.push([address, size]);
    }
    expect(heap.sizeOf(blocks[1]![0])).toBe(112);
  });

  it('takes the first block that fits, and reuses freed space', () => {
    const heap = new KernelHeap(null);
    const a = heap.allocate(64)!;
    const b = heap.allocate(64)!;
    heap.allocate(64);
    heap.free(a);
    expect(heap.allocate(32)).toBe(a);
    expect(heap.allocate(64)).not.toBe(b);
  });

  it('merges freed neighbours, so that everything freed is one block again', () => {
    const heap = new KernelHeap(null);
    const addresses = Array.from(
      { length: 100 },
      (_, i) => heap.allocate(100 + i * 7, i % 3 === 0 ? 256 : 16)!,
    );
    const order = addresses.map((_, i) => (i * 37) % 100);
    for (const i of order) heap.free(addresses[i]!);
    expect(heap.stats()).toEqual({
      sizeBytes: KERNEL_HEAP_INITIAL_SIZE,
      usedBytes: 0,
      freeBytes: KERNEL_HEAP_INITIAL_SIZE,
      allocations: 0,
      largestFreeBlock: KERNEL_HEAP_INITIAL_SIZE,
    });
  });

  it('keeps used and free bytes in its statistics', () => {
    const heap = new KernelHeap(null);
    heap.allocate(1000);
    heap.allocate(24);
    const stats = heap.stats();
    expect(stats.usedBytes).toBe(1008 + 32);
    expect(stats.freeBytes).toBe(KERNEL_HEAP_INITIAL_SIZE - 1040);
    expect(stats.allocations).toBe(2);
  });

  it('throws on a double free, a bad size or a bad alignment', () => {
    const heap = new KernelHeap(null);
    const a = heap.allocate(10)!;
    heap.free(a);
    expect(() => heap.free(a)).toThrow(/not an allocated block/);
    expect(() => heap.free(a + 16)).toThrow(/not an allocated block/);
    expect(() => heap.allocate(0)).toThrow(/bad size/);
    expect(() => heap.allocate(8, 24)).toThrow(/power of two/);
  });

  it('returns null when full and cannot grow', () => {
    const heap = new KernelHeap(null);
    expect(heap.allocate(KERNEL_HEAP_INITIAL_SIZE)).toBe(KERNEL_HEAP_START);
    expect(heap.allocate(16)).toBeNull();
  });

  it('grows by claiming the free frames above it, up to 16 MiB, merging with its last free block', () => {
    const frames = machineFrames(64 * MiB);
    const heap = new KernelHeap(frames);
    const free = frames.freeFrames;
    const big = heap.allocate(6 * MiB)!;
    expect(big).toBe(KERNEL_HEAP_START);
    expect(heap.stats().sizeBytes).toBe(6 * MiB); // the 4 MiB free block and 2 MiB of new frames became one
    expect(frames.isUsed(KERNEL_HEAP_START + 5 * MiB)).toBe(true);
    expect(free - frames.freeFrames).toBe(
      (heap.stats().sizeBytes - KERNEL_HEAP_INITIAL_SIZE) / 4096,
    );
    expect(heap.allocate(KERNEL_HEAP_MAX_SIZE)).toBeNull();
    expect(heap.allocate(9 * MiB)).not.toBeNull();
    expect(heap.stats().sizeBytes).toBeLessThanOrEqual(KERNEL_HEAP_MAX_SIZE);
  });

  it('does not grow over frames that are already in use, and gives back what it claimed on the way', () => {
    const frames = machineFrames(64 * MiB);
    const heap = new KernelHeap(frames);
    const blocker = KERNEL_HEAP_START + KERNEL_HEAP_INITIAL_SIZE + MiB;
    expect(frames.claim(blocker)).toBe(true);
    const free = frames.freeFrames;
    expect(heap.allocate(KERNEL_HEAP_INITIAL_SIZE + 2 * MiB)).toBeNull();
    expect(frames.freeFrames).toBe(free);
    expect(heap.allocate(KERNEL_HEAP_INITIAL_SIZE + MiB / 2)).not.toBeNull();
  });

  it('fits on a 48 MiB machine, where it can grow to its full 16 MiB, up to the end of RAM', () => {
    const frames = machineFrames(48 * MiB);
    expect(frames.freeFrames).toBe((48 * MiB - 2 * MiB - KERNEL_HEAP_INITIAL_SIZE) / 4096);
    const heap = new KernelHeap(frames);
    expect(heap.allocate(KERNEL_HEAP_MAX_SIZE)).toBe(KERNEL_HEAP_START);
    expect(heap.stats().sizeBytes).toBe(KERNEL_HEAP_MAX_SIZE);
    expect(heap.allocate(16)).toBeNull();
  });

  it('stops growing at the end of RAM on a smaller machine', () => {
    const frames = machineFrames(40 * MiB);
    const heap = new KernelHeap(frames);
    expect(heap.allocate(8 * MiB)).toBe(KERNEL_HEAP_START);
    expect(heap.allocate(16)).toBeNull();
    expect(heap.stats().sizeBytes).toBe(8 * MiB);
  });
});
