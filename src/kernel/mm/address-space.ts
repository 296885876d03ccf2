/**
 * Address spaces: one PML4 per process, the kernel's half shared by all.
 *
 * Models the split that x86-64 kernels make of the 48-bit canonical address
 * space (Intel SDM Vol. 3A §3.3.7.1 "Canonical Addressing", §4.5): the lower
 * half, PML4 entries 0–255, belongs to the process; the upper half, entries
 * 256–511 from 0xFFFF8000_00000000, to the kernel. The kernel half is built
 * once at boot and every process's PML4 gets a copy of its 256 entries, which
 * point to the same PDPTs: kernel mappings are shared, never copied, and a
 * process never frees them. Switching processes is one CR3 write.
 *
 * The kernel half holds a direct map of all physical RAM (as Linux's
 * "page_offset_base" region does): physical address p at
 * KERNEL_DIRECT_MAP_BASE + p, supervisor-only, global (G survives CR3
 * writes, §4.10.2.4), no-execute, in 2 MiB pages so that 128 MiB costs one PD.
 * (CottonOS's TypeScript reaches physical memory through the machine's
 * physical loads and stores, so nothing uses the direct map yet; it is there
 * because that is what the hardware would need, and the walk figures show it.)
 * JS numbers this high are exact only to 2 KiB, which the 2 MiB pages respect.
 *
 * Ownership. A user page's frame either belongs to the address space (it was
 * allocated by mapNewPage, or copied by clone) or not (mapPage of a frame the
 * caller owns, such as a shared device buffer). The PTE's software bit
 * PTE_OWNED says which, so destroy() frees exactly what the space allocated:
 * every owned page and every page table of the lower half.
 *
 * fork copies eagerly: clone() duplicates every owned page. Copy-on-write
 * would be cheaper and is a natural next step (an exercise): share the frames
 * read-only with a reference count, and copy in the write fault.
 */
import type { FrameAllocator } from './frame-allocator';
import {
  ENTRIES_PER_TABLE,
  entryAddress,
  HUGE_PAGE_SIZE,
  isHugePage,
  isPresent,
  PAGE_SIZE,
  PageTables,
  type PageTableEntry,
  type PagingCpu,
  PTE_FLAGS_MASK,
  PTE_GLOBAL,
  PTE_NO_EXECUTE,
  PTE_OWNED,
  PTE_PRESENT,
  PTE_WRITABLE,
  type Translation,
} from './page-table';

/** Where the kernel half maps physical address 0: the first canonical upper-half address. */
export const KERNEL_DIRECT_MAP_BASE = 0xffff_8000_0000_0000;
/** The end of the lower (user) half: 2^47, PML4 entry 256. */
export const USER_HALF_END = 0x0000_8000_0000_0000;
/** The first PML4 entry of the kernel half. */
export const KERNEL_PML4_FIRST = 256;

/** Depth of each table kind below the PML4. */
const DEPTH_PML4 = 0;
const DEPTH_PT = 3;

export class AddressSpace {
  private constructor(
    private readonly tables: PageTables,
    /** Physical address of this space's PML4: what goes into CR3. */
    readonly root: number,
    /** The kernel's own space, for user spaces (null for the kernel's). */
    private readonly kernel: AddressSpace | null,
  ) {}

  /**
   * Build the kernel's address space at boot: a PML4 whose upper half
   * direct-maps physical memory [0, physicalTop), and load it into CR3.
   * Running out of frames here is fatal: the kernel cannot run without it.
   */
  static createKernel(cpu: PagingCpu, frames: FrameAllocator, physicalTop: number): AddressSpace {
    const tables = new PageTables(cpu, frames);
    const root = tables.allocateTable();
    if (root === null) throw new Error('out of memory building the kernel page tables');
    const kernel = new AddressSpace(tables, root, null);
    kernel.mapPhysicalMemory(physicalTop);
    cpu.writeCr3(root);
    return kernel;
  }

  /** A fresh user address space: the kernel half shared, the user half empty. Null when out of frames. */
  static createUser(kernel: AddressSpace): AddressSpace | null {
    const tables = kernel.tables;
    const root = tables.allocateTable();
    if (root === null) return null;
    for (let index = KERNEL_PML4_FIRST; index < ENTRIES_PER_TABLE; index++) {
      tables.writeEntry(root, index, tables.readEntry(kernel.root, index));
    }
    return new AddressSpace(tables, root, kernel);
  }

  /** The CPU whose physical memory holds this space's tables and pages. */
  get cpu(): PagingCpu {
    return this.tables.cpu;
  }

  get isKernel(): boolean {
    return this.kernel === null;
  }

  /** Make this the address space the CPU translates with (MOV CR3, which flushes the non-global TLB entries). */
  activate(): void {
    if (this.tables.cpu.readCr3() !== this.root) this.tables.cpu.writeCr3(this.root);
  }

  // ---- User pages ----

  /** Map a fresh zeroed frame at `virt`, owned by this space. False when out of memory. */
  mapNewPage(virt: number, flags: number, noExecute: boolean): boolean {
    checkUserPage(virt);
    const frame = this.tables.frames.allocate();
    if (frame === null) return false;
    this.tables.cpu.writeBytes(frame, new Uint8Array(PAGE_SIZE));
    if (this.tables.mapPage(this.root, virt, frame, flags | PTE_OWNED, noExecute)) return true;
    this.tables.frames.free(frame);
    return false;
  }

  /** Map a frame this space does not own (destroy leaves it alone). False when out of memory for tables. */
  mapPage(virt: number, phys: number, flags: number, noExecute: boolean): boolean {
    checkUserPage(virt);
    return this.tables.mapPage(this.root, virt, phys, flags & ~PTE_OWNED, noExecute);
  }

