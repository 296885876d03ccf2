/**
 * Translated code must behave exactly as the reference interpreter: same
 * registers, memory, traps, trap pcs and virtual times, on randomised
 * instruction streams (seeded, so every run tests the same programs), with
 * interrupts arriving every few dozen instructions.
 */
import { describe, expect, it } from 'vitest';
import type { UserTrap } from '../../../src/emu/machine-interface';
import { PTE_PRESENT, PTE_USER, PTE_WRITABLE } from '../../../src/emu/paging/page-table-entry';
import { asm } from './assembler';
import {
  CODE,
  context,
  DATA,
  type Engine,
  loadCode,
  userMachine,
  type UserMachine,
} from './user-machine';
import { uniformRandom } from '../../../src/runtime/host/seeded-random';

const BASE = 31; // holds DATA + 0x800, never written
const COUNTER = 30; // loop counter, written only by loop scaffolding
const UNMAPPED = 29; // an address with nothing mapped

const ALU_R = [
  asm.add,
  asm.sub,
  asm.sll,
  asm.slt,
  asm.sltu,
  asm.xor,
  asm.srl,
  asm.sra,
  asm.or,
  asm.and,
];
const MULDIV = [asm.mul, asm.mulh, asm.mulhsu, asm.mulhu, asm.div, asm.divu, asm.rem, asm.remu];
const ALU_I = [asm.addi, asm.slti, asm.sltiu, asm.xori, asm.ori, asm.andi];
const SHIFT_I = [asm.slli, asm.srli, asm.srai];
const LOADS = [asm.lb, asm.lh, asm.lw, asm.lbu, asm.lhu];
const STORES = [asm.sb, asm.sh, asm.sw];
const AMOS = [
  asm.amoswap,
  asm.amoadd,
  asm.amoxor,
  asm.amoand,
  asm.amoor,
  asm.amomin,
  asm.amomax,
  asm.amominu,
  asm.amomaxu,
];
const BRANCHES = [asm.beq, asm.bne, asm.blt, asm.bge, asm.bltu, asm.bgeu];

/** A random straight-line instruction (no control transfer). */
function straight(random: () => number, allowFaults: boolean): number {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const reg = () => 1 + Math.floor(random() * 28); // x1..x28
  const source = () => (random() < 0.1 ? 0 : reg());
  const imm12 = () => Math.floor(random() * 4096) - 2048;
  const roll = random();
  if (roll < 0.25) return pick(ALU_R)(reg(), source(), source());
  if (roll < 0.35) return pick(MULDIV)(reg(), source(), source());
  if (roll < 0.5) return pick(ALU_I)(reg(), source(), imm12());
  if (roll < 0.58) return pick(SHIFT_I)(reg(), source(), Math.floor(random() * 32));
  if (roll < 0.62) return asm.lui(reg(), Math.floor(random() * 2 ** 32) & 0xfffff000);
  if (roll < 0.64) return asm.auipc(reg(), Math.floor(random() * 2 ** 32) & 0xfffff000);
  if (roll < 0.76)
    return pick(LOADS)(
      random() < 0.05 ? 0 : reg(),
      allowFaults && random() < 0.02 ? UNMAPPED : BASE,
      imm12(),
    );
  if (roll < 0.88)
    return pick(STORES)(source(), allowFaults && random() < 0.02 ? UNMAPPED : BASE, imm12());
  if (roll < 0.92) return pick(AMOS)(reg(), BASE, source());
  if (roll < 0.94) return random() < 0.5 ? asm.lr(reg(), BASE) : asm.sc(reg(), BASE, source());
  if (roll < 0.95) return asm.fence();
  if (roll < 0.955 && allowFaults) return 0; // illegal
  return asm.addi(0, reg(), imm12()); // a write to x0
}

/** A program: random straight code, forward branches and jumps, and counted loops; ends with ECALL. */
function randomProgram(seed: number, allowFaults: boolean): number[] {
  const random = uniformRandom(seed);
  const words: number[] = [];
  while (words.length < 300) {
    const roll = random();
    if (roll < 0.75) {
      words.push(straight(random, allowFaults));
    } else if (roll < 0.85) {
      const skip = 1 + Math.floor(random() * 4);
      const branch = BRANCHES[Math.floor(random() * BRANCHES.length)]!;
      words.push(branch(1 + Math.floor(random() * 28), Math.floor(random() * 29), 4 * (skip + 1)));
      for (let i = 0; i < skip; i++) words.push(straight(random, allowFaults));
    } else if (roll < 0.88) {
      words.push(asm.jal(1 + Math.floor(random() * 28), 8), straight(random, allowFaults));
    } else {
      const body = 1 + Math.floor(random() * 12);
      words.push(asm.addi(COUNTER, 0, 1 + Math.floor(random() * 40)));
      for (let i = 0; i < body; i++) words.push(straight(random, allowFaults));
      words.push(asm.addi(COUNTER, COUNTER, -1), asm.bne(COUNTER, 0, -4 * (body + 1)));
    }
  }
  words.push(asm.ecall());
  return words;
}

interface Outcome {
  readonly traps: { trap: UserTrap; pc: number; now: number }[];
  readonly regs: number[];
  readonly data: number[];
  readonly retired: number;
}

