import { describe, expect, it } from 'vitest';
import { FRAME_SIZE, FrameAllocator, LOW_MEMORY_END } from '../../../src/kernel/mm/frame-allocator';
import {
  MEMORY_AVAILABLE,
  MEMORY_RESERVED,
  type MemoryRegion,
} from '../../../src/kernel/arch/memory-map';

const MiB = 1024 * 1024;

/** A PC-like map: low memory, the 640 KiB–1 MiB hole, RAM from 1 MiB to `top`. */
function pcMap(top: number): MemoryRegion[] {
  return [
    { base: 0, length: 0x9fc00, type: MEMORY_AVAILABLE },
    { base: 0x9fc00, length: 0x400, type: MEMORY_RESERVED },
    { base: 0xf0000, length: 0x10000, type: MEMORY_RESERVED },
    { base: MiB, length: top - MiB, type: MEMORY_AVAILABLE },
  ];
}

function allocateAll(frames: FrameAllocator): number[] {
  const out: number[] = [];
  for (let frame = frames.allocate(); frame !== null; frame = frames.allocate()) out.push(frame);
  return out;
}

describe('FrameAllocator', () => {
  it('counts the whole frames of available RAM and starts with the first 1 MiB and the reservations used', () => {
    const frames = new FrameAllocator(pcMap(8 * MiB), [
      { start: MiB, end: 2 * MiB, what: 'kernel image' },
    ]);
    expect(frames.totalFrames).toBe(0x9f + (7 * MiB) / FRAME_SIZE); // 159 low frames (the last partial one dropped) + 7 MiB
    expect(frames.freeFrames).toBe((6 * MiB) / FRAME_SIZE);
    expect(frames.usedFrames).toBe(frames.totalFrames - frames.freeFrames);
    expect(frames.isUsed(0)).toBe(true);
    expect(frames.isUsed(0x9f000)).toBe(true);
    expect(frames.isUsed(MiB + 0x5000)).toBe(true);
    expect(frames.isUsed(2 * MiB)).toBe(false);
    expect(frames.isUsed(8 * MiB)).toBe(true); // beyond RAM
  });

  it('hands out 4 KiB-aligned frames of available RAM only, never below 1 MiB, in reserved ranges or in holes', () => {
    const map: MemoryRegion[] = [
      ...pcMap(4 * MiB),
      { base: 4 * MiB, length: MiB, type: MEMORY_RESERVED },
      { base: 5 * MiB, length: 3 * MiB + 0x800, type: MEMORY_AVAILABLE }, // ends mid-frame: the partial frame is not RAM
    ];
    const reserved = [
      { start: 0x18_0800, end: 0x18_1001, what: 'multiboot2 info' }, // unaligned: covers frames 0x180000 and 0x181000
      { start: 6 * MiB, end: 6 * MiB + 0x3000, what: 'module' },
    ];
    const frames = new FrameAllocator(map, reserved);
    const all = allocateAll(frames);
    expect(all.length).toBe((3 * MiB + 3 * MiB - 0x3000 - 0x2000) / FRAME_SIZE);
    expect(new Set(all).size).toBe(all.length);
    for (const frame of all) {
      expect(frame % FRAME_SIZE).toBe(0);
      expect(frame).toBeGreaterThanOrEqual(LOW_MEMORY_END);
      expect(frame >= 4 * MiB && frame < 5 * MiB, `0x${frame.toString(16)} in the hole`).toBe(
        false,
      );
      expect(frame >= 6 * MiB && frame < 6 * MiB + 0x3000).toBe(false);
      expect(frame === 0x18_0000 || frame === 0x18_1000).toBe(false);
      expect(frame).toBeLessThan(8 * MiB);
    }
    expect(frames.freeFrames).toBe(0);
  });

  it('returns null when RAM is exhausted, and frames again once some are freed', () => {
    const frames = new FrameAllocator(pcMap(2 * MiB), []);
    const all = allocateAll(frames);
    expect(all.length).toBe(256);
    expect(frames.allocate()).toBeNull();
    expect(frames.usedFrames).toBe(frames.totalFrames);
    frames.free(all[100]!);
    expect(frames.freeFrames).toBe(1);
    expect(frames.allocate()).toBe(all[100]);
    expect(frames.allocate()).toBeNull();
  });

  it('searches next-fit from where the last allocation ended, wrapping around at the end of RAM', () => {
    const frames = new FrameAllocator(pcMap(2 * MiB), []);
    const first = frames.allocate()!;
    const second = frames.allocate()!;
    expect(first).toBe(MiB);
    expect(second).toBe(MiB + FRAME_SIZE);
    frames.free(first);
    expect(frames.allocate()).toBe(MiB + 2 * FRAME_SIZE); // the hint moves on; the freed frame waits for the wrap
    const rest = allocateAll(frames);
    expect(rest[rest.length - 1]).toBe(first);
  });

  it('throws on a double free, an unaligned address, a frame beyond RAM, and a frame reserved at boot', () => {
    const frames = new FrameAllocator(pcMap(4 * MiB), [
      { start: 2 * MiB, end: 3 * MiB, what: 'kernel image' },
    ]);
    const frame = frames.allocate()!;
    frames.free(frame);
    expect(() => frames.free(frame)).toThrow(/double free/);
    expect(() => frames.free(frame + 8)).toThrow(/not the address of a page frame/);
    expect(() => frames.free(64 * MiB)).toThrow(/not the address of a page frame/);
    expect(() => frames.free(2 * MiB)).toThrow(/not allocatable/);
    expect(() => frames.free(0x1000)).toThrow(/not allocatable/);
    expect(frames.freeFrames).toBe((2 * MiB) / FRAME_SIZE);
  });

  it('claims a particular free frame, but not a used, reserved or missing one', () => {
    const frames = new FrameAllocator(pcMap(4 * MiB), [
      { start: 2 * MiB, end: 3 * MiB, what: 'kernel image' },
    ]);
    expect(frames.claim(3 * MiB)).toBe(true);
    expect(frames.isUsed(3 * MiB)).toBe(true);
    expect(frames.claim(3 * MiB)).toBe(false);
    expect(frames.claim(2 * MiB)).toBe(false);
    expect(frames.claim(4 * MiB)).toBe(false);
    expect(frames.claim(3 * MiB + 1)).toBe(false);
    frames.free(3 * MiB);
    expect(frames.isUsed(3 * MiB)).toBe(false);
  });

  it('keeps the counts consistent through a long random sequence of allocations and frees', () => {
    const frames = new FrameAllocator(pcMap(3 * MiB), []);
    const usedAtBoot = frames.usedFrames; // the RAM frames below 1 MiB
    const held: number[] = [];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let step = 0; step < 5000; step++) {
      if (next() % 3 !== 0 || held.length === 0) {
        const frame = frames.allocate();
        if (frame !== null) held.push(frame);
      } else {
        frames.free(held.splice(next() % held.length, 1)[0]!);
      }
      expect(frames.usedFrames - usedAtBoot).toBe(held.length);
    }
    expect(new Set(held).size).toBe(held.length);
  });
});
