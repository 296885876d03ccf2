/**
 * Memory bring-up: from the boot loader's memory map to a frame allocator and
 * the kernel's address space.
 *
 * Models: the early memory set-up of a kernel (Linux's setup_arch →
 * memblock → paging_init; CottonOS's memory::init). The frame allocator gets
 * every RAM range of the map, minus what is already in use: the low megabyte
 * (firmware data), and the kernel image, the boot modules and the Multiboot2
 * information, which the loader put one after another from the image's load
 * address, and the kernel heap's first 4 MiB (./kernel-heap.ts). Then the
 * kernel's own page tables — physical memory mapped at the
 * higher half — are built from those frames and loaded into CR3; every
 * process's address space shares them.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import type { BootInfo } from '../arch/multiboot2';
import { AddressSpace } from './address-space';
import { FrameAllocator, type PhysicalRange } from './frame-allocator';
import { KernelHeap, kernelHeapReservation } from './kernel-heap';
import { MEMORY_AVAILABLE } from '../arch/memory-map';

export interface KernelMemory {
  readonly frames: FrameAllocator;
  readonly kernelSpace: AddressSpace;
  /** Kernel buffers that live in machine memory (DMA buffers). */
  readonly heap: KernelHeap;
}

/** What the boot loader left in RAM that nobody may overwrite. */
export function bootReservations(bootInfo: BootInfo): PhysicalRange[] {
  const imageStart = bootInfo.loadBase ?? bootInfo.address;
  return [
    {
      start: imageStart,
      end: bootInfo.address + bootInfo.totalSize,
      what: 'kernel image, modules and boot information',
    },
    kernelHeapReservation(),
  ];
}

/** The end of the highest RAM range: what the direct map covers. */
export function physicalTop(bootInfo: BootInfo): number {
  return Math.max(
    ...bootInfo.memoryMap.filter((r) => r.type === MEMORY_AVAILABLE).map((r) => r.base + r.length),
  );
}

export function setUpMemory(cpu: MachineInterface, bootInfo: BootInfo): KernelMemory {
  const frames = new FrameAllocator(bootInfo.memoryMap, bootReservations(bootInfo));
  const kernelSpace = AddressSpace.createKernel(cpu, frames, physicalTop(bootInfo));
  return { frames, kernelSpace, heap: new KernelHeap(frames) };
}
