/**
 * The user CPU: runs a user context until it traps (docs/architecture.md §3, `enterUser`).
 *
 * Virtual time: every retired instruction costs USER_NS_PER_INSTRUCTION (a
 * nominal 100 MHz hart). Before running, the CPU computes how many
 * instructions fit before the clock's next device event, executes exactly that
 * many (or fewer, if one traps), advances the clock, fires the due events and,
 * if the PIC then has an unmasked request, stops at that instruction boundary
 * with TRAP_INTERRUPT. The interpreter and the translated blocks both stop at
 * exactly that count (blocks that would overrun it are not entered; the
 * interpreter finishes the slice), so the two engines give the same registers
 * at the same virtual times.
 *
 * Engines: with `jit` on and `new Function` available (a Content-Security-
 * Policy without 'unsafe-eval' forbids it), hot basic blocks are translated to
 * JavaScript (translator.ts, code-cache.ts); otherwise, and for cold code, the
 * reference interpreter (interpreter.ts) runs.
 */
import type { VirtualClock } from '../clock';
import type { UserContext, UserTrap } from '../machine-interface';
import type { Mmu } from '../paging/mmu';
import type { PhysicalMemory } from '../physical-memory';
import { CodeCache } from './code-cache';
import { interpretSlice } from './interpreter';
import {
  NO_RESERVATION,
  TRAP_BREAKPOINT,
  TRAP_ECALL,
  TRAP_ILLEGAL_INSTRUCTION,
  TRAP_MISALIGNED,
  TRAP_NONE,
  TRAP_PAGE_FAULT,
  UserHart,
} from './user-hart';

/** Virtual nanoseconds per retired user instruction (100 MHz). */
export const USER_NS_PER_INSTRUCTION = 10;
/** Returned by `run` when an interrupt is pending at an instruction boundary. */
export const TRAP_INTERRUPT = 100;
/** At most this many instructions between two looks at the clock (keeps counts small integers). */
const MAX_SLICE = 1 << 30;

export interface UserCpuOptions {
  /** Translate hot blocks to JavaScript (default: when `new Function` works). */
  readonly jit?: boolean;
  /** Executions of a block before it is translated (default 2). */
  readonly hotThreshold?: number;
}

/** Whether this realm lets us compile code at run time. */
export function canCompileCode(): boolean {
  try {
    return new Function('return 1')() === 1;
  } catch {
    return false;
  }
}

export class UserCpu {
  readonly hart: UserHart;
  private readonly cache: CodeCache | null;
  /** Instructions retired in user mode since power-on (statistics). */
  retired = 0;

  constructor(
    private readonly clock: VirtualClock,
    mmu: Mmu,
    memory: PhysicalMemory,
    private readonly interruptPending: () => boolean,
    options: UserCpuOptions = {},
  ) {
    this.hart = new UserHart(mmu, memory);
    const jit = options.jit ?? canCompileCode();
    this.cache = jit ? new CodeCache(this.hart, options.hotThreshold ?? 2) : null;
  }

  get jitEnabled(): boolean {
    return this.cache !== null;
  }

  /** Blocks translated since power-on (statistics). */
  get translatedBlocks(): number {
    return this.cache?.translated ?? 0;
  }

  /** Run `context` until a trap (TRAP_*) or a pending interrupt (TRAP_INTERRUPT); `context` is updated. */
  run(context: UserContext): number {
    const hart = this.hart;
    const x = context.regs;
    hart.trap = TRAP_NONE;
    hart.reservation = NO_RESERVATION; // a trap or context switch ends any LR reservation
    hart.codeWritten = false;
    x[0] = 0;
    let pc = context.pc | 0;
    if ((pc & 3) !== 0) {
      hart.trap = TRAP_MISALIGNED;
      hart.trapValue = pc;
      return TRAP_MISALIGNED;
    }
    for (;;) {
      if (this.interruptPending()) {
        context.pc = pc >>> 0;
        return TRAP_INTERRUPT;
      }
      hart.icount = 0;
      const start = this.clock.now;
      const limit = this.instructionsUntilNextEvent();
      if (limit > 0)
        pc = this.cache ? this.cache.execute(x, pc, limit) : interpretSlice(hart, x, pc, limit);
      this.clock.now = start + hart.icount * USER_NS_PER_INSTRUCTION;
      this.retired += hart.icount;
      if (hart.trap !== TRAP_NONE) {
        hart.reservation = NO_RESERVATION;
        context.pc = pc >>> 0;
        return hart.trap;
      }
      this.clock.fireDue();
    }
  }

  /** The whole instructions that fit before the next device event (0 if it is due now). */
  private instructionsUntilNextEvent(): number {
    const next = this.clock.nextEventAt();
    if (next === Infinity) return MAX_SLICE;
    const count = Math.ceil((next - this.clock.now) / USER_NS_PER_INSTRUCTION);
    return count <= 0 ? 0 : Math.min(count, MAX_SLICE);
  }

  /** The kernel's record of a trap code from `run` (interrupts are completed by the CPU core). */
  trapRecord(trap: number): UserTrap {
    const hart = this.hart;
    switch (trap) {
      case TRAP_ECALL:
        return { kind: 'ecall' };
      case TRAP_BREAKPOINT:
        return { kind: 'breakpoint' };
      case TRAP_ILLEGAL_INSTRUCTION:
        return { kind: 'illegal-instruction', instruction: hart.trapValue >>> 0 };
      case TRAP_MISALIGNED:
        return { kind: 'misaligned', address: hart.trapValue >>> 0 };
      case TRAP_PAGE_FAULT:
        return { kind: 'page-fault', address: hart.trapValue >>> 0, errorCode: hart.errorCode };
      default:
        throw new Error(`user CPU: no trap record for code ${trap}`);
    }
  }
}
