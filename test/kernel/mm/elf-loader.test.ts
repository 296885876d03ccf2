import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProcessMemory, USER_STACK_TOP } from '../../../src/kernel/mm/process-memory';
import { PTE_USER, PTE_WRITABLE } from '../../../src/kernel/mm/page-table';
import { loadProgram, MAX_LOAD_SEGMENTS, parseElf } from '../../../src/kernel/proc/elf-loader';
import { SyscallError } from '../../../src/kernel/lib/errno';
import { SYS_EXIT, SYS_GETPID, SYS_WRITE } from '../../../src/kernel/syscall/syscall-table';
import { mmMachine } from './machine';

const HELLO = new Uint8Array(
  readFileSync(new URL('../../../src/userland/bin/hello.elf', import.meta.url)),
);

/** hello.elf with some bytes changed. */
function corrupt(edit: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const bytes = HELLO.slice();
  edit(new DataView(bytes.buffer), bytes);
  return bytes;
}

const PHOFF = 52;
/** hello.elf's second segment (read-only data), the one the corruptions below change. */
const RODATA = new DataView(HELLO.buffer, HELLO.byteOffset).getUint32(PHOFF + 32 + 8, true);
const RODATA_FILESZ = new DataView(HELLO.buffer, HELLO.byteOffset).getUint32(PHOFF + 32 + 16, true);
/** Offset of field `field` (byte offset inside a program header) of program header `n`. */
const ph = (n: number, field: number) => PHOFF + n * 32 + field;
const P_OFFSET = 4;
const P_VADDR = 8;
const P_FILESZ = 16;
const P_MEMSZ = 20;
const P_FLAGS = 24;

function enoexec(file: Uint8Array): string {
  try {
    parseElf(file);
  } catch (error) {
    expect(error).toBeInstanceOf(SyscallError);
    expect((error as SyscallError).code).toBe('ENOEXEC');
    return (error as SyscallError).message;
  }
  return 'accepted';
}

function loaded(argv: string[] = ['hello']) {
  const machine = mmMachine();
  const memory = ProcessMemory.create(machine.kernel)!;
  const start = loadProgram(memory, HELLO, argv);
  return { ...machine, memory, start };
}

describe('parseElf', () => {
  it('reads the entry and the PT_LOAD segments of hello.elf', () => {
    const program = parseElf(HELLO);
    expect(program.entry).toBe(0x1_0000);
    expect(program.segments.length).toBeGreaterThanOrEqual(2);
    expect(program.segments.slice(0, 2).map((s) => [s.vaddr, s.flags])).toEqual([
      [0x1_0000, 5], // text: R X
      [RODATA, 4], // rodata: R
    ]);
  });

  it('says precisely what is wrong with a malformed file', () => {
    expect(enoexec(HELLO.subarray(0, 40))).toMatch(/too short/);
    expect(enoexec(corrupt((_, b) => (b[1] = 0x46)))).toMatch(/bad magic/);
    expect(enoexec(corrupt((_, b) => (b[4] = 2)))).toMatch(/not a 32-bit/);
    expect(enoexec(corrupt((_, b) => (b[5] = 2)))).toMatch(/not a little-endian/);
    expect(enoexec(corrupt((v) => v.setUint16(16, 3, true)))).toMatch(/not an executable/);
    expect(enoexec(corrupt((v) => v.setUint16(18, 62, true)))).toMatch(/wrong machine 62/);
    expect(enoexec(corrupt((v) => v.setUint16(42, 56, true)))).toMatch(/program header size 56/);
    expect(enoexec(corrupt((v) => v.setUint32(28, HELLO.length - 10, true)))).toMatch(
      /program headers beyond the end/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(ph(1, P_OFFSET), HELLO.length - 4, true)))).toMatch(
      /segment beyond the end of the file/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(ph(1, P_FILESZ), 0x10000, true)))).toMatch(
      /file size larger than memory size|beyond the end/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(ph(0, P_VADDR), 0, true)))).toMatch(
      /segment outside user space/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(ph(1, P_VADDR), 0x8000_0000 - 8, true)))).toMatch(
      /segment outside user space/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(ph(1, P_VADDR), 0xffff_f000, true)))).toMatch(
      /segment outside user space/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(ph(1, P_VADDR), 0x7f90_0000, true)))).toMatch(
      /overlaps the stack/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(ph(1, P_VADDR), 0x1_0100, true)))).toMatch(
      /overlapping segments/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(ph(0, P_MEMSZ), 0x1800, true)))).toMatch(
      /overlapping segments/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(ph(0, P_FLAGS), 4, true)))).toMatch(
      /entry point 0x10000 is not in an executable segment/,
    );
    expect(enoexec(corrupt((v) => v.setUint32(24, 0x1_1000, true)))).toMatch(
      /not in an executable segment/,
    );
    expect(enoexec(corrupt((v) => v.setUint16(44, 0, true)))).toMatch(/no loadable segments/);
    expect(enoexec(corrupt((v) => v.setUint16(44, 1000, true)))).toMatch(/too many segments/);
  });

  it('refuses more PT_LOAD segments than any program needs', () => {
    const count = MAX_LOAD_SEGMENTS + 1;
    const file = new Uint8Array(PHOFF + count * 32 + 16);
    file.set(HELLO.subarray(0, PHOFF));
    const view = new DataView(file.buffer);
    view.setUint16(44, count, true);
    view.setUint32(28, PHOFF, true);
    for (let n = 0; n < count; n++) {
      view.setUint32(ph(n, 0), 1, true);
      view.setUint32(ph(n, P_VADDR), 0x1_0000 + n * 0x1000, true);
      view.setUint32(ph(n, P_MEMSZ), 0x100, true);
      view.setUint32(ph(n, P_FLAGS), 5, true);
    }
    expect(enoexec(file)).toMatch(/too many segments \(17 PT_LOAD/);
  });

  it('never throws anything but ENOEXEC on random damage', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const bytes = HELLO.slice(0, round % 5 === 0 ? next() % HELLO.length : HELLO.length);
      for (let k = 0; k < 4; k++) bytes[(next() % 120) % Math.max(1, bytes.length)] = next() & 0xff;
      try {
        parseElf(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(SyscallError);
      }
    }
  });
});

