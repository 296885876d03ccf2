/**
 * Per-instruction conformance of the user CPU against RISC-V Unprivileged ISA
 * 20191213 (RV32I chapter 2, M chapter 7, A chapter 8), for both engines: the
 * reference interpreter and translated blocks.
 */
import { describe, expect, it } from 'vitest';
import {
  PF_INSTRUCTION,
  PF_PRESENT,
  PF_USER,
  PF_WRITE,
} from '../../../src/emu/paging/page-table-entry';
import { asm } from './assembler';
import { CODE, DATA, ENGINES, KERNEL_PAGE, RODATA, run, type Engine } from './user-machine';

const A0 = 10;
const A1 = 11;
const A2 = 12;
const T0 = 5;
const T1 = 6;

/** Run `words`, expect the closing ECALL, return register `reg`. */
function result(engine: Engine, words: number[], init: Record<number, number>, reg = A0): number {
  const { trap, ctx } = run(engine, words, init);
  expect(trap).toEqual({ kind: 'ecall' });
  expect(ctx.pc).toBe(CODE + 4 * words.length);
  return ctx.regs[reg]!;
}

const binary = (engine: Engine, insn: number, a: number, b: number): number =>
  result(engine, [insn], { [A1]: a, [A2]: b });
const unary = (engine: Engine, insn: number, a: number): number =>
  result(engine, [insn], { [A1]: a });

const INT_MIN = -0x8000_0000;
const EDGE_VALUES = [
  0,
  1,
  -1,
  2,
  -2,
  7,
  0x7fff_ffff,
  INT_MIN,
  0x1234_5678,
  -0x1234_5678,
  0xffff,
  0x10000,
  46341,
  -46341,
];

const big = (v: number, unsigned: boolean): bigint => (unsigned ? BigInt(v >>> 0) : BigInt(v | 0));
const high = (product: bigint): number => Number(BigInt.asIntN(32, product >> 32n));

