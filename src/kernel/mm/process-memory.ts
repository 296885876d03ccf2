/**
 * A process's memory: the areas of its address space, demand paging, and the
 * checked copies system calls make to and from user pointers.
 *
 * Models what Unix kernels keep per process above the page tables (Linux's
 * mm_struct and its list of vm_area_structs): the page tables say what is
 * mapped now, the areas say what may be mapped. A user program on the Cotton
 * PC is 32-bit, so its whole world is [0, 0x8000_0000):
 *
 *   0x0000_0000  unmapped (null pointers fault; the ELF may not load below 0x1000)
 *   0x0001_0000  code, read-only data, data + bss   — from the ELF, mapped at exec
 *   break start  heap, up to the break (brk)        — demand-zero
 *   0x4000_0000  mmap areas, first fit upward        — demand-zero
 *   0x7F70_0000  1 MiB guard gap: a fault here is a stack overflow
 *   0x7F80_0000  stack, 8 MiB, grows down from       — demand-zero
 *   0x8000_0000  USER_STACK_TOP; above it, nothing a user may touch
 *
 * Demand paging: heap, stack and mmap pages are mapped only when first
 * touched. The page fault (Intel SDM Vol. 3A §4.7) comes back from user mode
 * with the address (CR2) and an error code saying whether the page was
 * present (P), and whether the access was a write (W), from user mode (U) or
 * a fetch (I). handlePageFault looks the address up in the areas: inside an
 * area whose rights allow the access, a zeroed frame is mapped and the
 * instruction is run again; anything else ends the process, with a reason in
 * the words Linux's segfault messages use.
 *
 * User pointers. A system call gets addresses from the user; the kernel must
 * not trust them. Every copy checks each page it touches against this
 * process's page tables with user rights (present, U/S at every level, R/W
 * for writes, §4.6), so a pointer into the kernel half, into another
 * process or into an unmapped page is refused with EFAULT. A page that is
 * merely not yet faulted in is faulted in here, as the CPU would have done
 * had the user touched it.
 *
 * Rights: x86 pages cannot be write-only, and PROT_NONE pages are kept
 * present but supervisor-only (U/S clear), so a user access faults while the
 * contents survive a later mprotect.
 */
import { utf8Decode } from '../lib/utf8';
import { SyscallError } from '../lib/errno';
import { AddressSpace } from './address-space';
import { PAGE_SIZE, PTE_USER, PTE_WRITABLE, type Translation } from './page-table';

// ---- The layout ----

/** The lowest address an ELF segment may use: page 0 stays unmapped. */
export const USER_SPACE_START = 0x1000;
/** The end of what a 32-bit user program may address. */
export const USER_SPACE_END = 0x8000_0000;
export const USER_STACK_TOP = 0x8000_0000;
/** RLIMIT_STACK's usual default on Linux. */
export const USER_STACK_MAX = 8 * 1024 * 1024;
export const USER_STACK_BOTTOM = USER_STACK_TOP - USER_STACK_MAX;
/** Linux's stack_guard_gap: 256 pages below the stack where nothing is mapped. */
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;
/** mmap areas are placed from here upward. */
export const MMAP_BASE = 0x4000_0000;
/** Nothing but the stack above this. */
const MAPPABLE_END = USER_STACK_BOTTOM - STACK_GUARD_GAP;

// ---- mmap protections (Linux's PROT_* values) ----

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
const PROT_ALL = PROT_READ | PROT_WRITE | PROT_EXEC;

// ---- Page-fault error code (SDM Vol. 3A §4.7, Figure 4-12) ----

/** P: 0 = the page was not present, 1 = a protection violation. */
export const PF_PRESENT = 1 << 0;
/** W/R: the access was a write. */
export const PF_WRITE = 1 << 1;
/** U/S: the access came from user mode. */
export const PF_USER = 1 << 2;
/** I/D: the access was an instruction fetch. */
export const PF_INSTRUCTION = 1 << 4;

export type AreaKind = 'code' | 'rodata' | 'data' | 'heap' | 'stack' | 'mmap';

/** A range of the address space the process may use, and how. */
export interface MemoryArea {
  readonly start: number;
  /** Exclusive, page-aligned. */
  readonly end: number;
  /** PROT_* bits. */
  readonly prot: number;
  readonly kind: AreaKind;
}

export type FaultOutcome = { kind: 'resolved' } | { kind: 'fatal'; reason: string };

const RESOLVED: FaultOutcome = { kind: 'resolved' };

