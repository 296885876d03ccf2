/**
 * Physical memory as data: the boot loader's map, what boot reserved, the
 * frame allocator's bitmap summed up in runs, and the kernel heap.
 *
 * Models: what Linux shows in /proc/iomem and /proc/meminfo, one structure
 * for both. The shell's `mem` command prints it and the Boot chapter's memory
 * figure draws it (through inspect/views.ts), so the text and the figure come
 * from this one function and never disagree. It only reads: the map, one bit
 * test per frame (32 768 for 128 MiB) and the heap's counters.
 */
import { MEMORY_AVAILABLE, memoryTypeName, summarizeMemory } from '../arch/memory-map';
import type { MemoryRegion } from '../arch/memory-map';
import type { BootInfo } from '../arch/multiboot2';
import { FRAME_SIZE, type PhysicalRange } from './frame-allocator';
import { bootReservations, type KernelMemory } from './kernel-memory';

/** One range of the boot loader's map, its type by name. */
export interface PhysicalRegionView {
  readonly base: number;
  readonly length: number;
  /** 'available', 'reserved', 'ACPI data', ... (arch/memory-map.ts). */
  readonly type: string;
  /** The kernel may use it (E820 type 1). */
  readonly usable: boolean;
}

/** Physical addresses [start, end) of consecutive frames in use. */
export interface FrameRunView {
  readonly start: number;
  readonly end: number;
}

export interface PhysicalMemoryView {
  readonly regions: readonly PhysicalRegionView[];
  /** What was already in RAM at boot and is never handed out (kernel-memory.ts). */
  readonly reservedAtBoot: readonly PhysicalRange[];
  readonly total: number;
  readonly usable: number;
  readonly reserved: number;
  readonly frames: {
    readonly frameSize: number;
    readonly total: number;
    readonly used: number;
    readonly free: number;
    /** The used frames of the available ranges, as runs (the bitmap, summed up). */
    readonly usedRuns: readonly FrameRunView[];
  };
  readonly heap: {
    readonly start: number;
    readonly sizeBytes: number;
    readonly usedBytes: number;
    readonly allocations: number;
  };
}

export function physicalMemoryView(bootInfo: BootInfo, memory: KernelMemory): PhysicalMemoryView {
  const { memoryMap } = bootInfo;
  const { total, usable, reserved } = summarizeMemory(memoryMap);
  const { frames, heap } = memory;
  const heapStats = heap.stats();
  return {
    regions: memoryMap.map((region) => ({
      base: region.base,
      length: region.length,
      type: memoryTypeName(region.type),
      usable: region.type === MEMORY_AVAILABLE,
    })),
    reservedAtBoot: bootReservations(bootInfo).map(({ start, end, what }) => ({
      start,
      end,
      what,
    })),
    total,
    usable,
    reserved,
    frames: {
      frameSize: FRAME_SIZE,
      total: frames.totalFrames,
      used: frames.usedFrames,
      free: frames.freeFrames,
      usedRuns: usedFrameRuns(memoryMap, (address) => frames.isUsed(address)),
    },
    heap: {
      start: heap.start,
      sizeBytes: heapStats.sizeBytes,
      usedBytes: heapStats.usedBytes,
      allocations: heapStats.allocations,
    },
  };
}

/** The runs of used whole frames inside the available ranges, lowest first. */
function usedFrameRuns(
  memoryMap: readonly MemoryRegion[],
  isUsed: (address: number) => boolean,
): FrameRunView[] {
  const runs: FrameRunView[] = [];
  const available = memoryMap
    .filter((region) => region.type === MEMORY_AVAILABLE)
    .sort((a, b) => a.base - b.base);
  for (const region of available) {
    const first = Math.ceil(region.base / FRAME_SIZE) * FRAME_SIZE;
    const end = Math.floor((region.base + region.length) / FRAME_SIZE) * FRAME_SIZE;
    let runStart = -1;
    for (let address = first; address <= end; address += FRAME_SIZE) {
      const used = address < end && isUsed(address);
      if (used && runStart < 0) runStart = address;
      if (!used && runStart >= 0) {
        runs.push({ start: runStart, end: address });
        runStart = -1;
      }
    }
  }
  return runs;
}
