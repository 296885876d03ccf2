/**
 * Runs one user program on a bare Cotton PC, with a few lines of TypeScript in
 * the kernel's place: the emulator's own tests and benchmarks use it to show
 * that compiled C runs with paging on and is preempted by the timer, before the
 * real kernel (src/kernel) has a process model.
 *
 * What it does is what a kernel's exec and trap loop do: program the 8259A PIC
 * (vectors 0x20–0x2F, only IRQ0 unmasked) and the 8254 PIT (channel 0, rate
 * generator) to tick at `timerHz`; build a 4-level address space (the ELF's
 * PT_LOAD segments mapped user, code read-only, data no-execute; a stack below
 * 0x8000_0000, with argc/argv on it as CottonOS's exec leaves them); then
 * `enterUser` until the program exits, answering three of CottonOS's system
 * calls (src/kernel/syscall/syscall-table.ts): `exit` (1), `getpid` (5, always
 * 1) and `write` (13, to fds 1 and 2); anything else gets −ENOSYS. The numbers
 * are repeated here so that the emulator stays independent of the kernel.
 * Every return with an interrupt counts as a preemption (a one-task
 * "scheduler" resumes the same task).
 */
import { VirtualClock } from '../clock';
import { CpuCore } from '../cpu-core';
import { IoBus } from '../io-bus';
import type { UserContext, UserTrap } from '../machine-interface';
import { PageTableBuilder } from '../paging/page-table-builder';
import {
  ACCESS_READ,
  ACCESS_WRITE,
  PAGE_SIZE,
  PTE_PRESENT,
  PTE_USER,
  PTE_WRITABLE,
} from '../paging/page-table-entry';
import { PhysicalMemory } from '../physical-memory';
import { Pic8259Pair } from '../pic8259';
import { Pit8254, PIT_FREQUENCY_HZ } from '../pit8254';
import { parseElf32, PF_W, PF_X } from './elf32';

export const USER_STACK_TOP = 0x8000_0000;
const USER_STACK_BYTES = 256 * 1024;
const SYS_EXIT = 1;
const SYS_GETPID = 5;
const SYS_WRITE = 13;
const ENOSYS = -38;
const IRQ0_VECTOR = 0x20;

export interface UserProgramOptions {
  /** Translate hot code (default true). */
  readonly jit?: boolean;
  /** PIT interrupt rate; 0 leaves the timer off. Default 1000 Hz, CottonOS's. */
  readonly timerHz?: number;
  /**
   * The program's arguments: exec's start ABI, a0 = argc and a1 = argv, the
   * strings and the NULL-terminated pointer array on the stack. Without it
   * a0 = a1 = 0 (crt0 then calls main with argc 0 and an empty argv).
   */
  readonly argv?: readonly string[];
  readonly ramBytes?: number;
  /** Give up after this much virtual time (default 1 hour). */
  readonly maxVirtualNs?: number;
}

export interface UserProgramRun {
  readonly exitCode: number | null;
  readonly output: string;
  /** The trap that ended the run when it was not an exit. */
  readonly fault: UserTrap | null;
  readonly instructions: number;
  readonly preemptions: number;
  readonly virtualNs: number;
  readonly cpu: CpuCore;
}

export function runUserProgram(elf: Uint8Array, options: UserProgramOptions = {}): UserProgramRun {
  const memory = new PhysicalMemory(options.ramBytes ?? 64 << 20);
  const clock = new VirtualClock();
  const pic = new Pic8259Pair();
  const io = new IoBus();
  const pit = new Pit8254(clock, () => pic.pulseIrq(0));
  io.attach(pic, 0x20, 2);
  io.attach(pic, 0xa0, 2);
  io.attach(pit, 0x40, 4);
  const cpu = new CpuCore(clock, io, memory, pic, { jit: options.jit ?? true });
  let preemptions = 0;
  cpu.setInterruptGate(IRQ0_VECTOR, () => cpu.outb(0x20, 0x20)); // the tick handler: EOI
  initialisePic(cpu);
  const timerHz = options.timerHz ?? 1000;
  if (timerHz > 0) startTimer(cpu, timerHz);

  const context = loadProgram(cpu, memory, elf, options.argv);
  const decoder = new TextDecoder();
  let output = '';
  const limit = options.maxVirtualNs ?? 3600e9;
  while (clock.now < limit) {
    const trap = cpu.enterUser(context);
    if (trap.kind === 'interrupt') {
      preemptions++;
      continue;
    }
    if (trap.kind !== 'ecall') return finish(null, trap);
    const number = context.regs[17]!;
    const [a0, a1, a2] = [context.regs[10]!, context.regs[11]!, context.regs[12]!];
    context.pc = (context.pc + 4) >>> 0;
    if (number === SYS_EXIT) return finish(a0, null);
    if (number === SYS_GETPID) {
      context.regs[10] = 1;
    } else if (number === SYS_WRITE && (a0 === 1 || a0 === 2)) {
      output += decoder.decode(copyFromUser(cpu, a1 >>> 0, a2 >>> 0));
      context.regs[10] = a2;
    } else {
      context.regs[10] = ENOSYS;
    }
  }
  return finish(null, null);

  function finish(exitCode: number | null, fault: UserTrap | null): UserProgramRun {
    return {
      exitCode,
      output,
      fault,
      instructions: cpu.user.retired,
      preemptions,
      virtualNs: clock.now,
      cpu,
    };
  }
}