export class ProcessMemory {
  /** Areas other than the heap, sorted by address. */
  private areas: MemoryArea[] = [
    { start: USER_STACK_BOTTOM, end: USER_STACK_TOP, prot: PROT_READ | PROT_WRITE, kind: 'stack' },
  ];
  /** Where the heap starts (set by exec), and the current break. */
  private heapStart = 0;
  private currentBreak = 0;

  constructor(readonly space: AddressSpace) {}

  /** A process memory in a fresh user address space; null when out of frames. */
  static create(kernel: AddressSpace): ProcessMemory | null {
    const space = AddressSpace.createUser(kernel);
    return space === null ? null : new ProcessMemory(space);
  }

  /** The current break (end of the heap). */
  get break(): number {
    return this.currentBreak;
  }

  /** Every area, heap included, in address order (for a pmap-style listing). */
  memoryAreas(): readonly MemoryArea[] {
    const heap = this.heapArea();
    return heap === null ? [...this.areas] : sortAreas([...this.areas, heap]);
  }

  // ---- Set up by exec ----

  /**
   * Add an area and map all its pages now, zeroed (the ELF loader's
   * segments). Throws EINVAL if it overlaps another area or leaves user
   * space, ENOMEM when out of frames.
   */
  mapFixed(start: number, length: number, prot: number, kind: AreaKind): void {
    const end = pageUp(start + length);
    if (start % PAGE_SIZE !== 0 || length <= 0 || start < USER_SPACE_START || end > MAPPABLE_END) {
      throw new SyscallError(
        'EINVAL',
        `area 0x${start.toString(16)}+${length} is not inside user space`,
      );
    }
    if (this.overlapsArea(start, end))
      throw new SyscallError('EINVAL', `area at 0x${start.toString(16)} overlaps another`);
    this.addArea({ start, end, prot, kind });
    for (let page = start; page < end; page += PAGE_SIZE) {
      if (!this.mapZeroPage(page, prot))
        throw new SyscallError('ENOMEM', 'out of memory loading the program');
    }
  }

  /** Kernel write into mapped pages, whatever their rights (exec filling read-only code). */
  loadBytes(address: number, bytes: Uint8Array): void {
    forEachPageChunk(address, bytes.length, (virt, offset, length) => {
      const translation = this.space.translate(virt);
      if (translation === null) throw new Error(`loadBytes: 0x${virt.toString(16)} is not mapped`);
      this.space.cpu.writeBytes(translation.physical, bytes.subarray(offset, offset + length));
    });
  }

  /** Start an empty heap at `address` (page-aligned, above the program). */
  setHeapStart(address: number): void {
    this.heapStart = pageUp(address);
    this.currentBreak = this.heapStart;
  }

  // ---- System calls ----

  /**
   * brk(2): move the end of the heap. 0 asks for the current break. The new
   * pages are mapped on first touch; shrinking unmaps whole pages past the
   * new break. Returns the break afterwards: unchanged when the request is
   * below the heap's start or would run into another area, as Linux does.
   */
  brk(newBreak: number): number {
    if (newBreak === 0 || this.heapStart === 0) return this.currentBreak;
    if (newBreak < this.heapStart || newBreak > MAPPABLE_END) return this.currentBreak;
    const oldEnd = pageUp(this.currentBreak);
    const newEnd = pageUp(newBreak);
    if (newEnd > oldEnd && this.overlapsArea(oldEnd, newEnd)) return this.currentBreak;
    this.unmapRange(newEnd, oldEnd);
    this.currentBreak = newBreak;
    return this.currentBreak;
  }

  /** mmap(2), anonymous and private: fresh zeroed pages (on first touch) at an address the kernel picks. */
  mmap(length: number, prot: number): number {
    if (!Number.isInteger(length) || length <= 0)
      throw new SyscallError('EINVAL', 'mmap: length must be positive');
    if ((prot & ~PROT_ALL) !== 0)
      throw new SyscallError('EINVAL', `mmap: unknown protection bits 0x${prot.toString(16)}`);
    const size = pageUp(length);
    const start = this.findFreeRange(size);
    if (start === null) throw new SyscallError('ENOMEM', `mmap: no room for ${size} bytes`);
    this.addArea({ start, end: start + size, prot, kind: 'mmap' });
    return start;
  }

