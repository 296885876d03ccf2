/**
 * x86-64 4-level page tables, as the kernel builds and edits them.
 *
 * Models Intel SDM Vol. 3A §4.5 "4-Level Paging": a virtual address is cut
 * into four 9-bit indices and a 12-bit offset (Figure 4-8),
 *
 *     47      39 38      30 29      21 20      12 11         0
 *    | PML4 idx | PDPT idx |  PD idx  |  PT idx  |   offset   |
 *
 * and CR3 points to a PML4 whose entry points to a PDPT, then a PD, then a PT
 * whose entry maps the 4 KiB page. A PD entry with PS set maps a 2 MiB page
 * directly (Table 4-17). Every table is one 4 KiB frame of 512 eight-byte
 * entries. The entries live in physical memory, so this module reads and
 * writes them with the CPU's physical loads and stores, 32 bits at a time:
 * the low word holds the flags and address bits 31:12, the high word holds
 * address bits 51:32 and, in its top bit, bit 63 (XD, "no execute",
 * §4.6.2). JS numbers hold 53 bits exactly, so the kernel never builds a
 * 64-bit entry as one number.
 *
 * Access rights (§4.6): a user access needs U/S at every level, a write needs
 * R/W at every level, and XD at any level forbids fetches. The kernel gives
 * every intermediate entry P|RW|US so that the leaf entry alone decides, the
 * convention Linux follows too.
 *
 * The TLB (§4.10.4): after changing or removing a mapping of the address
 * space that is live in CR3 the kernel must INVLPG the page, or the CPU may
 * keep using the old translation. Adding a mapping needs no flush: the
 * processor does not cache "not present".
 */
import type { MachineInterface } from '../../emu/machine-interface';
import type { FrameAllocator } from './frame-allocator';

// ---- Entry bits (SDM Vol. 3A Tables 4-14 to 4-19) ----

/** Bit 0, P: the entry maps a table or a page. */
export const PTE_PRESENT = 1 << 0;
/** Bit 1, R/W: writes allowed. */
export const PTE_WRITABLE = 1 << 1;
/** Bit 2, U/S: user-mode accesses allowed. */
export const PTE_USER = 1 << 2;
/** Bit 3, PWT: page-level write-through. */
export const PTE_WRITE_THROUGH = 1 << 3;
/** Bit 4, PCD: page-level cache disable. */
export const PTE_CACHE_DISABLE = 1 << 4;
/** Bit 5, A: set by the CPU when the entry is used in a translation. */
export const PTE_ACCESSED = 1 << 5;
/** Bit 6, D: set by the CPU when the page is written. */
export const PTE_DIRTY = 1 << 6;
/** Bit 7, PS: in a PD entry, maps a 2 MiB page instead of pointing to a PT. */
export const PTE_PAGE_SIZE = 1 << 7;
/** Bit 8, G: the translation survives CR3 writes (kernel pages). */
export const PTE_GLOBAL = 1 << 8;
/**
 * Bit 9, ignored by the processor and free for software (Table 4-19, "Ignored").
 * CottonOS sets it when the frame belongs to the address space, so that
 * tearing the space down frees exactly the frames it allocated.
 */
export const PTE_OWNED = 1 << 9;
/**
 * Bit 10, also free for software: the frame may be shared with another
 * address space since a fork, so the page is mapped read-only and a write
 * must first copy it (copy-on-write, see address-space.ts).
 */
export const PTE_COPY_ON_WRITE = 1 << 10;
/** Bit 63, XD: no instruction fetches. It is bit 31 of the entry's high 32-bit word. */
export const PTE_NO_EXECUTE = 1 << 31;

/** The flag bits of an entry's low word (bits 11:0). */
export const PTE_FLAGS_MASK = 0xfff;
/** Address bits 31:12 in the low word, 51:32 in the high word. */
const PTE_LOW_ADDRESS_MASK = 0xffff_f000;
const PTE_HIGH_ADDRESS_MASK = 0x000f_ffff;

export const PAGE_SIZE = 4096;
export const HUGE_PAGE_SIZE = 2 * 1024 * 1024;
const GIANT_PAGE_SIZE = 1024 * 1024 * 1024;
export const ENTRIES_PER_TABLE = 512;
export const ENTRY_BYTES = 8;

