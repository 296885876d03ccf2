/**
 * A bare Cotton PC for user-CPU tests: memory, clock, PIC, CPU core, and an
 * address space with a code page, data pages and a stack, no kernel.
 */
import { VirtualClock } from '../../../src/emu/clock';
import { CpuCore } from '../../../src/emu/cpu-core';
import { IoBus } from '../../../src/emu/io-bus';
import type { UserContext, UserTrap } from '../../../src/emu/machine-interface';
import { PageTableBuilder } from '../../../src/emu/paging/page-table-builder';
import { PTE_PRESENT, PTE_USER, PTE_WRITABLE } from '../../../src/emu/paging/page-table-entry';
import { PhysicalMemory } from '../../../src/emu/physical-memory';
import { Pic8259Pair } from '../../../src/emu/pic8259';

export const CODE = 0x0001_0000;
/** Four writable pages. */
export const DATA = 0x0002_0000;
/** One read-only page. */
export const RODATA = 0x0003_0000;
/** One supervisor-only page. */
export const KERNEL_PAGE = 0x0004_0000;
export const STACK_TOP = 0x0080_0000;

export type Engine = 'interpreter' | 'jit';
export const ENGINES: Engine[] = ['interpreter', 'jit'];

export interface UserMachine {
  readonly memory: PhysicalMemory;
  readonly clock: VirtualClock;
  readonly pic: Pic8259Pair;
  readonly cpu: CpuCore;
  readonly tables: PageTableBuilder;
  /** Physical addresses of the code pages and the data pages. */
  readonly codeFrames: number[];
  readonly dataFrames: number[];
}

export function userMachine(engine: Engine, codePages = 4): UserMachine {
  const memory = new PhysicalMemory(32 << 20);
  const clock = new VirtualClock();
  const pic = new Pic8259Pair();
  const cpu = new CpuCore(clock, new IoBus(), memory, pic, {
    jit: engine === 'jit',
    hotThreshold: 1,
  });
  const tables = new PageTableBuilder(memory, 0x0010_0000);
  const codeFrames = tables.mapFresh(CODE, codePages, PTE_PRESENT | PTE_USER);
  const dataFrames = tables.mapFresh(DATA, 4, PTE_PRESENT | PTE_USER | PTE_WRITABLE, true);
  tables.mapFresh(RODATA, 1, PTE_PRESENT | PTE_USER, true);
  tables.mapFresh(KERNEL_PAGE, 1, PTE_PRESENT | PTE_WRITABLE, true);
  tables.mapFresh(STACK_TOP - 0x4000, 4, PTE_PRESENT | PTE_USER | PTE_WRITABLE, true);
  cpu.writeCr3(tables.pml4);
  return { memory, clock, pic, cpu, tables, codeFrames, dataFrames };
}

/** Write instruction words at CODE (through the physical frames). */
export function loadCode(machine: UserMachine, words: readonly number[], at = CODE): void {
  words.forEach((word, n) => {
    const address = at - CODE + 4 * n;
    machine.memory.write32(machine.codeFrames[address >>> 12]! + (address & 0xfff), word >>> 0);
  });
}

export function context(pc = CODE, init: Record<number, number> = {}): UserContext {
  const regs = new Int32Array(32);
  regs[2] = STACK_TOP;
  for (const [r, v] of Object.entries(init)) regs[Number(r)] = v;
  return { regs, pc };
}

export interface RunResult {
  readonly trap: UserTrap;
  readonly ctx: UserContext;
  readonly machine: UserMachine;
}

/** Run `words` (followed by ECALL) from CODE with registers `init`; returns at the first trap. */
export function run(
  engine: Engine,
  words: readonly number[],
  init: Record<number, number> = {},
  prepare?: (m: UserMachine) => void,
): RunResult {
  const machine = userMachine(engine);
  loadCode(machine, [...words, 0x00000073]);
  prepare?.(machine);
  const ctx = context(CODE, init);
  const trap = machine.cpu.enterUser(ctx);
  return { trap, ctx, machine };
}
