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
 * fork is copy-on-write: clone() copies the page tables, not the pages.
 * Every owned page becomes shared by parent and child, mapped read-only in
 * both with the software bit PTE_COPY_ON_WRITE, and FrameShares counts the
 * spaces that map each shared frame. The first write to such a page faults;
 * copyOnWrite() then gives the writer a copy of its own (or, if it is the
 * last space still mapping the frame, simply makes the page writable again).
 * A frame is freed when the last space that maps it lets go.
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
  PTE_COPY_ON_WRITE,
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

/** Frames mapped by more than one address space since a fork: frame → how many spaces map it. */
export class FrameShares {
  private readonly counts = new Map<number, number>();

  /** One more space maps `frame`. */
  share(frame: number): void {
    this.counts.set(frame, (this.counts.get(frame) ?? 1) + 1);
  }

  /** One space lets go of `frame`; true when it was the last one, so the frame may be freed. */
  release(frame: number): boolean {
    const count = this.counts.get(frame);
    if (count === undefined) return true;
    if (count <= 2) this.counts.delete(frame);
    else this.counts.set(frame, count - 1);
    return false;
  }

  isShared(frame: number): boolean {
    return this.counts.has(frame);
  }

  /** Frames shared right now (for statistics and tests). */
  get sharedFrames(): number {
    return this.counts.size;
  }
}

/** What a write fault on a page can come to: see AddressSpace.copyOnWrite. */
export type CopyOnWriteResult = 'copied' | 'not-copy-on-write' | 'out-of-memory';

export class AddressSpace {
  private constructor(
    private readonly tables: PageTables,
    /** Physical address of this space's PML4: what goes into CR3. */
    readonly root: number,
    /** The kernel's own space, for user spaces (null for the kernel's). */
    private readonly kernel: AddressSpace | null,
    /** Who shares which frame since a fork: one record for all spaces. */
    readonly shares: FrameShares,
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
    const kernel = new AddressSpace(tables, root, null, new FrameShares());
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
    return new AddressSpace(tables, root, kernel, kernel.shares);
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
    if (owned) this.releaseFrame(frame);
    return true;
  }

  /**
   * A write to the page at `virt` faulted: if it is a copy-on-write page,
   * give this space a copy of its own (or the frame itself if no other space
   * maps it any more) and map it writable; then the write can be retried.
   */
  copyOnWrite(virt: number): CopyOnWriteResult {
    const page = virt - (virt % PAGE_SIZE);
    const translation = this.translate(page);
    if (translation === null || (translation.flags & PTE_COPY_ON_WRITE) === 0)
      return 'not-copy-on-write';
    const frame = translation.physical;
    let target = frame;
    if (this.shares.isShared(frame)) {
      const copy = this.tables.frames.allocate();
      if (copy === null) return 'out-of-memory';
      this.tables.cpu.writeBytes(copy, this.tables.cpu.readBytes(frame, PAGE_SIZE));
      this.shares.release(frame);
      target = copy;
    }
    const flags = (translation.flags & PTE_FLAGS_MASK & ~PTE_COPY_ON_WRITE) | PTE_WRITABLE;
    this.tables.replacePage(this.root, page, target, flags);
    return 'copied';
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
   * A copy of this user space (fork): the same kernel half, and new page
   * tables mapping the same frames. Owned pages become copy-on-write in both
   * spaces (read-only, PTE_COPY_ON_WRITE, counted in `shares`); pages the
   * space does not own are mapped as they are. Null when out of memory, with
   * everything allocated on the way freed again.
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
    this.forEachUserTable(
      this.root,
      DEPTH_PML4,
      (depth, entry) => {
        if (depth === DEPTH_PT && (entry.low & PTE_OWNED) !== 0)
          this.releaseFrame(entryAddress(entry));
      },
      (table) => this.tables.frames.free(table),
    );
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
    // One read of the whole table, not two loads per entry: most entries are empty.
    const raw = this.tables.cpu.readBytes(table, PAGE_SIZE);
    const words = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let index = 0; index < entries; index++) {
      const entry = {
        low: words.getUint32(index * 8, true),
        high: words.getUint32(index * 8 + 4, true),
      };
      if (!isPresent(entry)) continue;
      const virt = base + index * span;
      visit(depth, entry, virt);
      if (depth === DEPTH_PT) continue;
      if (isHugePage(entry))
        throw new Error(`unexpected large page at 0x${virt.toString(16)} in a user address space`);
      const child = entryAddress(entry);
      this.forEachUserTable(child, depth + 1, visit, afterTable, virt);
      afterTable?.(child);
    }
  }

  /** An owned frame leaves this space: free it unless another space still maps it. */
  private releaseFrame(frame: number): void {
    if (this.shares.release(frame)) this.tables.frames.free(frame);
  }

  /**
   * Map this space's user pages in `copy` too, owned pages copy-on-write in
   * both; false when out of frames for tables (copy then holds a partial tree).
   */
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
      const shared = (flags & ~PTE_WRITABLE) | PTE_COPY_ON_WRITE;
      ok = tables.mapPage(copy.root, virt, physical, shared, noExecute);
      if (!ok) return;
      this.shares.share(physical);
      if (shared !== flags) tables.replacePage(this.root, virt, physical, shared);
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
