/**
 * Pre-decoded instructions (src/emu/rv32/decoded-code.ts) and translated blocks
 * are caches of code in memory: every way of changing that code — the program's
 * own stores, a store through a second mapping of the same frame, the kernel
 * reloading a frame — must take effect on both engines, and nothing else may
 * be thrown away.
 */
import { describe, expect, it } from 'vitest';
import { decode, OP_ILLEGAL, OP_NOP } from '../../../src/emu/rv32/decoded-code';
import { PTE_PRESENT, PTE_USER, PTE_WRITABLE } from '../../../src/emu/paging/page-table-entry';
import { asm } from './assembler';
import { CODE, context, DATA, ENGINES, loadCode, userMachine } from './user-machine';

const A0 = 10;
const T0 = 5;
const T1 = 6;
const T2 = 7;

describe('decode', () => {
  it('turns instructions whose only effect is a write to x0 into no-ops, and keeps traps', () => {
    expect(decode(asm.addi(0, 5, 1)).op).toBe(OP_NOP);
    expect(decode(asm.lui(0, 0x1000)).op).toBe(OP_NOP);
    expect(decode(asm.fence()).op).toBe(OP_NOP);
    expect(decode(0).op).toBe(OP_ILLEGAL);
    expect(decode(0).imm).toBe(0);
    expect(decode(asm.slli(0, 5, 1) | (1 << 30)).op).toBe(OP_ILLEGAL); // a reserved shift encoding traps even into x0
  });
});

