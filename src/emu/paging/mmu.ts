/**
 * The Cotton PC's MMU: x86-64 4-level paging with a TLB.
 *
 * Models Intel SDM Vol. 3A §4.5 (4-level paging: CR3 → PML4 → PDPT → PD → PT,
 * 4 KiB pages, 2 MiB pages via PS in a PDE, 1 GiB pages via PS in a PDPTE),
 * §4.6 (access rights: a user access needs U/S set at every level, a write
 * needs R/W set at every level — CR0.WP is taken as set — and a fetch faults
 * when XD is set at any level; IA32_EFER.NXE is taken as set), §4.8 (the
 * accessed and dirty flags, written back to the entries in memory), §4.7 (the
 * page-fault error code and CR2) and §4.10 (the TLB: a CR3 write flushes every
 * translation except global ones; INVLPG drops one page's, global or not).
 *
 * Left out, on purpose: PCIDs, protection keys, SMEP/SMAP, and the reserved-bit
 * checks above MAXPHYADDR (only PS in a PML4E is reported as RSVD). Paging-
 * structure caches are not modelled: every TLB miss walks from CR3, which is
 * what a kernel must assume anyway.
 *
 * The TLB is shaped for the user CPU's hot paths (src/emu/rv32): it is
 * direct-mapped on the 4 KiB virtual page number of the 32-bit user address
 * space, and for each slot it keeps one tag per kind of access that may skip
 * the walk (read, write, fetch), plus the RAM chunk holding the page as an
 * Int32Array and a Uint8Array, so that a hit is a tag compare and an array
 * index. The write tag is set only when the entry is already dirty and the page
 * holds no translated code, so every write that must change memory-resident
 * state (the D bit) or invalidate code goes through the slow path.
 */
import type { PhysicalMemory } from '../physical-memory';
import {
  ACCESS_FETCH,
  ACCESS_WRITE,
  type AccessKind,
  entryAddress,
  PAGE_MASK,
  PAGE_SHIFT,
  PF_INSTRUCTION,
  PF_PRESENT,
  PF_RESERVED,
  PF_USER,
  PF_WRITE,
  PTE_ACCESSED,
  PTE_BYTES,
  PTE_DIRTY,
  PTE_GLOBAL,
  PTE_HIGH_NO_EXECUTE,
  PTE_PAGE_SIZE,
  PTE_PRESENT,
  PTE_USER,
  PTE_WRITABLE,
} from './page-table-entry';

/** TLB slots: 4096 × 4 KiB = 16 MiB of reach, direct-mapped on the virtual page number. */
export const TLB_ENTRIES = 4096;
export const TLB_MASK = TLB_ENTRIES - 1;
/** A tag that matches no virtual page number (they are 0 … 2^20 − 1 for 32-bit user addresses). */
export const TLB_INVALID = -1;

const RAM_CHUNK_SHIFT = 16;
const RAM_CHUNK_MASK = (1 << RAM_CHUNK_SHIFT) - 1;
const NO_WORDS = new Int32Array(0);
const NO_BYTES = new Uint8Array(0);
const TWO_32 = 0x1_0000_0000;
/** Virtual page numbers of the 32-bit user address space. */
const USER_PAGES = TWO_32 / 4096;

if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1) {
  // The fast paths read guest memory through Int32Arrays, i.e. in host byte order.
  throw new Error('the Cotton PC emulator needs a little-endian host');
}

/** What the last failed translation reported (also left in CR2). */
export interface PageFaultInfo {
  readonly address: number;
  readonly errorCode: number;
}

export class Mmu {
  /** CR3: physical address of the PML4 (bits 51:12). */
  cr3 = 0;
  /** CR2: the linear address of the last page fault. */
  cr2 = 0;
  /** The error code of the last page fault. */
  faultErrorCode = 0;