/** What intermediate entries carry: the leaf decides the rights. */
export const TABLE_FLAGS = PTE_PRESENT | PTE_WRITABLE | PTE_USER;

const TWO_32 = 0x1_0000_0000;

/** The CPU operations the paging code uses. */
export type PagingCpu = Pick<
  MachineInterface,
  'read32' | 'write32' | 'readBytes' | 'writeBytes' | 'readCr3' | 'writeCr3' | 'invlpg'
>;

// ---- Index helpers (Figure 4-8) ----

/** Bits 47:39: the entry in the PML4. */
export function pml4Index(virt: number): number {
  return Math.floor(virt / 2 ** 39) % ENTRIES_PER_TABLE;
}
/** Bits 38:30: the entry in the PDPT. */
export function pdptIndex(virt: number): number {
  return Math.floor(virt / 2 ** 30) % ENTRIES_PER_TABLE;
}
/** Bits 29:21: the entry in the PD. */
export function pdIndex(virt: number): number {
  return Math.floor(virt / 2 ** 21) % ENTRIES_PER_TABLE;
}
/** Bits 20:12: the entry in the PT. */
export function ptIndex(virt: number): number {
  return Math.floor(virt / 2 ** 12) % ENTRIES_PER_TABLE;
}

/** The four levels, from the root down, with the index function of each. */
export const LEVELS = [
  { name: 'PML4', index: pml4Index },
  { name: 'PDPT', index: pdptIndex },
  { name: 'PD', index: pdIndex },
  { name: 'PT', index: ptIndex },
] as const;

export type LevelName = (typeof LEVELS)[number]['name'];

/** An entry as two 32-bit words. */
export interface PageTableEntry {
  readonly low: number;
  readonly high: number;
}

/** What a virtual address maps to. */
export interface Translation {
  readonly physical: number;
  /**
   * The leaf entry's flag bits (11:0), except that PTE_WRITABLE and PTE_USER
   * are kept only if every level grants them: the effective rights of §4.6.
   */
  readonly flags: number;
  /** XD is set at some level. */
  readonly noExecute: boolean;
  /** 4 KiB or 2 MiB (1 GiB if someone built one). */
  readonly pageSize: number;
}

/** One step of a walk, for the book's page-table-walk figure. */
export interface WalkStep {
  readonly level: LevelName;
  /** Physical address of the table. */
  readonly table: number;
  readonly index: number;
  /** The raw entry. */
  readonly low: number;
  readonly high: number;
}

export function isPresent(entry: PageTableEntry): boolean {
  return (entry.low & PTE_PRESENT) !== 0;
}

export function isHugePage(entry: PageTableEntry): boolean {
  return (entry.low & PTE_PAGE_SIZE) !== 0;
}

/** The physical address an entry points to (bits 51:12). */
export function entryAddress(entry: PageTableEntry): number {
  return ((entry.low & PTE_LOW_ADDRESS_MASK) >>> 0) + (entry.high & PTE_HIGH_ADDRESS_MASK) * TWO_32;
}

/** The page an entry maps; in a large-page entry bit 12 is PAT, not address (Table 4-17). */
function pageFrame(entry: PageTableEntry, pageSize: number): number {
  const address = entryAddress(entry);
  return address - (address % pageSize);
}

/** Build an entry from an address, flag bits and XD. */
export function makeEntry(physical: number, flags: number, noExecute: boolean): PageTableEntry {
  const low = ((physical % TWO_32) & PTE_LOW_ADDRESS_MASK) | (flags & PTE_FLAGS_MASK);
  const high =
    (Math.floor(physical / TWO_32) & PTE_HIGH_ADDRESS_MASK) | (noExecute ? PTE_NO_EXECUTE : 0);
  return { low: low >>> 0, high: high >>> 0 };
}

/**
 * Page tables in physical memory: reads, walks and edits them. One instance
 * serves every address space; `root` names the PML4 to work on.
 */
export class PageTables {
  constructor(
    readonly cpu: PagingCpu,
    readonly frames: FrameAllocator,
  ) {}

  // ---- Entries ----

  readEntry(table: number, index: number): PageTableEntry {
    const at = table + index * ENTRY_BYTES;
    return { low: this.cpu.read32(at) >>> 0, high: this.cpu.read32(at + 4) >>> 0 };
  }