describe.each(ENGINES)('RV32I on the %s', (engine) => {
  it('LUI and AUIPC', () => {
    expect(result(engine, [asm.lui(A0, 0xfedcb000)], {})).toBe(0xfedcb000 | 0);
    expect(result(engine, [asm.addi(0, 0, 0), asm.auipc(A0, 0x12345000)], {})).toBe(
      (CODE + 4 + 0x12345000) | 0,
    );
    expect(result(engine, [asm.auipc(A0, 0xfffff000)], {})).toBe(CODE - 0x1000);
  });

  it('ADDI, SLTI, SLTIU, XORI, ORI, ANDI with sign-extended immediates', () => {
    expect(unary(engine, asm.addi(A0, A1, -1), 0)).toBe(-1);
    expect(unary(engine, asm.addi(A0, A1, 1), 0x7fff_ffff)).toBe(INT_MIN);
    expect(unary(engine, asm.slti(A0, A1, -1), -2)).toBe(1);
    expect(unary(engine, asm.slti(A0, A1, -1), 0)).toBe(0);
    expect(unary(engine, asm.sltiu(A0, A1, -1), 5)).toBe(1); // −1 compares as 0xFFFFFFFF
    expect(unary(engine, asm.sltiu(A0, A1, 1), 0)).toBe(1); // SEQZ
    expect(unary(engine, asm.sltiu(A0, A1, 1), -5)).toBe(0);
    expect(unary(engine, asm.xori(A0, A1, -1), 0x0f0f_0f0f)).toBe(~0x0f0f_0f0f); // NOT
    expect(unary(engine, asm.ori(A0, A1, -0x800), 0x1)).toBe(-0x7ff);
    expect(unary(engine, asm.andi(A0, A1, 0x7ff), -1)).toBe(0x7ff);
  });

  it('SLLI, SRLI, SRAI by 0 and 31', () => {
    expect(unary(engine, asm.slli(A0, A1, 31), 3)).toBe(INT_MIN);
    expect(unary(engine, asm.slli(A0, A1, 0), 3)).toBe(3);
    expect(unary(engine, asm.srli(A0, A1, 31), INT_MIN)).toBe(1);
    expect(unary(engine, asm.srli(A0, A1, 4), -1)).toBe(0x0fff_ffff);
    expect(unary(engine, asm.srai(A0, A1, 31), INT_MIN)).toBe(-1);
    expect(unary(engine, asm.srai(A0, A1, 4), -256)).toBe(-16);
  });

  it('ADD, SUB wrap around; SLT, SLTU compare signed and unsigned', () => {
    expect(binary(engine, asm.add(A0, A1, A2), 0x7fff_ffff, 1)).toBe(INT_MIN);
    expect(binary(engine, asm.sub(A0, A1, A2), INT_MIN, 1)).toBe(0x7fff_ffff);
    expect(binary(engine, asm.sub(A0, A1, A2), 0, 1)).toBe(-1);
    expect(binary(engine, asm.slt(A0, A1, A2), -1, 1)).toBe(1);
    expect(binary(engine, asm.sltu(A0, A1, A2), -1, 1)).toBe(0);
    expect(binary(engine, asm.sltu(A0, 0, A2), 0, 5)).toBe(1); // SNEZ
  });

  it('SLL, SRL, SRA use only the low five bits of rs2 (shifts by ≥ 32)', () => {
    expect(binary(engine, asm.sll(A0, A1, A2), 1, 32)).toBe(1);
    expect(binary(engine, asm.sll(A0, A1, A2), 1, 33)).toBe(2);
    expect(binary(engine, asm.srl(A0, A1, A2), INT_MIN, 63)).toBe(1);
    expect(binary(engine, asm.sra(A0, A1, A2), INT_MIN, -1)).toBe(-1);
    expect(binary(engine, asm.sra(A0, A1, A2), 0x4000_0000, 0x20)).toBe(0x4000_0000);
  });

  it('XOR, OR, AND', () => {
    expect(binary(engine, asm.xor(A0, A1, A2), 0x0ff0, 0x00ff)).toBe(0x0f0f);
    expect(binary(engine, asm.or(A0, A1, A2), 0x0ff0, 0x00ff)).toBe(0x0fff);
    expect(binary(engine, asm.and(A0, A1, A2), 0x0ff0, 0x00ff)).toBe(0x00f0);
  });

  it('writes to x0 are ignored, reads of x0 give 0', () => {
    const { ctx } = run(
      engine,
      [asm.addi(0, 0, 5), asm.lui(0, 0x12345000), asm.add(A0, 0, 0), asm.lw(0, A1, 0)],
      { [A1]: DATA },
    );
    expect(ctx.regs[0]).toBe(0);
    expect(ctx.regs[A0]).toBe(0);
  });

  it('loads sign- or zero-extend bytes and halfwords', () => {
    const prepare = (words: number[]) => [...asm.li(T0, 0x80ff_7f81), asm.sw(T0, A1, 0), ...words];
    expect(result(engine, prepare([asm.lb(A0, A1, 0)]), { [A1]: DATA })).toBe(-127);
    expect(result(engine, prepare([asm.lbu(A0, A1, 0)]), { [A1]: DATA })).toBe(0x81);
    expect(result(engine, prepare([asm.lb(A0, A1, 1)]), { [A1]: DATA })).toBe(0x7f);
    expect(result(engine, prepare([asm.lh(A0, A1, 2)]), { [A1]: DATA })).toBe(0x80ff - 0x10000);
    expect(result(engine, prepare([asm.lhu(A0, A1, 2)]), { [A1]: DATA })).toBe(0x80ff);
    expect(result(engine, prepare([asm.lw(A0, A1, 0)]), { [A1]: DATA })).toBe(0x80ff_7f81 | 0);
  });

  it('stores write 1, 2 or 4 bytes little-endian', () => {
    const words = [
      ...asm.li(T0, 0x1122_3344),
      asm.sw(T0, A1, 0),
      asm.sb(T1, A1, 1),
      asm.sh(T1, A1, 2),
      asm.lw(A0, A1, 0),
    ];
    expect(result(engine, words, { [A1]: DATA, [T1]: 0xabcd })).toBe(0xabcd_cd44 | 0);
  });

  it('misaligned loads and stores are performed (also across a page boundary)', () => {
    const words = [
      ...asm.li(T0, 0x1234_5678),
      asm.sw(T0, A1, 0xe),
      asm.lw(A0, A1, 0xe),
      asm.lhu(A2, A1, 0xf),
    ];
    const { ctx } = run(engine, [...words, asm.lbu(T1, A1, 0x10)], { [A1]: DATA + 0x1000 - 0x10 });
    expect(ctx.regs[A0]).toBe(0x1234_5678);
    expect(ctx.regs[A2]).toBe(0x3456);
    expect(ctx.regs[T1]).toBe(0x34);
  });

  it('branches: each condition taken and not taken, signed and unsigned', () => {
    const cases: [number, number, number, boolean][] = [
      [asm.beq(A1, A2, 8), 3, 3, true],
      [asm.beq(A1, A2, 8), 3, 4, false],
      [asm.bne(A1, A2, 8), 3, 4, true],
      [asm.bne(A1, A2, 8), 4, 4, false],
      [asm.blt(A1, A2, 8), -1, 0, true],
      [asm.blt(A1, A2, 8), 0, -1, false],
      [asm.bge(A1, A2, 8), 0, 0, true],
      [asm.bge(A1, A2, 8), -1, 0, false],
      [asm.bltu(A1, A2, 8), 0, -1, true],
      [asm.bltu(A1, A2, 8), -1, 0, false],
      [asm.bgeu(A1, A2, 8), -1, 0, true],
      [asm.bgeu(A1, A2, 8), 0, -1, false],
    ];
    for (const [branch, a, b, taken] of cases) {
      const words = [branch, asm.addi(A0, 0, 1), asm.addi(A0, A0, 2)];
      expect(result(engine, words, { [A1]: a, [A2]: b })).toBe(taken ? 2 : 3);
    }
  });

  it('backward branches loop', () => {
    const words = [
      asm.addi(A0, 0, 0),
      asm.addi(T0, 0, 100),
      asm.addi(A0, A0, 3),
      asm.addi(T0, T0, -1),
      asm.bne(T0, 0, -8),
    ];
    expect(result(engine, words, {})).toBe(300);
  });

  it('JAL links pc+4 and jumps; JALR clears bit 0 of the target and reads rs1 before writing rd', () => {
    const words = [asm.jal(T0, 8), asm.addi(A0, 0, 99), asm.addi(A0, 0, 1)];
    const { ctx } = run(engine, words);
    expect(ctx.regs[A0]).toBe(1);
    expect(ctx.regs[T0]).toBe(CODE + 4);
    const words2 = [
      ...asm.li(A1, CODE + 17),
      asm.jalr(A1, A1, -1),
      asm.addi(A0, 0, 99),
      asm.addi(A0, 0, 7),
    ];
    const second = run(engine, words2);
    expect(second.ctx.regs[A0]).toBe(7);
    expect(second.ctx.regs[A1]).toBe(CODE + 12);
  });

  it('a jump or taken branch to an address that is not 4-aligned traps at the jump, without writing rd', () => {
    const jal = run(engine, [asm.addi(A0, 0, 1), asm.jal(T0, 6)]);
    expect(jal.trap).toEqual({ kind: 'misaligned', address: CODE + 4 + 6 });
    expect(jal.ctx.pc).toBe(CODE + 4);
    expect(jal.ctx.regs[T0]).toBe(0);
    expect(jal.ctx.regs[A0]).toBe(1);
    const jalr = run(engine, [asm.jalr(T0, A1, 2)], { [A1]: CODE });
    expect(jalr.trap).toEqual({ kind: 'misaligned', address: CODE + 2 });
    expect(jalr.ctx.pc).toBe(CODE);
    expect(jalr.ctx.regs[T0]).toBe(0);
    const taken = run(engine, [asm.beq(0, 0, 10)]);
    expect(taken.trap).toEqual({ kind: 'misaligned', address: CODE + 10 });
    const notTaken = run(engine, [asm.bne(0, 0, 10)]);
    expect(notTaken.trap).toEqual({ kind: 'ecall' });
  });

  it('ECALL and EBREAK trap with pc at the instruction; the kernel advances past ECALL', () => {
    const first = run(engine, [asm.addi(A7, 0, 93)]);
    expect(first.trap).toEqual({ kind: 'ecall' });
    expect(first.ctx.pc).toBe(CODE + 4);
    expect(first.ctx.regs[A7]).toBe(93);
    const brk = run(engine, [asm.ebreak()]);
    expect(brk.trap).toEqual({ kind: 'breakpoint' });
    expect(brk.ctx.pc).toBe(CODE);
    // Resuming after the kernel advanced pc.
    first.ctx.pc += 4;
    first.machine.memory.write32(first.machine.codeFrames[0]! + 8, asm.ebreak());
    expect(first.machine.cpu.enterUser(first.ctx)).toEqual({ kind: 'breakpoint' });
  });

  it('FENCE and FENCE.I do nothing', () => {
    expect(result(engine, [asm.fence(), asm.fenceI(), asm.addi(A0, 0, 4)], {})).toBe(4);
  });

  it('illegal instructions trap with their bits: all-zero, CSR accesses, reserved encodings', () => {
    const illegal = [
      0x0000_0000, // defined illegal
      0xc000_2573, // rdcycle a0 (no Zicsr in user mode here)
      0x3020_0073, // mret
      0x0000_3003, // LD (RV64)
      0x4000_1513, // slli with funct7 0x20
      0x0200_5513, // srli with shamt[5] set
      0x4000_6533, // or with funct7 0x20
      0x0000_2063, // branch funct3 2
      0x0000_3023, // SD (RV64)
      0x0000_1067, // jalr funct3 1
      0x0000_302f, // AMOADD.D (RV64)
      0x2800_202f, // AMO with funct5 0x05, unassigned
      0xffff_ffff,
    ];
    for (const insn of illegal) {
      const { trap, ctx } = run(engine, [asm.addi(A0, 0, 1), insn]);
      expect(trap, insn.toString(16)).toEqual({
        kind: 'illegal-instruction',
        instruction: insn >>> 0,
      });
      expect(ctx.pc).toBe(CODE + 4);
      expect(ctx.regs[A0]).toBe(1);
    }
  });
});