describe.each(ENGINES)('code that changes, on the %s', (engine) => {
  it('a store patching the next instruction of straight-line code, already decoded on an earlier pass', () => {
    // Pass 1 runs `addi a0, a0, 1`; then the store replaces it with `addi a0, a0, 100`.
    const patched = asm.addi(A0, A0, 100);
    const words = [
      ...asm.li(T0, patched),
      asm.addi(T1, 0, 2), // passes
      asm.auipc(T2, 0), // t2 = this instruction's address
      asm.addi(A0, A0, 1), // t2 + 4: patched
      asm.sw(T0, T2, 4),
      asm.addi(T1, T1, -1),
      asm.bne(T1, 0, -16),
    ];
    const machine = userMachine(engine);
    machine.tables.map(CODE, machine.codeFrames[0]!, PTE_PRESENT | PTE_USER | PTE_WRITABLE);
    loadCode(machine, [...words, asm.ecall()]);
    const ctx = context();
    expect(machine.cpu.enterUser(ctx)).toEqual({ kind: 'ecall' });
    expect(ctx.regs[A0]).toBe(1 + 100);
  });

  it('a store through a second, writable mapping of the code frame', () => {
    // DATA's first page is remapped onto the code frame: stores there rewrite code.
    const machine = userMachine(engine);
    machine.tables.map(DATA, machine.codeFrames[0]!, PTE_PRESENT | PTE_USER | PTE_WRITABLE, true);
    const patched = asm.addi(A0, A0, 100);
    const loopStart = 4 * 3; // byte offset of the instruction patched below
    const words = [
      ...asm.li(T0, patched),
      asm.addi(T1, 0, 3),
      asm.addi(A0, A0, 1), // loopStart: patched on the first pass
      ...asm.li(T2, DATA + loopStart),
      asm.sw(T0, T2, 0),
      asm.addi(T1, T1, -1),
      asm.bne(T1, 0, -20),
    ];
    loadCode(machine, [...words, asm.ecall()]);
    const ctx = context();
    expect(machine.cpu.enterUser(ctx)).toEqual({ kind: 'ecall' });
    expect(ctx.regs[A0]).toBe(1 + 100 + 100);
  });

  it('the kernel reloading a frame: the next run executes the new code, however often the old one ran', () => {
    const machine = userMachine(engine);
    const program = (value: number) => [
      asm.addi(T1, 0, 50),
      asm.addi(A0, 0, value),
      asm.addi(T1, T1, -1),
      asm.bne(T1, 0, -8),
      asm.ecall(),
    ];
    for (let value = 1; value <= 4; value++) {
      loadCode(machine, program(value));
      const ctx = context();
      expect(machine.cpu.enterUser(ctx)).toEqual({ kind: 'ecall' });
      expect(ctx.regs[A0]).toBe(value);
      // A data store beside the code changes nothing.
      machine.memory.write32(machine.codeFrames[0]! + 0x800, 0x1234);
      const again = context();
      machine.cpu.enterUser(again);
      expect(again.regs[A0]).toBe(value);
    }
  });

  it('the kernel writing whole pages over code (writeBytes), then a program spanning two pages', () => {
    const machine = userMachine(engine);
    loadCode(machine, [asm.addi(A0, 0, 5), asm.ecall()]);
    machine.cpu.enterUser(context());
    // Fill two pages with NOPs (ADDI x0, x0, 0) and end the second with new code:
    // execution runs from the first page into the second.
    const nops = new Uint8Array(8192);
    for (let i = 0; i < 8192; i += 4)
      new DataView(nops.buffer).setUint32(i, asm.addi(0, 0, 0), true);
    machine.memory.writeBytes(machine.codeFrames[0]!, nops.subarray(0, 4096));
    machine.memory.writeBytes(machine.codeFrames[1]!, nops.subarray(4096));
    loadCode(machine, [asm.addi(A0, A0, 1), asm.ecall()], CODE + 8192 - 8);
    const ctx = context();
    expect(machine.cpu.enterUser(ctx)).toEqual({ kind: 'ecall' });
    expect(ctx.regs[A0]).toBe(1);
    expect(ctx.pc).toBe(CODE + 8192 - 4);
  });

  it('code whose every decoded word was overwritten runs again, and is watched again', () => {
    const machine = userMachine(engine);
    const frame = machine.codeFrames[0]!;
    loadCode(machine, [asm.addi(A0, 0, 1), asm.ecall()]);
    machine.cpu.enterUser(context());
    // Overwrite both words: nothing decoded is left in the page.
    machine.memory.write32(frame, asm.addi(A0, 0, 2));
    machine.memory.write32(frame + 4, asm.ecall());
    const second = context();
    machine.cpu.enterUser(second);
    expect(second.regs[A0]).toBe(2);
    // The page holds decoded code again: a further write must still be seen.
    machine.memory.write32(frame, asm.addi(A0, 0, 3));
    const third = context();
    machine.cpu.enterUser(third);
    expect(third.regs[A0]).toBe(3);
  });

  it('a page whose every decoded word its own store overwrote, while running in it, still sees later stores', () => {
    // Page 1 is entered at a store that overwrites itself (the page's only decoded
    // word); the loop after it then patches its own first instruction.
    const machine = userMachine(engine);
    machine.tables.map(CODE + 4096, machine.codeFrames[1]!, PTE_PRESENT | PTE_USER | PTE_WRITABLE);
    const T3 = 28;
    loadCode(machine, [
      ...asm.li(T0, asm.addi(A0, A0, 100)),
      ...asm.li(T2, CODE + 4096),
      asm.addi(T1, 0, asm.addi(0, 0, 0) & 0x7ff),
      asm.addi(T3, 0, 2),
      asm.jalr(0, T2, 0),
    ]);
    loadCode(
      machine,
      [
        asm.sw(T1, T2, 0), // overwrites itself with a NOP
        asm.addi(A0, A0, 1), // patched on the first pass
        asm.sw(T0, T2, 4),
        asm.addi(T3, T3, -1),
        asm.bne(T3, 0, -12),
        asm.ecall(),
      ],
      CODE + 4096,
    );
    const ctx = context();
    expect(machine.cpu.enterUser(ctx)).toEqual({ kind: 'ecall' });
    expect(ctx.regs[A0]).toBe(1 + 100);
    expect(machine.memory.read32(machine.codeFrames[1]!)).toBe(asm.addi(0, 0, 0));
  });

  it('a store into the code page that rewrites only data words keeps running the decoded code', () => {
    // The loop stores into the same page as its code (the page is writable), away from the code.
    const machine = userMachine(engine);
    machine.tables.map(CODE, machine.codeFrames[0]!, PTE_PRESENT | PTE_USER | PTE_WRITABLE);
    const words = [
      asm.auipc(T2, 0),
      asm.addi(T1, 0, 20),
      asm.sw(T1, T2, 0x7fc),
      asm.addi(A0, A0, 3),
      asm.addi(T1, T1, -1),
      asm.bne(T1, 0, -12),
      asm.ecall(),
    ];
    loadCode(machine, words);
    const ctx = context();
    expect(machine.cpu.enterUser(ctx)).toEqual({ kind: 'ecall' });
    expect(ctx.regs[A0]).toBe(60);
    expect(machine.memory.read32(machine.codeFrames[0]! + 0x7fc)).toBe(1);
  });
});