  /** munmap(2): remove the pages of mmap areas in [address, address + length). Other areas cannot be unmapped. */
  munmap(address: number, length: number): void {
    const [start, end] = checkedRange(address, length, 'munmap');
    if (this.areasIn(start, end).some((area) => area.kind !== 'mmap')) {
      throw new SyscallError('EINVAL', 'munmap: only mmap areas can be unmapped');
    }
    this.splitAreasAt(start, end);
    this.areas = this.areas.filter((area) => area.end <= start || area.start >= end);
    this.unmapRange(start, end);
  }

  /** mprotect(2) on mmap areas: new rights for [address, address + length), pages already mapped included. */
  mprotect(address: number, length: number, prot: number): void {
    const [start, end] = checkedRange(address, length, 'mprotect');
    if ((prot & ~PROT_ALL) !== 0)
      throw new SyscallError('EINVAL', `mprotect: unknown protection bits 0x${prot.toString(16)}`);
    const covered = this.areasIn(start, end);
    if (covered.some((area) => area.kind !== 'mmap'))
      throw new SyscallError('EINVAL', 'mprotect: only mmap areas can change rights');
    if (coveredLength(covered, start, end) !== end - start)
      throw new SyscallError('ENOMEM', 'mprotect: range not mapped');
    this.splitAreasAt(start, end);
    this.areas = this.areas.map((area) =>
      area.start >= start && area.end <= end ? { ...area, prot } : area,
    );
    const { flags, noExecute } = pageRights(prot);
    for (let page = start; page < end; page += PAGE_SIZE)
      this.space.protect(page, flags, noExecute);
  }

  // ---- Page faults ----

  /**
   * Any page fault from user mode: a write to a copy-on-write page the area
   * lets the process write gets its own copy (address-space.ts); everything
   * else is handlePageFault's.
   */
  resolveFault(address: number, errorCode: number): FaultOutcome {
    const isWriteToPresentPage = (errorCode & (PF_PRESENT | PF_WRITE)) === (PF_PRESENT | PF_WRITE);
    const area = this.areaAt(address);
    if (isWriteToPresentPage && area !== null && refusedAccess(area.prot, errorCode) === null) {
      const result = this.space.copyOnWrite(pageDown(address));
      if (result === 'copied') return RESOLVED;
      if (result === 'out-of-memory') return fatal('out of memory');
    }
    return this.handlePageFault(address, errorCode);
  }

  // #region exercise:page-fault
  /**
   * A page fault from user mode at `address`. Maps a zeroed page if the
   * address lies in an area that allows the access; otherwise says why the
   * process must die.
   */
  handlePageFault(address: number, errorCode: number): FaultOutcome {
    const area = this.areaAt(address);
    if (area === null)
      return fatal(
        this.inStackGuardGap(address) ? 'stack overflow beyond 8 MiB' : 'address not mapped',
      );
    const refused = refusedAccess(area.prot, errorCode);
    if (refused !== null) return fatal(refused);
    if ((errorCode & PF_PRESENT) !== 0) return fatal(protectionFaultReason(errorCode));
    return this.mapZeroPage(pageDown(address), area.prot) ? RESOLVED : fatal('out of memory');
  }
  // #endregion exercise:page-fault

  // ---- Checked copies for system calls ----

  /** Copy `length` bytes from the user's `address`; EFAULT unless every byte is readable by the user. */
  readBytes(address: number, length: number): Uint8Array {
    checkUserRange(address, length);
    const bytes = new Uint8Array(length);
    forEachPageChunk(address, length, (virt, offset, chunk) => {
      bytes.set(this.space.cpu.readBytes(this.userPhysical(virt, false), chunk), offset);
    });
    return bytes;
  }

  /**
   * The readable start of the user's `length` bytes at `address`: copied page
   * by page up to the first page the user cannot read, as Linux's write(2)
   * copies until a fault and reports what it wrote. EFAULT if not even the
   * first byte is readable.
   */
  readBytesUntilFault(address: number, length: number): Uint8Array {
    const pages: Uint8Array[] = [];
    let done = 0;
    while (done < length) {
      const chunk = Math.min(PAGE_SIZE - ((address + done) % PAGE_SIZE), length - done);
      try {
        pages.push(this.readBytes(address + done, chunk));
      } catch (error) {
        if (done === 0 || !(error instanceof SyscallError) || error.code !== 'EFAULT') throw error;
        break;
      }
      done += chunk;
    }
    return concatBytes(pages, done);
  }