const A7 = 17;

describe.each(ENGINES)('RV32M on the %s', (engine) => {
  it('MUL, MULH, MULHSU, MULHU over edge values', () => {
    for (const a of EDGE_VALUES) {
      for (const b of EDGE_VALUES) {
        expect(binary(engine, asm.mul(A0, A1, A2), a, b), `mul ${a} ${b}`).toBe(Math.imul(a, b));
        expect(binary(engine, asm.mulh(A0, A1, A2), a, b), `mulh ${a} ${b}`).toBe(
          high(big(a, false) * big(b, false)),
        );
        expect(binary(engine, asm.mulhsu(A0, A1, A2), a, b), `mulhsu ${a} ${b}`).toBe(
          high(big(a, false) * big(b, true)),
        );
        expect(binary(engine, asm.mulhu(A0, A1, A2), a, b), `mulhu ${a} ${b}`).toBe(
          high(big(a, true) * big(b, true)),
        );
      }
    }
  });

  it('DIV, DIVU, REM, REMU round toward zero', () => {
    expect(binary(engine, asm.div(A0, A1, A2), -7, 2)).toBe(-3);
    expect(binary(engine, asm.rem(A0, A1, A2), -7, 2)).toBe(-1);
    expect(binary(engine, asm.div(A0, A1, A2), 7, -2)).toBe(-3);
    expect(binary(engine, asm.rem(A0, A1, A2), 7, -2)).toBe(1);
    expect(binary(engine, asm.divu(A0, A1, A2), -1, 2)).toBe(0x7fff_ffff);
    expect(binary(engine, asm.remu(A0, A1, A2), -1, 16)).toBe(15);
  });

  it('division by zero gives the ISA’s results (Table 7.1)', () => {
    expect(binary(engine, asm.div(A0, A1, A2), 42, 0)).toBe(-1);
    expect(binary(engine, asm.divu(A0, A1, A2), 42, 0)).toBe(-1);
    expect(binary(engine, asm.rem(A0, A1, A2), 42, 0)).toBe(42);
    expect(binary(engine, asm.remu(A0, A1, A2), -42, 0)).toBe(-42);
  });

  it('signed overflow: −2^31 / −1 = −2^31, remainder 0', () => {
    expect(binary(engine, asm.div(A0, A1, A2), INT_MIN, -1)).toBe(INT_MIN);
    expect(binary(engine, asm.rem(A0, A1, A2), INT_MIN, -1)).toBe(0);
    expect(binary(engine, asm.divu(A0, A1, A2), INT_MIN, -1)).toBe(0);
  });
});

