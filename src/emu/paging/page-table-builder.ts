/**
 * Builds x86-64 4-level page tables in physical memory (Intel SDM Vol. 3A §4.5).
 *
 * This is not part of the machine: it stands in for the kernel's paging code in
 * the emulator's own tests, benchmarks and the user-program harness, so that
 * they can set up an address space without a kernel. Tables are taken from a
 * bump allocator of 4 KiB frames; intermediate entries get `tableFlags`
 * (present, writable, user by default, as Linux does, so that the leaf decides).
 */
import type { PhysicalMemory } from '../physical-memory';
import {
  entryAddress,
  LARGE_PAGE_SIZE,
  PAGE_SIZE,
  PTE_PAGE_SIZE,
  PTE_PRESENT,
  PTE_USER,
  PTE_WRITABLE,
} from './page-table-entry';

export const DEFAULT_TABLE_FLAGS = PTE_PRESENT | PTE_WRITABLE | PTE_USER;

export class PageTableBuilder {
  readonly pml4: number;
  private nextFrame: number;

  constructor(
    private readonly memory: PhysicalMemory,
    /** First physical address of the frames this builder may use (4 KiB aligned). */
    firstFrame: number,
    private readonly tableFlags = DEFAULT_TABLE_FLAGS,
  ) {
    this.nextFrame = firstFrame;
    this.pml4 = this.allocateFrame();
  }

  /** A zeroed 4 KiB frame. */
  allocateFrame(): number {
    const frame = this.nextFrame;
    this.nextFrame += PAGE_SIZE;
    this.memory.writeBytes(frame, new Uint8Array(PAGE_SIZE));
    return frame;
  }

  /** Map the 4 KiB page at `linear` to `physical`; `flags` are the PTE's low bits, `noExecute` sets bit 63. */
  map(linear: number, physical: number, flags: number, noExecute = false): void {
    const pt = this.tableFor(linear, 12);
    this.writeEntry(pt + this.index(linear, 12) * 8, physical, flags, noExecute);
  }

  /** Map the 2 MiB page at `linear` (PS in the PDE). */
  mapLarge(linear: number, physical: number, flags: number, noExecute = false): void {
    const pd = this.tableFor(linear, 21);
    this.writeEntry(pd + this.index(linear, 21) * 8, physical, flags | PTE_PAGE_SIZE, noExecute);
  }

  /** Physical address of the entry for `linear` at the level whose index starts at bit `shift` (39, 30, 21, 12). */
  entryAt(linear: number, shift: number): number {
    return this.tableFor(linear, shift) + this.index(linear, shift) * 8;
  }

  /** Map `count` fresh zeroed frames at `linear` onwards; returns their physical addresses. */
  mapFresh(linear: number, count: number, flags: number, noExecute = false): number[] {
    return Array.from({ length: count }, (_, i) => {
      const frame = this.allocateFrame();
      this.map(linear + i * PAGE_SIZE, frame, flags, noExecute);
      return frame;
    });
  }

  /** Allocate frames for a 2 MiB-aligned large page. */
  allocateLargeFrame(): number {
    this.nextFrame = Math.ceil(this.nextFrame / LARGE_PAGE_SIZE) * LARGE_PAGE_SIZE;
    const frame = this.nextFrame;
    this.nextFrame += LARGE_PAGE_SIZE;
    return frame;
  }

  private index(linear: number, shift: number): number {
    return Math.floor(linear / 2 ** shift) % 512;
  }

  /** The table whose entries are indexed by bits [shift+8 : shift] of `linear`, created on the way down. */
  private tableFor(linear: number, shift: number): number {
    let table = this.pml4;
    for (let level = 39; level > shift; level -= 9) {
      const at = table + this.index(linear, level) * 8;
      const low = this.memory.read32(at);
      if (low & PTE_PRESENT) {
        table = entryAddress(low, this.memory.read32(at + 4));
      } else {
        const next = this.allocateFrame();
        this.writeEntry(at, next, this.tableFlags, false);
        table = next;
      }
    }
    return table;
  }

  private writeEntry(at: number, physical: number, flags: number, noExecute: boolean): void {
    this.memory.write32(at, ((physical % 0x1_0000_0000) | flags) >>> 0);
    this.memory.write32(
      at + 4,
      (Math.floor(physical / 0x1_0000_0000) | (noExecute ? 0x8000_0000 : 0)) >>> 0,
    );
  }
}