  // ---- The TLB, public for the user CPU's inline fast paths ----
  readonly readTag = new Int32Array(TLB_ENTRIES).fill(TLB_INVALID);
  readonly writeTag = new Int32Array(TLB_ENTRIES).fill(TLB_INVALID);
  readonly fetchTag = new Int32Array(TLB_ENTRIES).fill(TLB_INVALID);
  /** The RAM chunk holding the slot's page, as words and as bytes. */
  readonly words: Int32Array[] = new Array<Int32Array>(TLB_ENTRIES).fill(NO_WORDS);
  readonly bytes: Uint8Array[] = new Array<Uint8Array>(TLB_ENTRIES).fill(NO_BYTES);
  /** Byte offset of the slot's page within its chunk. */
  readonly offset = new Int32Array(TLB_ENTRIES);
  /** Physical address of the slot's page. */
  readonly physical = new Float64Array(TLB_ENTRIES);
  /** log2 of the size of the page the slot's translation came from (12, 21 or 30). */
  private readonly span = new Uint8Array(TLB_ENTRIES);
  private readonly global = new Uint8Array(TLB_ENTRIES);
  /**
   * The slots filled since the last flush, so that a CR3 write (every context
   * switch) costs what the process touched, not all TLB_ENTRIES slots.
   */
  private readonly filledSlots = new Int32Array(TLB_ENTRIES);
  private readonly slotListed = new Uint8Array(TLB_ENTRIES);
  private filledCount = 0;
  private largeEntries = 0;
  /** Called whenever translations are dropped (the user CPU flushes its virtual-PC caches). */
  onFlush: (() => void) | null = null;

  private readonly chunkWords: (Int32Array | undefined)[] = [];
  private readonly chunkBytes: (Uint8Array | undefined)[] = [];
  private readonly entryAddresses = new Float64Array(4);

  constructor(private readonly memory: PhysicalMemory) {}

  /** MOV CR3: switch address spaces; drops every non-global translation. */
  writeCr3(pml4Physical: number): void {
    this.cr3 = pml4Physical - (pml4Physical % 4096);
    let kept = 0;
    for (let i = 0; i < this.filledCount; i++) {
      const slot = this.filledSlots[i]!;
      if (this.global[slot] && this.readTag[slot] !== TLB_INVALID) {
        this.filledSlots[kept++] = slot;
      } else {
        this.invalidateSlot(slot);
        this.slotListed[slot] = 0;
      }
    }
    this.filledCount = kept;
    this.onFlush?.();
  }

  /** INVLPG: drop the translation of the page holding `virtualAddress` (of the large page, if it came from one). */
  invlpg(virtualAddress: number): void {
    const vpn = Math.floor(virtualAddress / 4096);
    if (vpn < USER_PAGES) {
      const slot = vpn & TLB_MASK;
      if (this.readTag[slot] === vpn) this.invalidateSlot(slot);
    }
    if (this.largeEntries > 0) this.invalidateLargeCovering(vpn);
    this.onFlush?.();
  }

  /** Drop everything, global entries too (as a CR4.PGE toggle does). */
  flushAll(): void {
    for (let i = 0; i < TLB_ENTRIES; i++) this.invalidateSlot(i);
    this.slotListed.fill(0);
    this.filledCount = 0;
    this.largeEntries = 0;
    this.onFlush?.();
  }

  /** Stop fast-path writes to a physical page (it now holds translated code). */
  revokeWriteAccess(physicalPage: number): void {
    for (let i = 0; i < TLB_ENTRIES; i++) {
      if (this.writeTag[i] !== TLB_INVALID && this.physical[i] === physicalPage)
        this.writeTag[i] = TLB_INVALID;
    }
  }

  /**
   * Translate a linear address for an access, walking the tables on a TLB miss.
   * Returns the physical address, or −1 after a page fault (CR2 and
   * `faultErrorCode` then say what happened). User translations of 32-bit
   * addresses are entered in the TLB.
   */
  translate(linear: number, access: AccessKind, user: boolean): number {
    if (user && linear < TWO_32) {
      const vpn = linear >>> PAGE_SHIFT;
      const slot = vpn & TLB_MASK;
      const tag =
        access === ACCESS_WRITE
          ? this.writeTag
          : access === ACCESS_FETCH
            ? this.fetchTag
            : this.readTag;
      if (tag[slot] === vpn) return this.physical[slot]! + (linear & PAGE_MASK);
    }
    return this.walk(linear, access, user);
  }

