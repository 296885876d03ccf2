/**
 * x86-64 paging-structure entries and the page-fault error code.
 *
 * Intel SDM Vol. 3A §4.5 (4-level paging): every table (PML4, PDPT, PD, PT)
 * holds 512 eight-byte entries; Table 4-15 to 4-20 give the bit layouts used
 * here. §4.7 gives the page-fault error code. Only what the Cotton PC models is
 * named: protection keys, the shadow-stack bit and MAXPHYADDR reserved-bit
 * checks are out of scope (see mmu.ts).
 */

/** Bit 0: the entry maps something (a table or a page). */
export const PTE_PRESENT = 1 << 0;
/** Bit 1: writes allowed (R/W). */
export const PTE_WRITABLE = 1 << 1;
/** Bit 2: user-mode (CPL 3) accesses allowed (U/S). */
export const PTE_USER = 1 << 2;
/** Bit 3: page-level write-through (cache control; recorded, no effect here). */
export const PTE_WRITE_THROUGH = 1 << 3;
/** Bit 4: page-level cache disable (recorded, no effect here). */
export const PTE_CACHE_DISABLE = 1 << 4;
/** Bit 5: set by the CPU when the entry is used for a translation. */
export const PTE_ACCESSED = 1 << 5;
/** Bit 6: set by the CPU in the entry that maps a page when the page is written. */
export const PTE_DIRTY = 1 << 6;
/** Bit 7 in a PDPTE or PDE: the entry maps a 1 GiB or 2 MiB page (PS). */
export const PTE_PAGE_SIZE = 1 << 7;
/** Bit 8 in the entry that maps a page: the translation survives CR3 writes (G, with CR4.PGE). */
export const PTE_GLOBAL = 1 << 8;
/** Bit 63: no instruction fetches (XD/NX, with IA32_EFER.NXE); bit 31 of the entry's high dword. */
export const PTE_HIGH_NO_EXECUTE = 1 << 31;

/** Bits 51:12 of an entry: the physical address of the next table or the 4 KiB page. */
export const PTE_LOW_ADDRESS_MASK = 0xfffff000;
export const PTE_HIGH_ADDRESS_MASK = 0x000fffff;

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;
export const ENTRIES_PER_TABLE = 512;
export const PTE_BYTES = 8;
export const LARGE_PAGE_SIZE = 2 * 1024 * 1024;
export const HUGE_PAGE_SIZE = 1024 * 1024 * 1024;

/** Page-fault error code (§4.7): P, 0 = not-present page, 1 = protection violation. */
export const PF_PRESENT = 1 << 0;
/** W/R: the access was a write. */
export const PF_WRITE = 1 << 1;
/** U/S: the access was made in user mode. */
export const PF_USER = 1 << 2;
/** RSVD: a reserved bit was set in some paging-structure entry. */
export const PF_RESERVED = 1 << 3;
/** I/D: the access was an instruction fetch. */
export const PF_INSTRUCTION = 1 << 4;

/** The kinds of access the MMU checks. */
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_FETCH = 2;
export type AccessKind = typeof ACCESS_READ | typeof ACCESS_WRITE | typeof ACCESS_FETCH;

/** The physical address an entry points to (bits 51:12), from its two dwords. */
export function entryAddress(low: number, high: number): number {
  return ((low & PTE_LOW_ADDRESS_MASK) >>> 0) + (high & PTE_HIGH_ADDRESS_MASK) * 0x1_0000_0000;
}