  /** Copy `bytes` to the user's `address`; EFAULT unless every byte is writable by the user. */
  writeBytes(address: number, bytes: Uint8Array): void {
    checkUserRange(address, bytes.length);
    forEachPageChunk(address, bytes.length, (virt, offset, chunk) => {
      this.space.cpu.writeBytes(
        this.userPhysical(virt, true),
        bytes.subarray(offset, offset + chunk),
      );
    });
  }

  /**
   * A NUL-terminated UTF-8 string of at most `maxLength` bytes before the
   * NUL. Reads page by page, never past the NUL. ENAMETOOLONG if longer.
   */
  readString(address: number, maxLength: number): string {
    const collected: Uint8Array[] = [];
    let length = 0;
    let virt = address;
    while (length <= maxLength) {
      const chunk = Math.min(PAGE_SIZE - (virt % PAGE_SIZE), maxLength + 1 - length);
      const bytes = this.readBytes(virt, chunk);
      const nul = bytes.indexOf(0);
      collected.push(nul === -1 ? bytes : bytes.subarray(0, nul));
      length += nul === -1 ? chunk : nul;
      if (nul !== -1) return utf8Decode(concatBytes(collected, length));
      virt += chunk;
    }
    throw new SyscallError(
      'ENAMETOOLONG',
      `string at 0x${address.toString(16)} is longer than ${maxLength} bytes`,
    );
  }