  writeEntry(table: number, index: number, entry: PageTableEntry): void {
    const at = table + index * ENTRY_BYTES;
    this.cpu.write32(at, entry.low);
    this.cpu.write32(at + 4, entry.high);
  }

  /** A fresh table: one frame, all 512 entries not present. Null when out of frames. */
  allocateTable(): number | null {
    const frame = this.frames.allocate();
    if (frame !== null) this.cpu.writeBytes(frame, new Uint8Array(PAGE_SIZE));
    return frame;
  }

  // ---- Looking up ----

  // #region exercise:translate
  /**
   * Translate `virt` as the MMU would (§4.5), or null if some level is not
   * present. Follows a PS entry in the PD to a 2 MiB page.
   */
  translate(root: number, virt: number): Translation | null {
    let table = root;
    let rights = PTE_WRITABLE | PTE_USER;
    let noExecute = false;
    for (const [depth, level] of LEVELS.entries()) {
      const entry = this.readEntry(table, level.index(virt));
      if (!isPresent(entry)) return null;
      rights &= entry.low;
      noExecute ||= (entry.high & PTE_NO_EXECUTE) !== 0;
      const pageSize = leafPageSize(depth, entry);
      if (pageSize !== 0) {
        const flags = (entry.low & PTE_FLAGS_MASK & ~(PTE_WRITABLE | PTE_USER)) | rights;
        return {
          physical: pageFrame(entry, pageSize) + (virt % pageSize),
          flags,
          noExecute,
          pageSize,
        };
      }
      table = entryAddress(entry);
    }
    return null; // not reached: the PT level always ends the walk
  }
  // #endregion exercise:translate

  /** Every entry the MMU reads to translate `virt`, down to the leaf or the first entry not present. */
  walk(root: number, virt: number): WalkStep[] {
    const steps: WalkStep[] = [];
    let table = root;
    for (const [depth, level] of LEVELS.entries()) {
      const index = level.index(virt);
      const entry = this.readEntry(table, index);
      steps.push({ level: level.name, table, index, low: entry.low, high: entry.high });
      if (!isPresent(entry) || leafPageSize(depth, entry) !== 0) break;
      table = entryAddress(entry);
    }
    return steps;
  }

  // ---- Editing ----

  /**
   * Map the 4 KiB page at `virt` to the frame at `phys`. Missing tables on
   * the way are allocated (zeroed). Returns false when a table cannot be
   * allocated. Mapping over an existing page or inside a 2 MiB page is a
   * kernel bug and throws.
   */
  mapPage(root: number, virt: number, phys: number, flags: number, noExecute: boolean): boolean {
    const pt = this.tableFor(root, virt, 'PT');
    if (pt === null) return false;
    const index = ptIndex(virt);
    if (isPresent(this.readEntry(pt, index)))
      throw new Error(`page 0x${virt.toString(16)} is already mapped`);
    this.writeEntry(pt, index, makeEntry(phys, flags | PTE_PRESENT, noExecute));
    return true;
  }

  /** Map a 2 MiB page (PS in the PD entry). `virt` and `phys` must be 2 MiB aligned. */
  mapHugePage(
    root: number,
    virt: number,
    phys: number,
    flags: number,
    noExecute: boolean,
  ): boolean {
    if (virt % HUGE_PAGE_SIZE !== 0 || phys % HUGE_PAGE_SIZE !== 0)
      throw new Error('2 MiB pages need 2 MiB alignment');
    const pd = this.tableFor(root, virt, 'PD');
    if (pd === null) return false;
    const index = pdIndex(virt);
    if (isPresent(this.readEntry(pd, index)))
      throw new Error(`0x${virt.toString(16)} is already mapped`);
    this.writeEntry(pd, index, makeEntry(phys, flags | PTE_PRESENT | PTE_PAGE_SIZE, noExecute));
    return true;
  }

