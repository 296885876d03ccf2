/**
 * The user hart's state apart from x1–x31 and the pc, and its memory port.
 *
 * RISC-V Unprivileged ISA 20191213 §1.4 (memory: a hart sees a 32-bit byte-
 * addressed space), §2.6 (loads and stores; misaligned accesses), chapter 8
 * (the LR/SC reservation). Addresses are translated by the x86-64 MMU
 * (src/emu/paging/mmu.ts) with user rights, the 32-bit address zero-extended.
 *
 * The interpreter and the translated blocks read and write memory inline
 * through the MMU's TLB arrays; what lands here is the slow path: a TLB miss, a
 * write that must set the D bit or touches a page holding translated code, a
 * device window, or a misaligned access. Misaligned loads and stores are
 * performed, not trapped (the ISA allows either): they are split into bytes,
 * each translated, so one crossing into an unmapped page faults with CR2 at the
 * first byte that faults, as on x86. Misaligned LR/SC/AMOs do trap (address-
 * misaligned), as the A extension permits.
 *
 * A failed access records the trap in `trap`/`trapValue` and returns 0; the
 * callers check `trap` only on this slow path.
 */
import type { Mmu } from '../paging/mmu';
import { ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE } from '../paging/page-table-entry';
import type { PhysicalMemory } from '../physical-memory';
import { CodeWatch } from './code-watch';
import { DecodedCode } from './decoded-code';

export const TRAP_NONE = 0;
export const TRAP_ECALL = 1;
export const TRAP_BREAKPOINT = 2;
export const TRAP_ILLEGAL_INSTRUCTION = 3;
export const TRAP_MISALIGNED = 4;
export const TRAP_PAGE_FAULT = 5;
export const NO_RESERVATION = 1;

export class UserHart {
  /** Instructions retired since the current `enterUser` began. */
  icount = 0;
  /** A TRAP_* code once an instruction has trapped (it did not retire). */
  trap = TRAP_NONE;
  /** The faulting address (page fault, misaligned) or the instruction bits (illegal), as int32 (fields stay small-integer typed for V8). */
  trapValue = 0;
  /** The x86 page-fault error code of the last page fault. */
  errorCode = 0;
  /** The address LR reserved (as int32), or 1, which no word address is (chapter 8: cleared by SC and on every trap entry). */
  reservation = NO_RESERVATION;
  /** Set when a store rewrote translated code; the running block stops after that store. */
  codeWritten = false;
  /** Set by the interpreter when it stops at the end of a basic block. */
  blockEnded = false;

  /** The write watch over pages holding decoded or translated code. */
  readonly codeWatch: CodeWatch;
  /** The interpreter's pre-decoded instructions. */
  readonly decoded: DecodedCode;

  constructor(
    readonly mmu: Mmu,
    readonly memory: PhysicalMemory,
  ) {
    this.codeWatch = new CodeWatch(memory, mmu);
    this.decoded = new DecodedCode(this.codeWatch);
  }

  private pageFault(): number {
    this.trap = TRAP_PAGE_FAULT;
    this.trapValue = this.mmu.cr2 | 0;
    this.errorCode = this.mmu.faultErrorCode;
    return 0;
  }

  /** The instruction word at `pc` (4-aligned), or 0 with a page fault recorded. */
  fetch(pc: number): number {
    const physical = this.mmu.translate(pc >>> 0, ACCESS_FETCH, true);
    if (physical < 0) return this.pageFault();
    return this.memory.read32(physical) | 0;
  }

  /** Physical address of a data access, or −1 with a page fault recorded. */
  private physical(address: number, write: boolean): number {
    const physical = this.mmu.translate(address >>> 0, write ? ACCESS_WRITE : ACCESS_READ, true);
    if (physical < 0) this.pageFault();
    return physical;
  }

  loadByte(address: number): number {
    const at = this.physical(address, false);
    return at < 0 ? 0 : this.memory.read8(at);
  }

  /** A little-endian load of `width` (1, 2 or 4) bytes; zero-extended, as a uint32 for width 4. */
  private loadBytes(address: number, width: number): number {
    let value = 0;
    for (let i = 0; i < width; i++) {
      const byte = this.loadByte((address + i) | 0);
      if (this.trap !== TRAP_NONE) return 0;
      value += byte * 2 ** (8 * i);
    }
    return value;
  }

  /** LW slow path: the word as int32. */
  load32(address: number): number {
    if ((address & 3) !== 0 || address >>> 12 !== (address + 3) >>> 12)
      return this.loadBytes(address, 4) | 0;
    const at = this.physical(address, false);
    return at < 0 ? 0 : this.memory.read32(at) | 0;
  }

  /** LHU slow path (LH sign-extends the result itself). */
  load16(address: number): number {
    if ((address & 1) !== 0) return this.loadBytes(address, 2);
    const at = this.physical(address, false);
    return at < 0 ? 0 : this.memory.read16(at);
  }

  /** LBU slow path (LB sign-extends the result itself). */
  load8(address: number): number {
    return this.loadByte(address);
  }

  /** A store of `width` bytes; all bytes are translated before any is written, so a faulting store changes nothing. */
  store(address: number, value: number, width: number): void {
    if ((address & (width - 1)) === 0) {
      const at = this.physical(address, true);
      if (at < 0) return;
      if (width === 4) this.memory.write32(at, value >>> 0);
      else if (width === 2) this.memory.write16(at, value & 0xffff);
      else this.memory.write8(at, value & 0xff);
      return;
    }
    const targets: number[] = [];
    for (let i = 0; i < width; i++) {
      const at = this.physical((address + i) | 0, true);
      if (at < 0) return;
      targets.push(at);
    }
    for (let i = 0; i < width; i++) this.memory.write8(targets[i]!, (value >>> (8 * i)) & 0xff);
  }

  /** Translate an LR/SC/AMO address: must be 4-aligned (else address-misaligned), writable for SC/AMOs. */
  atomicAddress(address: number, write: boolean): number {
    if ((address & 3) !== 0) {
      this.trap = TRAP_MISALIGNED;
      this.trapValue = address;
      return -1;
    }
    return this.physical(address, write);
  }
}