  /** A 32-bit little-endian word from user memory (unsigned). */
  readWord(address: number): number {
    const bytes = this.readBytes(address, 4);
    return (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
  }

  writeWord(address: number, value: number): void {
    this.writeBytes(
      address,
      Uint8Array.of(
        value & 0xff,
        (value >>> 8) & 0xff,
        (value >>> 16) & 0xff,
        (value >>> 24) & 0xff,
      ),
    );
  }

  // ---- Whole process ----

  /** fork: the same areas, and every page shared copy-on-write, in a new address space. Null when out of memory. */
  clone(): ProcessMemory | null {
    const space = this.space.clone();
    if (space === null) return null;
    const copy = new ProcessMemory(space);
    copy.areas = [...this.areas];
    copy.heapStart = this.heapStart;
    copy.currentBreak = this.currentBreak;
    return copy;
  }

  /** Free every page and page table of the process. */
  destroy(): void {
    this.space.destroy();
  }

  // ---- Inside ----

  /** The physical address behind a user address, faulting the page in if the area allows; EFAULT otherwise. */
  private userPhysical(virt: number, write: boolean): number {
    const before = this.space.translate(virt);
    if (userMay(before, write)) return before!.physical;
    const errorCode = PF_USER | (write ? PF_WRITE : 0) | (before !== null ? PF_PRESENT : 0);
    const outcome = this.resolveFault(virt, errorCode);
    if (outcome.kind === 'fatal')
      throw new SyscallError(
        'EFAULT',
        `bad user address 0x${virt.toString(16)}: ${outcome.reason}`,
      );
    const after = this.space.translate(virt);
    if (!userMay(after, write))
      throw new SyscallError('EFAULT', `bad user address 0x${virt.toString(16)}`);
    return after!.physical;
  }

  private mapZeroPage(page: number, prot: number): boolean {
    const { flags, noExecute } = pageRights(prot);
    return this.space.mapNewPage(page, flags, noExecute);
  }

  private unmapRange(start: number, end: number): void {
    for (let page = start; page < end; page += PAGE_SIZE) this.space.unmapPage(page);
  }

  private heapArea(): MemoryArea | null {
    const end = pageUp(this.currentBreak);
    if (this.heapStart === 0 || end === this.heapStart) return null;
    return { start: this.heapStart, end, prot: PROT_READ | PROT_WRITE, kind: 'heap' };
  }

  private areaAt(address: number): MemoryArea | null {
    return this.memoryAreas().find((area) => address >= area.start && address < area.end) ?? null;
  }

  /** Areas (heap included) that overlap [start, end). */
  private areasIn(start: number, end: number): MemoryArea[] {
    return this.memoryAreas().filter((area) => area.start < end && start < area.end);
  }

  private overlapsArea(start: number, end: number): boolean {
    return this.areasIn(start, end).length > 0;
  }

  private inStackGuardGap(address: number): boolean {
    return address >= USER_STACK_BOTTOM - STACK_GUARD_GAP && address < USER_STACK_BOTTOM;
  }

  private addArea(area: MemoryArea): void {
    this.areas = sortAreas([...this.areas, area]);
  }

  /** Cut the areas that straddle `start` or `end` in two, so that whole areas lie inside or outside. */
  private splitAreasAt(start: number, end: number): void {
    this.areas = this.areas.flatMap((area) => splitArea(splitArea([area], start), end));
  }

  /** First fit from MMAP_BASE: the lowest gap of `size` bytes between areas. */
  private findFreeRange(size: number): number | null {
    let candidate = MMAP_BASE;
    for (const area of this.memoryAreas()) {
      if (area.end <= candidate) continue;
      if (area.start >= candidate + size) break;
      candidate = area.end;
    }
    return candidate + size <= MAPPABLE_END ? candidate : null;
  }
}

// ---- Helpers ----

function fatal(reason: string): FaultOutcome {
  return { kind: 'fatal', reason };
}

/** Why an area with rights `prot` refuses the access in `errorCode`, or null if it allows it. */
function refusedAccess(prot: number, errorCode: number): string | null {
  if (prot === PROT_NONE) return 'access to a page with no access rights';
  if ((errorCode & PF_WRITE) !== 0 && (prot & PROT_WRITE) === 0) return 'write to read-only page';
  if ((errorCode & PF_INSTRUCTION) !== 0 && (prot & PROT_EXEC) === 0)
    return 'instruction fetch from non-executable page';
  return null;
}

/** A protection fault on a present page whose area allows the access (no such case without copy-on-write). */
function protectionFaultReason(errorCode: number): string {
  if ((errorCode & PF_WRITE) !== 0) return 'write to read-only page';
  if ((errorCode & PF_INSTRUCTION) !== 0) return 'instruction fetch from non-executable page';
  return 'access to a page with no access rights';
}

/** The PTE bits for PROT_* rights. PROT_NONE: present for the kernel only. */
export function pageRights(prot: number): { flags: number; noExecute: boolean } {
  if (prot === PROT_NONE) return { flags: 0, noExecute: true };
  return {
    flags: PTE_USER | ((prot & PROT_WRITE) !== 0 ? PTE_WRITABLE : 0),
    noExecute: (prot & PROT_EXEC) === 0,
  };
}

function userMay(translation: Translation | null, write: boolean): boolean {
  if (translation === null || (translation.flags & PTE_USER) === 0) return false;
  return !write || (translation.flags & PTE_WRITABLE) !== 0;
}

/** EFAULT unless [address, address + length) lies inside the user's 2 GiB. */
function checkUserRange(address: number, length: number): void {
  const inside =
    Number.isInteger(address) &&
    Number.isInteger(length) &&
    address >= 0 &&
    length >= 0 &&
    address + length <= USER_SPACE_END;
  if (!inside)
    throw new SyscallError('EFAULT', `bad user address 0x${address.toString(16)} (+${length})`);
}

/** munmap/mprotect arguments: a page-aligned start and a positive length, inside user space. */
function checkedRange(address: number, length: number, call: string): [number, number] {
  if (
    !Number.isInteger(address) ||
    address % PAGE_SIZE !== 0 ||
    !Number.isInteger(length) ||
    length <= 0
  ) {
    throw new SyscallError('EINVAL', `${call}: address must be page-aligned and length positive`);
  }
  const end = pageUp(address + length);
  if (address < 0 || end > USER_SPACE_END)
    throw new SyscallError('EINVAL', `${call}: range outside user space`);
  return [address, end];
}

/** Call `visit` once per page-sized piece of [address, address + length). */
function forEachPageChunk(
  address: number,
  length: number,
  visit: (virt: number, offset: number, length: number) => void,
): void {
  let offset = 0;
  while (offset < length) {
    const virt = address + offset;
    const chunk = Math.min(length - offset, PAGE_SIZE - (virt % PAGE_SIZE));
    visit(virt, offset, chunk);
    offset += chunk;
  }
}

function splitArea(areas: MemoryArea[], at: number): MemoryArea[] {
  return areas.flatMap((area) =>
    at > area.start && at < area.end
      ? [
          { ...area, end: at },
          { ...area, start: at },
        ]
      : [area],
  );
}

function coveredLength(areas: readonly MemoryArea[], start: number, end: number): number {
  return areas.reduce(
    (sum, area) => sum + Math.min(area.end, end) - Math.max(area.start, start),
    0,
  );
}

function sortAreas(areas: MemoryArea[]): MemoryArea[] {
  return areas.sort((a, b) => a.start - b.start);
}

function concatBytes(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function pageDown(address: number): number {
  return address - (address % PAGE_SIZE);
}

export function pageUp(address: number): number {
  return Math.ceil(address / PAGE_SIZE) * PAGE_SIZE;
}