/** Interrupts every `periodNs` through a real PIC (IRQ0 → vector 0x20). */
function startTicks(machine: UserMachine, periodNs: number): void {
  const { cpu, clock, pic } = machine;
  [0x11, 0x20, 0x04, 0x01].forEach((v, i) => pic.out8(i === 0 ? 0x20 : 0x21, v));
  pic.out8(0x21, 0xfe);
  cpu.setInterruptGate(0x20, () => pic.out8(0x20, 0x20));
  const tick = () => {
    pic.pulseIrq(0);
    clock.schedule(clock.now + periodNs, tick);
  };
  clock.schedule(periodNs, tick);
}

function execute(engine: Engine, words: number[], seed: number, tickNs: number): Outcome {
  const machine = userMachine(engine, 1);
  loadCode(machine, words);
  const random = uniformRandom(seed ^ 0x5eed);
  for (let i = 0; i < 4096; i += 4)
    machine.memory.write32(machine.dataFrames[0]! + i, Math.floor(random() * 2 ** 32));
  if (tickNs > 0) startTicks(machine, tickNs);
  const ctx = context(CODE);
  for (let r = 1; r < 29; r++) ctx.regs[r] = Math.floor(random() * 2 ** 32) | 0;
  ctx.regs[BASE] = DATA + 0x800;
  ctx.regs[UNMAPPED] = 0x0900_0000;
  const traps: Outcome['traps'] = [];
  for (let steps = 0; steps < 10_000; steps++) {
    const trap = machine.cpu.enterUser(ctx);
    traps.push({ trap, pc: ctx.pc, now: machine.clock.now });
    if (trap.kind === 'interrupt') continue;
    if (trap.kind === 'ecall') break;
    ctx.pc = (ctx.pc + 4) >>> 0; // skip the faulting instruction, as a forgiving kernel might
  }
  const data = Array.from({ length: 1024 }, (_, i) =>
    machine.memory.read32(machine.dataFrames[0]! + 4 * i),
  );
  if (engine === 'jit') expect(machine.cpu.user.translatedBlocks).toBeGreaterThan(0);
  return { traps, regs: [...ctx.regs], data, retired: machine.cpu.user.retired };
}

describe('interpreter ≡ translated code', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const allowFaults = seed % 2 === 0;
    const tickNs = [0, 330, 1000, 77][seed % 4]!;
    it(`random program ${seed} (${allowFaults ? 'with' : 'without'} faults, ${tickNs ? `interrupts every ${tickNs} ns` : 'no interrupts'})`, () => {
      const words = randomProgram(seed, allowFaults);
      const reference = execute('interpreter', words, seed, tickNs);
      const translated = execute('jit', words, seed, tickNs);
      expect(translated.retired).toBe(reference.retired);
      expect(translated.traps).toEqual(reference.traps);
      expect(translated.regs).toEqual(reference.regs);
      expect(translated.data).toEqual(reference.data);
      expect(reference.traps.at(-1)!.trap.kind).toBe('ecall');
      if (tickNs) expect(reference.traps.some((t) => t.trap.kind === 'interrupt')).toBe(true);
    });
  }
});

describe('code that changes', () => {
  it('a store into a running loop’s own block takes effect on the next pass (both engines)', () => {
    // Loop 3 times: a0 += 1, then patch the ADDI to add 100 instead.
    const patched = asm.addi(10, 10, 100);
    const words = [
      ...asm.li(5, patched), // t0 = new instruction
      asm.addi(6, 0, 3), // t1 = 3
      asm.auipc(7, 0), // t2 = address of this instruction
      asm.addi(10, 10, 1), // <- patched (t2 + 4)
      asm.sw(5, 7, 4),
      asm.fenceI(),
      asm.addi(6, 6, -1),
      asm.bne(6, 0, -20),
    ];
    for (const engine of ['interpreter', 'jit'] as const) {
      const machine = userMachine(engine);
      machine.tables.map(CODE, machine.codeFrames[0]!, PTE_PRESENT | PTE_USER | PTE_WRITABLE);
      loadCode(machine, [...words, asm.ecall()]);
      const ctx = context();
      expect(machine.cpu.enterUser(ctx)).toEqual({ kind: 'ecall' });
      expect(ctx.regs[10], engine).toBe(1 + 100 + 100);
    }
  });

  it('the kernel loading new code into a frame replaces old translations; data stores beside code do not', () => {
    const machine = userMachine('jit');
    const program = (value: number) => [
      asm.addi(6, 0, 50),
      asm.addi(10, 0, value),
      asm.addi(6, 6, -1),
      asm.bne(6, 0, -8),
      asm.ecall(),
    ];
    loadCode(machine, program(1));
    const ctx = context();
    machine.cpu.enterUser(ctx);
    expect(ctx.regs[10]).toBe(1);
    const translatedBefore = machine.cpu.user.translatedBlocks;
    // A data store to the same page, away from the code, keeps the translations.
    machine.memory.write32(machine.codeFrames[0]! + 0x800, 0x1234);
    const again = context();
    machine.cpu.enterUser(again);
    expect(machine.cpu.user.translatedBlocks).toBe(translatedBefore);
    // New code over the old: the next run executes it.
    loadCode(machine, program(2));
    const third = context();
    machine.cpu.enterUser(third);
    expect(third.regs[10]).toBe(2);
  });
});