describe.each(ENGINES)('RV32A on the %s', (engine) => {
  it('LR/SC: SC succeeds (rd = 0) after LR to the same word, fails (rd = 1) otherwise', () => {
    const words = [
      asm.addi(T0, 0, 5),
      asm.lr(A0, A1),
      asm.sc(A2, A1, T0),
      asm.sc(T1, A1, T0),
      asm.lw(A7, A1, 0),
    ];
    const { ctx } = run(engine, words, { [A1]: DATA });
    expect(ctx.regs[A2]).toBe(0);
    expect(ctx.regs[T1]).toBe(1);
    expect(ctx.regs[A7]).toBe(5);
  });

  it('a trap between LR and SC clears the reservation', () => {
    const first = run(engine, [asm.lr(A0, A1)], { [A1]: DATA });
    first.machine.memory.write32(first.machine.codeFrames[0]! + 8, asm.sc(A2, A1, 0));
    first.machine.memory.write32(first.machine.codeFrames[0]! + 12, asm.ecall());
    first.ctx.pc += 4;
    first.machine.cpu.enterUser(first.ctx);
    expect(first.ctx.regs[A2]).toBe(1);
  });

  it('AMOs return the old value and store the operation’s result', () => {
    const cases: [(rd: number, rs1: number, rs2: number) => number, number, number, number][] = [
      [asm.amoswap, 5, 9, 9],
      [asm.amoadd, 5, 9, 14],
      [asm.amoxor, 6, 3, 5],
      [asm.amoand, 6, 3, 2],
      [asm.amoor, 6, 3, 7],
      [asm.amomin, -1, 1, -1],
      [asm.amomax, -1, 1, 1],
      [asm.amominu, -1, 1, 1],
      [asm.amomaxu, -1, 1, -1],
    ];
    for (const [op, old, operand, stored] of cases) {
      const words = [...asm.li(T0, old), asm.sw(T0, A1, 0), op(A0, A1, A2), asm.lw(T1, A1, 0)];
      const { ctx } = run(engine, words, { [A1]: DATA, [A2]: operand });
      expect(ctx.regs[A0]).toBe(old);
      expect(ctx.regs[T1]).toBe(stored);
    }
  });

  it('a misaligned AMO traps', () => {
    const { trap, ctx } = run(engine, [asm.amoadd(A0, A1, A2)], { [A1]: DATA + 2 });
    expect(trap).toEqual({ kind: 'misaligned', address: DATA + 2 });
    expect(ctx.pc).toBe(CODE);
  });
});