  /**
   * Remove the 4 KiB mapping of `virt`; returns the physical address it
   * mapped (the caller decides whether to free it) or null if there was none.
   * Page tables left empty stay allocated until the address space goes away.
   */
  unmapPage(root: number, virt: number): number | null {
    const pt = this.existingTable(root, virt, 'PT');
    if (pt === null) return null;
    const index = ptIndex(virt);
    const entry = this.readEntry(pt, index);
    if (!isPresent(entry)) return null;
    this.writeEntry(pt, index, { low: 0, high: 0 });
    this.flushIfLive(root, virt);
    return entryAddress(entry);
  }

  /**
   * Replace the flags and XD of the 4 KiB mapping of `virt`, keeping its
   * frame, PTE_OWNED and PTE_COPY_ON_WRITE — a shared page stays read-only
   * whatever the new rights, until a write copies it. False if `virt` is not
   * mapped by a 4 KiB page.
   */
  protectPage(root: number, virt: number, flags: number, noExecute: boolean): boolean {
    const pt = this.existingTable(root, virt, 'PT');
    if (pt === null) return false;
    const index = ptIndex(virt);
    const entry = this.readEntry(pt, index);
    if (!isPresent(entry)) return false;
    const kept = entry.low & (PTE_OWNED | PTE_COPY_ON_WRITE);
    const rights = kept & PTE_COPY_ON_WRITE ? flags & ~PTE_WRITABLE : flags;
    this.writeEntry(
      pt,
      index,
      makeEntry(entryAddress(entry), rights | kept | PTE_PRESENT, noExecute),
    );
    this.flushIfLive(root, virt);
    return true;
  }

  /** Put `frame` with `flags` (kept XD) in place of the 4 KiB mapping of `virt`, which must exist. */
  replacePage(root: number, virt: number, frame: number, flags: number): void {
    const pt = this.existingTable(root, virt, 'PT');
    const entry = pt === null ? null : this.readEntry(pt, ptIndex(virt));
    if (pt === null || entry === null || !isPresent(entry))
      throw new Error(`page 0x${virt.toString(16)} is not mapped`);
    this.writeEntry(
      pt,
      ptIndex(virt),
      makeEntry(frame, flags | PTE_PRESENT, (entry.high & PTE_NO_EXECUTE) !== 0),
    );
    this.flushIfLive(root, virt);
  }

  /** INVLPG, needed only when `root` is the address space the CPU is using. */
  private flushIfLive(root: number, virt: number): void {
    if (this.cpu.readCr3() === root) this.cpu.invlpg(virt);
  }

  /**
   * The table of level `level` (PDPT, PD or PT) that covers `virt`, creating
   * missing ones on the way down; null when out of frames.
   */
  private tableFor(root: number, virt: number, level: 'PDPT' | 'PD' | 'PT'): number | null {
    let table = root;
    for (const step of LEVELS) {
      if (step.name === level) return table;
      const index = step.index(virt);
      let entry = this.readEntry(table, index);
      if (!isPresent(entry)) {
        const fresh = this.allocateTable();
        if (fresh === null) return null;
        entry = makeEntry(fresh, TABLE_FLAGS, false);
        this.writeEntry(table, index, entry);
      } else if (isHugePage(entry)) {
        throw new Error(`0x${virt.toString(16)} lies inside a large page`);
      }
      table = entryAddress(entry);
    }
    return table;
  }

  /** Like tableFor, without creating anything: null if a level is missing or a large page covers `virt`. */
  private existingTable(root: number, virt: number, level: 'PDPT' | 'PD' | 'PT'): number | null {
    let table = root;
    for (const step of LEVELS) {
      if (step.name === level) return table;
      const entry = this.readEntry(table, step.index(virt));
      if (!isPresent(entry) || isHugePage(entry)) return null;
      table = entryAddress(entry);
    }
    return table;
  }
}

/**
 * If `entry`, found at depth 0 (PML4) … 3 (PT), maps a page, the page's size;
 * 0 if it points to another table. PS in a PD entry means 2 MiB (Table 4-17),
 * in a PDPT entry 1 GiB (Table 4-15; CottonOS builds none, but a walk must
 * read what the MMU would).
 */
function leafPageSize(depth: number, entry: PageTableEntry): number {
  if (depth === 3) return PAGE_SIZE;
  if (depth === 2 && isHugePage(entry)) return HUGE_PAGE_SIZE;
  if (depth === 1 && isHugePage(entry)) return GIANT_PAGE_SIZE;
  return 0;
}