/** ICW1–ICW4: vectors 0x20/0x28, cascade on IR2, 8086 mode; then mask all but IRQ0. */
function initialisePic(cpu: CpuCore): void {
  cpu.outb(0x20, 0x11);
  cpu.outb(0xa0, 0x11);
  cpu.outb(0x21, 0x20);
  cpu.outb(0xa1, 0x28);
  cpu.outb(0x21, 0x04);
  cpu.outb(0xa1, 0x02);
  cpu.outb(0x21, 0x01);
  cpu.outb(0xa1, 0x01);
  cpu.outb(0x21, 0xfe);
  cpu.outb(0xa1, 0xff);
}

/** Channel 0, lobyte/hibyte, mode 2 (rate generator). */
function startTimer(cpu: CpuCore, hz: number): void {
  const reload = Math.max(1, Math.min(0xffff, Math.round(PIT_FREQUENCY_HZ / hz)));
  cpu.outb(0x43, 0x34);
  cpu.outb(0x40, reload & 0xff);
  cpu.outb(0x40, reload >> 8);
}

function loadProgram(
  cpu: CpuCore,
  memory: PhysicalMemory,
  elf: Uint8Array,
  argv: readonly string[] | undefined,
): UserContext {
  const program = parseElf32(elf);
  const tables = new PageTableBuilder(memory, 0x0020_0000);
  for (const segment of program.segments) {
    const first = segment.vaddr - (segment.vaddr % PAGE_SIZE);
    const pages = Math.ceil((segment.vaddr + segment.memsz - first) / PAGE_SIZE);
    const flags = PTE_PRESENT | PTE_USER | (segment.flags & PF_W ? PTE_WRITABLE : 0);
    const frames = tables.mapFresh(first, pages, flags, (segment.flags & PF_X) === 0);
    segment.data.forEach((byte, i) => {
      const offset = segment.vaddr - first + i;
      memory.write8(frames[Math.floor(offset / PAGE_SIZE)]! + (offset % PAGE_SIZE), byte);
    });
  }
  tables.mapFresh(
    USER_STACK_TOP - USER_STACK_BYTES,
    USER_STACK_BYTES / PAGE_SIZE,
    PTE_PRESENT | PTE_USER | PTE_WRITABLE,
    true,
  );
  cpu.writeCr3(tables.pml4);
  const regs = new Int32Array(32);
  regs[2] = USER_STACK_TOP - 16; // sp, 16-byte aligned as the psABI asks
  if (argv) {
    const { sp, argvAddress } = pushArguments(cpu, argv);
    regs[2] = sp;
    regs[10] = argv.length;
    regs[11] = argvAddress;
  }
  return { regs, pc: program.entry };
}

/** The strings at the top of the stack, below them the pointer array (NULL-terminated); sp under that, 16-byte aligned. */
function pushArguments(cpu: CpuCore, argv: readonly string[]): { sp: number; argvAddress: number } {
  const encoder = new TextEncoder();
  let top = USER_STACK_TOP;
  const pointers = argv.map((arg) => {
    const bytes = encoder.encode(`${arg}\0`);
    top -= bytes.length;
    copyToUser(cpu, top, bytes);
    return top;
  });
  const argvAddress = (top - 4 * (argv.length + 1)) & ~15;
  const words = new Uint8Array(4 * (argv.length + 1));
  const view = new DataView(words.buffer);
  pointers.forEach((pointer, i) => view.setUint32(4 * i, pointer, true));
  copyToUser(cpu, argvAddress, words);
  return { sp: argvAddress, argvAddress };
}

function copyToUser(cpu: CpuCore, address: number, bytes: Uint8Array): void {
  bytes.forEach((byte, i) => {
    const physical = cpu.mmu.translate((address + i) >>> 0, ACCESS_WRITE, true);
    if (physical < 0) throw new Error(`harness: argument address ${address + i} is not mapped`);
    cpu.write8(physical, byte);
  });
}

/** copy_from_user: the kernel reads the buffer through the current page tables. */
function copyFromUser(cpu: CpuCore, address: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const physical = cpu.mmu.translate((address + i) >>> 0, ACCESS_READ, true);
    if (physical < 0) return bytes.subarray(0, i);
    bytes[i] = cpu.read8(physical);
  }
  return bytes;
}
