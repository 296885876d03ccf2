/**
 * A bare Cotton PC for the memory-management tests: RAM, the real CPU core
 * and MMU from src/emu, a frame allocator over the machine's memory map and
 * the kernel's address space, built by the kernel code under test.
 */
import { VirtualClock } from '../../../src/emu/clock';
import { CpuCore } from '../../../src/emu/cpu-core';
import { IoBus } from '../../../src/emu/io-bus';
import { PhysicalMemory } from '../../../src/emu/physical-memory';
import { Pic8259Pair } from '../../../src/emu/pic8259';
import { AddressSpace } from '../../../src/kernel/mm/address-space';
import { FrameAllocator, type PhysicalRange } from '../../../src/kernel/mm/frame-allocator';

export const KERNEL_IMAGE: PhysicalRange = {
  start: 0x10_0000,
  end: 0x20_0000,
  what: 'kernel image',
};

export interface MmMachine {
  readonly memory: PhysicalMemory;
  readonly cpu: CpuCore;
  readonly frames: FrameAllocator;
  readonly kernel: AddressSpace;
}

export function mmMachine(
  ramBytes = 16 << 20,
  reserved: PhysicalRange[] = [KERNEL_IMAGE],
): MmMachine {
  const memory = new PhysicalMemory(ramBytes);
  const cpu = new CpuCore(new VirtualClock(), new IoBus(), memory, new Pic8259Pair());
  const frames = new FrameAllocator(memory.memoryMap(), reserved);
  const kernel = AddressSpace.createKernel(cpu, frames, ramBytes);
  return { memory, cpu, frames, kernel };
}

/** Take every free frame (to test running out); returns them for freeing later. */
export function exhaust(frames: FrameAllocator, leave = 0): number[] {
  const taken: number[] = [];
  while (frames.freeFrames > leave) taken.push(frames.allocate()!);
  return taken;
}