  /** Remove the page at `virt`, freeing its frame if this space owns it. False if nothing was mapped. */
  unmapPage(virt: number): boolean {
    checkUserPage(virt);
    const owned = this.isOwned(virt);
    const frame = this.tables.unmapPage(this.root, virt);
    if (frame === null) return false;
    if (owned) this.tables.frames.free(frame);
    return true;
  }

  /** Change the rights of the page at `virt`. False if it is not mapped. */
  protect(virt: number, flags: number, noExecute: boolean): boolean {
    checkUserPage(virt);
    return this.tables.protectPage(this.root, virt, flags & ~PTE_OWNED, noExecute);
  }

  translate(virt: number): Translation | null {
    return this.tables.translate(this.root, virt);
  }

  /** How many 4 KiB pages the user half maps. */
  userPageCount(): number {
    let count = 0;
    this.forEachUserTable(this.root, DEPTH_PML4, (depth) => {
      if (depth === DEPTH_PT) count++;
    });
    return count;
  }

  // ---- Whole spaces ----

  /**
   * A copy of this user space (fork): the same kernel half, and a new frame
   * with the same contents for every owned page. Pages the space does not own
   * are mapped to the same frames. Null when out of memory, with everything
   * allocated on the way freed again.
   */
  clone(): AddressSpace | null {
    if (this.kernel === null) throw new Error('the kernel address space cannot be cloned');
    const copy = AddressSpace.createUser(this.kernel);
    if (copy === null) return null;
    if (this.copyUserHalf(copy)) return copy;
    copy.destroy();
    return null;
  }

  /**
   * Free every owned user page, every user page table and the PML4. The
   * space must not be used afterwards; if it is live in CR3, the kernel's
   * space is loaded first.
   */
  destroy(): void {
    if (this.kernel === null) throw new Error('the kernel address space cannot be destroyed');
    if (this.tables.cpu.readCr3() === this.root) this.kernel.activate();
    this.forEachUserTable(this.root, DEPTH_PML4, (depth, entry) => {
      if (depth === DEPTH_PT && (entry.low & PTE_OWNED) !== 0) this.tables.frames.free(entryAddress(entry));
    }, (table) => this.tables.frames.free(table));
    this.tables.frames.free(this.root);
  }

  // ---- Inside ----

  /** The direct map: 2 MiB pages covering [0, physicalTop) at KERNEL_DIRECT_MAP_BASE. */
  private mapPhysicalMemory(physicalTop: number): void {
    for (let physical = 0; physical < physicalTop; physical += HUGE_PAGE_SIZE) {
      const mapped = this.tables.mapHugePage(
        this.root,
        KERNEL_DIRECT_MAP_BASE + physical,
        physical,
        PTE_PRESENT | PTE_WRITABLE | PTE_GLOBAL,
        true,
      );
      if (!mapped) throw new Error('out of memory building the kernel page tables');
    }
  }

  private isOwned(virt: number): boolean {
    const translation = this.translate(virt);
    return translation !== null && (translation.flags & PTE_OWNED) !== 0;
  }

  /**
   * Visit every present entry of the user half below `table` (at `depth`),
   * parents before children; `afterTable` is called for each table below the
   * PML4 once its entries have been visited (to free it).
   */
  private forEachUserTable(
    table: number,
    depth: number,
    visit: (depth: number, entry: PageTableEntry, virt: number) => void,
    afterTable?: (table: number) => void,
    base = 0,
  ): void {
    const entries = depth === DEPTH_PML4 ? KERNEL_PML4_FIRST : ENTRIES_PER_TABLE;
    const span = 2 ** (39 - 9 * depth);
    for (let index = 0; index < entries; index++) {
      const entry = this.tables.readEntry(table, index);
      if (!isPresent(entry)) continue;
      const virt = base + index * span;
      visit(depth, entry, virt);
      if (depth === DEPTH_PT) continue;
      if (isHugePage(entry)) throw new Error(`unexpected large page at 0x${virt.toString(16)} in a user address space`);
      const child = entryAddress(entry);
      this.forEachUserTable(child, depth + 1, visit, afterTable, virt);
      afterTable?.(child);
    }
  }

  /** Rebuild this space's user half in `copy`; false when out of frames (copy then holds a partial tree). */
  private copyUserHalf(copy: AddressSpace): boolean {
    const tables = this.tables;
    let ok = true;
    this.forEachUserTable(this.root, DEPTH_PML4, (depth, entry, virt) => {
      if (!ok || depth !== DEPTH_PT) return;
      const flags = entry.low & PTE_FLAGS_MASK;
      const noExecute = (entry.high & PTE_NO_EXECUTE) !== 0;
      const physical = entryAddress(entry);
      if ((flags & PTE_OWNED) === 0) {
        ok = tables.mapPage(copy.root, virt, physical, flags, noExecute);
        return;
      }
      const frame = tables.frames.allocate();
      if (frame === null) {
        ok = false;
        return;
      }
      tables.cpu.writeBytes(frame, tables.cpu.readBytes(physical, PAGE_SIZE));
      ok = tables.mapPage(copy.root, virt, frame, flags, noExecute);
      if (!ok) tables.frames.free(frame);
    });
    return ok;
  }
}

/** User-half operations take page-aligned addresses below 2^47; anything else is a kernel bug. */
function checkUserPage(virt: number): void {
  if (!Number.isInteger(virt) || virt < 0 || virt >= USER_HALF_END || virt % PAGE_SIZE !== 0) {
    throw new Error(`0x${virt.toString(16)} is not a page of the user half`);
  }
}