  /** The full walk of §4.5, with the checks of §4.6 and the A/D updates of §4.8. */
  private walk(linear: number, access: AccessKind, user: boolean): number {
    let table = this.cr3;
    let writable = true;
    let userOk = true;
    let noExecute = false;
    let shift = 39;
    let levels = 0;
    let low = 0;
    for (;;) {
      const index = Math.floor(linear / 2 ** shift) % 512;
      const at = table + index * PTE_BYTES;
      low = this.memory.read32(at);
      const high = this.memory.read32(at + 4);
      if (!(low & PTE_PRESENT)) return this.fault(linear, access, user, 0);
      if (shift === 39 && low & PTE_PAGE_SIZE)
        return this.fault(linear, access, user, PF_PRESENT | PF_RESERVED);
      this.entryAddresses[levels++] = at;
      writable &&= (low & PTE_WRITABLE) !== 0;
      userOk &&= (low & PTE_USER) !== 0;
      noExecute ||= (high & PTE_HIGH_NO_EXECUTE) !== 0;
      table = entryAddress(low, high);
      if (shift === 12 || ((shift === 30 || shift === 21) && low & PTE_PAGE_SIZE)) break;
      shift -= 9;
    }
    if (
      (user && !userOk) ||
      (access === ACCESS_WRITE && !writable) ||
      (access === ACCESS_FETCH && noExecute)
    ) {
      return this.fault(linear, access, user, PF_PRESENT);
    }
    const pageSize = 2 ** shift;
    const frame = shift === 12 ? table : table - (table % pageSize); // PAT bit 12 of large-page entries is not address
    this.setAccessedAndDirty(levels, access === ACCESS_WRITE);
    const physical = frame + (linear % pageSize);
    const dirty = access === ACCESS_WRITE || (low & PTE_DIRTY) !== 0;
    if (user && linear < TWO_32)
      this.fill(linear, physical, shift, low, writable && dirty, !noExecute);
    return physical;
  }

  private setAccessedAndDirty(levels: number, write: boolean): void {
    for (let level = 0; level < levels; level++) {
      const at = this.entryAddresses[level]!;
      const low = this.memory.read32(at);
      const wanted = low | PTE_ACCESSED | (write && level === levels - 1 ? PTE_DIRTY : 0);
      if (wanted !== low) this.memory.write32(at, wanted);
    }
  }

  private fill(
    linear: number,
    physical: number,
    shift: number,
    leaf: number,
    writable: boolean,
    executable: boolean,
  ): void {
    const vpn = linear >>> PAGE_SHIFT;
    const slot = vpn & TLB_MASK;
    const page = physical - (physical % 4096);
    this.invalidateSlot(slot);
    if (!this.memory.isRam(page, 4096)) return; // device windows: every access takes the slow path
    if (!this.slotListed[slot]) {
      this.slotListed[slot] = 1;
      this.filledSlots[this.filledCount++] = slot;
    }
    const chunkIndex = Math.floor(page / 2 ** RAM_CHUNK_SHIFT);
    if (!this.chunkWords[chunkIndex]) {
      const chunk = this.memory.chunkFor(page);
      this.chunkWords[chunkIndex] = new Int32Array(
        chunk.buffer,
        chunk.byteOffset,
        chunk.byteLength >> 2,
      );
      this.chunkBytes[chunkIndex] = chunk;
    }
    this.words[slot] = this.chunkWords[chunkIndex]!;
    this.bytes[slot] = this.chunkBytes[chunkIndex]!;
    this.offset[slot] = page & RAM_CHUNK_MASK;
    this.physical[slot] = page;
    this.span[slot] = shift;
    this.global[slot] = leaf & PTE_GLOBAL ? 1 : 0;
    if (shift > PAGE_SHIFT) this.largeEntries++;
    this.readTag[slot] = vpn;
    if (executable) this.fetchTag[slot] = vpn;
    if (writable && !this.memory.isWatched(page)) this.writeTag[slot] = vpn;
  }

  private invalidateSlot(slot: number): void {
    this.readTag[slot] = TLB_INVALID;
    this.writeTag[slot] = TLB_INVALID;
    this.fetchTag[slot] = TLB_INVALID;
    this.global[slot] = 0;
  }

  /** INVLPG inside a 2 MiB or 1 GiB page drops every 4 KiB piece cached from it. */
  private invalidateLargeCovering(vpn: number): void {
    for (let i = 0; i < TLB_ENTRIES; i++) {
      const tag = this.readTag[i]!;
      const span = this.span[i]!;
      if (tag === TLB_INVALID || span === PAGE_SHIFT) continue;
      const pagesPerSpan = 2 ** (span - PAGE_SHIFT);
      if (Math.floor(tag / pagesPerSpan) === Math.floor(vpn / pagesPerSpan)) this.invalidateSlot(i);
    }
  }

  private fault(linear: number, access: AccessKind, user: boolean, bits: number): number {
    this.cr2 = linear;
    this.faultErrorCode =
      bits |
      (access === ACCESS_WRITE ? PF_WRITE : 0) |
      (user ? PF_USER : 0) |
      (access === ACCESS_FETCH ? PF_INSTRUCTION : 0);
    return -1;
  }

  /** The last fault, as a record. */
  lastFault(): PageFaultInfo {
    return { address: this.cr2, errorCode: this.faultErrorCode };
  }
}