describe.each(ENGINES)('page faults on the %s', (engine) => {
  it('a load from an unmapped page: not present, user; registers unchanged', () => {
    const { trap, ctx, machine } = run(engine, [asm.addi(A0, 0, 1), asm.lw(A0, A1, 4)], {
      [A1]: 0x0500_0000,
    });
    expect(trap).toEqual({ kind: 'page-fault', address: 0x0500_0004, errorCode: PF_USER });
    expect(ctx.pc).toBe(CODE + 4);
    expect(ctx.regs[A0]).toBe(1);
    expect(machine.cpu.readCr2()).toBe(0x0500_0004);
  });

  it('a store to a read-only page: present, write, user; memory unchanged', () => {
    const { trap, machine } = run(engine, [asm.sw(A2, A1, 0)], { [A1]: RODATA, [A2]: 7 });
    expect(trap).toEqual({
      kind: 'page-fault',
      address: RODATA,
      errorCode: PF_PRESENT | PF_WRITE | PF_USER,
    });
    expect(machine.cpu.readCr2()).toBe(RODATA);
  });

  it('a user access to a supervisor page: present, user', () => {
    const { trap } = run(engine, [asm.lw(A0, A1, 0)], { [A1]: KERNEL_PAGE });
    expect(trap).toEqual({
      kind: 'page-fault',
      address: KERNEL_PAGE,
      errorCode: PF_PRESENT | PF_USER,
    });
  });

  it('a jump into a no-execute page: present, user, instruction fetch', () => {
    const { trap, ctx } = run(engine, [asm.jalr(0, A1, 0)], { [A1]: DATA });
    expect(trap).toEqual({
      kind: 'page-fault',
      address: DATA,
      errorCode: PF_PRESENT | PF_USER | PF_INSTRUCTION,
    });
    expect(ctx.pc).toBe(DATA);
  });

  it('a misaligned load straddling into an unmapped page faults at the first byte there', () => {
    const last = DATA + 4 * 4096 - 2;
    const { trap, ctx } = run(engine, [...asm.li(A1, last), asm.addi(A0, 0, 3), asm.lw(A0, A1, 0)]);
    expect(trap).toEqual({ kind: 'page-fault', address: last + 2, errorCode: PF_USER });
    expect(ctx.regs[A0]).toBe(3);
    const half = run(engine, [...asm.li(A1, last + 1), asm.lhu(A0, A1, 0)]);
    expect(half.trap).toEqual({ kind: 'page-fault', address: last + 2, errorCode: PF_USER });
  });

  it('a misaligned store straddling into an unmapped page faults at the first byte there and writes nothing', () => {
    const last = DATA + 4 * 4096 - 2;
    const { trap, machine } = run(engine, [...asm.li(A1, last), asm.sw(A2, A1, 0)], { [A2]: -1 });
    expect(trap).toEqual({ kind: 'page-fault', address: last + 2, errorCode: PF_USER | PF_WRITE });
    expect(machine.memory.read16(machine.dataFrames[3]! + 4094)).toBe(0);
  });
});