describe('loadProgram', () => {
  it('maps each segment with its rights and copies its bytes', () => {
    const { memory } = loaded();
    const program = parseElf(HELLO);
    for (const segment of program.segments) {
      const fileBytes = HELLO.subarray(segment.offset, segment.offset + segment.filesz);
      expect(memory.readBytes(segment.vaddr, segment.filesz)).toEqual(fileBytes);
    }
    const code = memory.space.translate(0x1_0000)!;
    expect(code.flags & (PTE_USER | PTE_WRITABLE)).toBe(PTE_USER);
    expect(code.noExecute).toBe(false);
    const rodata = memory.space.translate(RODATA)!;
    expect(rodata.flags & (PTE_USER | PTE_WRITABLE)).toBe(PTE_USER);
    expect(rodata.noExecute).toBe(true);
    expect(
      memory
        .memoryAreas()
        .map((a) => a.kind)
        .slice(0, 2),
    ).toEqual(['code', 'rodata']);
  });

  it('zero-fills bss and makes data segments writable and no-execute', () => {
    const program = parseElf(HELLO);
    const file = corrupt((v) => {
      // hello.elf's rodata as a data segment of three pages: the file's bytes, then bss
      v.setUint16(44, 2, true);
      v.setUint32(ph(1, P_FLAGS), 6, true);
      v.setUint32(ph(1, P_MEMSZ), 0x3000, true);
    });
    expect(program.segments[1]!.vaddr).toBe(RODATA);
    const machine = mmMachine();
    const memory = ProcessMemory.create(machine.kernel)!;
    loadProgram(memory, file, []);
    expect(
      [...memory.readBytes(RODATA + RODATA_FILESZ, 0x3000 - RODATA_FILESZ)].every((b) => b === 0),
    ).toBe(true);
    memory.writeWord(RODATA + 0x2ffc, 5);
    expect(memory.space.translate(RODATA + 0x2000)!.noExecute).toBe(true);
    expect(memory.brk(0)).toBe(RODATA + 0x3000);
  });

  it('starts the heap at the page after the highest segment', () => {
    const { memory } = loaded();
    const program = parseElf(HELLO);
    const highest = Math.max(...program.segments.map((s) => s.vaddr + s.memsz));
    expect(memory.brk(0)).toBe(Math.ceil(highest / 4096) * 4096);
  });

  it('builds argc, argv and the strings at the top of the stack, sp 16-byte aligned', () => {
    const { memory, start } = loaded(['echo', 'héllo', '']);
    expect(start.entry).toBe(0x1_0000);
    expect(start.argc).toBe(3);
    expect(start.stackPointer).toBe(start.argv);
    expect(start.stackPointer % 16).toBe(0);
    expect(start.stackPointer).toBeLessThan(USER_STACK_TOP - 16);
    const pointers = [0, 1, 2, 3].map((i) => memory.readWord(start.argv + 4 * i));
    expect(pointers[3]).toBe(0);
    expect(pointers.slice(0, 3).map((p) => memory.readString(p, 100))).toEqual([
      'echo',
      'héllo',
      '',
    ]);
    expect(pointers[0]).toBeGreaterThan(start.argv);
    expect(memory.readBytes(USER_STACK_TOP - 1, 1)[0]).toBe(0);
  });

  it('refuses an argument list that does not fit with E2BIG', () => {
    const machine = mmMachine();
    const memory = ProcessMemory.create(machine.kernel)!;
    expect(() => loadProgram(memory, HELLO, ['x'.repeat(70_000)])).toThrow(SyscallError);
  });

  it("runs hello.elf on the Cotton PC's user CPU: main gets argc and argv in a0 and a1", () => {
    const { memory, cpu, start } = loaded(['hello', 'wörld']);
    memory.space.activate();
    const regs = new Int32Array(32);
    regs[2] = start.stackPointer;
    regs[10] = start.argc;
    regs[11] = start.argv;
    const context = { regs, pc: start.entry };
    const output: Uint8Array[] = [];
    // A stand-in for the system call layer: getpid, write and exit, CottonOS numbers.
    for (let calls = 0; calls < 100; calls++) {
      const trap = cpu.enterUser(context);
      expect(trap).toEqual({ kind: 'ecall' });
      context.pc += 4;
      const number = regs[17];
      if (number === SYS_EXIT) break;
      if (number === SYS_GETPID) regs[10] = 42;
      else if (number === SYS_WRITE) output.push(memory.readBytes(regs[11]! >>> 0, regs[12]!));
      else regs[10] = -38;
    }
    const text = new TextDecoder().decode(Uint8Array.from(output.flatMap((chunk) => [...chunk])));
    expect(text).toBe('hello from user mode (pid 42)\nargv[0] = hello\nargv[1] = wörld\n');
  });

  it('leaves nothing behind once the process memory is destroyed', () => {
    const machine = mmMachine();
    const before = machine.frames.freeFrames;
    for (let round = 0; round < 20; round++) {
      const memory = ProcessMemory.create(machine.kernel)!;
      loadProgram(memory, HELLO, ['hello', 'world']);
      memory.destroy();
    }
    expect(machine.frames.freeFrames).toBe(before);
  });
});
