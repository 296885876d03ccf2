import { describe, expect, it } from 'vitest';
import { ACCESS_READ, ACCESS_WRITE } from '../../../src/emu/paging/page-table-entry';
import { KERNEL_DIRECT_MAP_BASE } from '../../../src/kernel/mm/address-space';
import {
  MMAP_BASE,
  PF_INSTRUCTION,
  PF_PRESENT,
  PF_USER,
  PF_WRITE,
  ProcessMemory,
  PROT_EXEC,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  USER_STACK_BOTTOM,
  USER_STACK_TOP,
} from '../../../src/kernel/mm/process-memory';
import { SyscallError } from '../../../src/kernel/lib/errno';
import { mmMachine } from './machine';

const RW = PROT_READ | PROT_WRITE;
const HEAP = 0x2_0000;

/** A process with one code page at 0x10000 and an empty heap at 0x20000. */
function setup() {
  const machine = mmMachine();
  const memory = ProcessMemory.create(machine.kernel)!;
  memory.mapFixed(0x1_0000, 0x1000, PROT_READ | PROT_EXEC, 'code');
  memory.setHeapStart(HEAP);
  return { ...machine, memory };
}

function errno(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof SyscallError) return error.code;
    throw error;
  }
  return 'no error';
}

const READ = PF_USER;
const WRITE = PF_USER | PF_WRITE;
const FETCH = PF_USER | PF_INSTRUCTION;

describe('brk', () => {
  it('answers the break to 0, grows and shrinks it, mapping heap pages only when touched', () => {
    const { memory } = setup();
    expect(memory.brk(0)).toBe(HEAP);
    expect(memory.brk(HEAP + 10_000)).toBe(HEAP + 10_000);
    expect(memory.space.userPageCount()).toBe(1);
    expect(memory.handlePageFault(HEAP + 9_000, WRITE)).toEqual({ kind: 'resolved' });
    expect(memory.space.userPageCount()).toBe(2);
    memory.writeWord(HEAP + 4, 0xdeadbeef);
    expect(memory.readWord(HEAP + 4)).toBe(0xdeadbeef);
    expect(memory.brk(HEAP + 100)).toBe(HEAP + 100);
    expect(memory.space.translate(HEAP + 0x2000)).toBeNull(); // unmapped by the shrink
    expect(memory.readWord(HEAP + 4)).toBe(0xdeadbeef); // the page holding the new break stays
    expect(memory.handlePageFault(HEAP + 0x2000, READ)).toEqual({
      kind: 'fatal',
      reason: 'address not mapped',
    });
  });

  it('refuses to move below the heap start or into another area, leaving the break unchanged', () => {
    const { memory } = setup();
    memory.brk(HEAP + 0x1000);
    expect(memory.brk(HEAP - 1)).toBe(HEAP + 0x1000);
    const area = memory.mmap(0x1000, RW);
    expect(memory.brk(area + 8)).toBe(HEAP + 0x1000);
    expect(memory.brk(USER_STACK_BOTTOM)).toBe(HEAP + 0x1000);
  });

  it('gives zero-filled pages again after shrinking and growing', () => {
    const { memory } = setup();
    memory.brk(HEAP + 0x3000);
    memory.writeBytes(HEAP + 0x2000, Uint8Array.of(7, 7, 7));
    memory.brk(HEAP + 0x1000);
    memory.brk(HEAP + 0x3000);
    expect([...memory.readBytes(HEAP + 0x2000, 3)]).toEqual([0, 0, 0]);
  });
});

describe('mmap, munmap, mprotect', () => {
  it('places areas first fit from 0x40000000, with zeroed pages on first touch', () => {
    const { memory } = setup();
    const a = memory.mmap(5000, RW);
    const b = memory.mmap(1, PROT_READ);
    expect(a).toBe(MMAP_BASE);
    expect(b).toBe(MMAP_BASE + 0x2000);
    expect(memory.space.translate(a)).toBeNull();
    expect([...memory.readBytes(a + 4090, 10)]).toEqual(new Array(10).fill(0));
    memory.munmap(a, 0x2000);
    expect(memory.mmap(0x1000, RW)).toBe(MMAP_BASE); // the hole is reused
  });

  it('rejects bad lengths and protections with EINVAL, and an impossible size with ENOMEM', () => {
    const { memory } = setup();
    expect(errno(() => memory.mmap(0, RW))).toBe('EINVAL');
    expect(errno(() => memory.mmap(-5, RW))).toBe('EINVAL');
    expect(errno(() => memory.mmap(4096, 8))).toBe('EINVAL');
    expect(errno(() => memory.mmap(0x8000_0000, RW))).toBe('ENOMEM');
  });

  it('munmap frees the pages and splits an area; touching the hole is fatal', () => {
    const { memory, frames } = setup();
    const area = memory.mmap(0x3000, RW);
    for (let page = 0; page < 3; page++) memory.writeWord(area + page * 0x1000, page + 1);
    const free = frames.freeFrames;
    memory.munmap(area + 0x1000, 0x1000);
    expect(frames.freeFrames).toBe(free + 1);
    expect(memory.readWord(area)).toBe(1);
    expect(memory.readWord(area + 0x2000)).toBe(3);
    expect(memory.handlePageFault(area + 0x1000, READ)).toEqual({
      kind: 'fatal',
      reason: 'address not mapped',
    });
    expect(memory.memoryAreas().filter((a) => a.kind === 'mmap')).toHaveLength(2);
  });

  it('munmap and mprotect refuse unaligned addresses and areas that are not mmap areas', () => {
    const { memory } = setup();
    memory.brk(HEAP + 0x2000);
    expect(errno(() => memory.munmap(0x1_0000, 0x1000))).toBe('EINVAL');
    expect(errno(() => memory.munmap(HEAP, 0x1000))).toBe('EINVAL');
    expect(errno(() => memory.munmap(MMAP_BASE + 1, 0x1000))).toBe('EINVAL');
    expect(errno(() => memory.mprotect(0x1_0000, 0x1000, RW))).toBe('EINVAL');
    expect(errno(() => memory.mprotect(MMAP_BASE, 0x1000, RW))).toBe('ENOMEM');
  });

  it('mprotect changes the rights of touched and untouched pages alike', () => {
    const { memory } = setup();
    const area = memory.mmap(0x2000, RW);
    memory.writeWord(area, 42);
    memory.mprotect(area, 0x2000, PROT_READ);
    expect(memory.readWord(area)).toBe(42);
    expect(errno(() => memory.writeWord(area, 1))).toBe('EFAULT');
    expect(errno(() => memory.writeWord(area + 0x1000, 1))).toBe('EFAULT');
    expect(memory.handlePageFault(area, WRITE | PF_PRESENT)).toEqual({
      kind: 'fatal',
      reason: 'write to read-only page',
    });
    expect(memory.handlePageFault(area + 0x1000, WRITE)).toEqual({
      kind: 'fatal',
      reason: 'write to read-only page',
    });
    memory.mprotect(area, 0x1000, PROT_NONE);
    expect(errno(() => memory.readWord(area))).toBe('EFAULT');
    expect(memory.handlePageFault(area, READ | PF_PRESENT)).toEqual({
      kind: 'fatal',
      reason: 'access to a page with no access rights',
    });
    memory.mprotect(area, 0x1000, RW);
    expect(memory.readWord(area)).toBe(42); // PROT_NONE kept the contents
    memory.writeWord(area, 43);
  });

  it('makes PROT_NONE pages unreachable for the user CPU too', () => {
    const { memory, cpu } = setup();
    const area = memory.mmap(0x1000, RW);
    memory.writeWord(area, 5);
    memory.mprotect(area, 0x1000, PROT_NONE);
    memory.space.activate();
    expect(cpu.mmu.translate(area, ACCESS_READ, true)).toBe(-1);
    expect(cpu.mmu.faultErrorCode).toBe(PF_PRESENT | PF_USER);
  });
});

describe('page faults', () => {
  it('grow the stack on demand down to 8 MiB, and call a fault just below it a stack overflow', () => {
    const { memory } = setup();
    expect(memory.handlePageFault(USER_STACK_TOP - 4, WRITE)).toEqual({ kind: 'resolved' });
    expect(memory.handlePageFault(USER_STACK_BOTTOM, WRITE)).toEqual({ kind: 'resolved' });
    expect(memory.space.userPageCount()).toBe(3);
    expect(memory.handlePageFault(USER_STACK_BOTTOM - 4, WRITE)).toEqual({
      kind: 'fatal',
      reason: 'stack overflow beyond 8 MiB',
    });
  });

  it('explain fatal faults as Linux does', () => {
    const { memory } = setup();
    memory.brk(HEAP + 0x1000);
    expect(memory.handlePageFault(0, READ)).toEqual({
      kind: 'fatal',
      reason: 'address not mapped',
    });
    expect(memory.handlePageFault(0x9000_0000, READ)).toEqual({
      kind: 'fatal',
      reason: 'address not mapped',
    });
    expect(memory.handlePageFault(0x1_0000, WRITE | PF_PRESENT)).toEqual({
      kind: 'fatal',
      reason: 'write to read-only page',
    });
    expect(memory.handlePageFault(HEAP, FETCH)).toEqual({
      kind: 'fatal',
      reason: 'instruction fetch from non-executable page',
    });
    expect(memory.handlePageFault(USER_STACK_TOP - 8, FETCH)).toEqual({
      kind: 'fatal',
      reason: 'instruction fetch from non-executable page',
    });
  });

  it("map demand-zero pages that the MMU then translates with the area's rights", () => {
    const { memory, cpu } = setup();
    memory.brk(HEAP + 0x1000);
    memory.space.activate();
    expect(cpu.mmu.translate(HEAP + 8, ACCESS_WRITE, true)).toBe(-1);
    expect(cpu.mmu.faultErrorCode).toBe(WRITE);
    expect(memory.handlePageFault(cpu.mmu.cr2, cpu.mmu.faultErrorCode)).toEqual({
      kind: 'resolved',
    });
    const physical = cpu.mmu.translate(HEAP + 8, ACCESS_WRITE, true);
    expect(physical).toBe(memory.space.translate(HEAP + 8)!.physical);
    expect(memory.space.translate(HEAP)!.noExecute).toBe(true);
  });
});

describe('user copies', () => {
  it('read and write across page boundaries, faulting in demand pages', () => {
    const { memory } = setup();
    memory.brk(HEAP + 0x3000);
    const bytes = Uint8Array.from({ length: 6000 }, (_, i) => i % 251);
    memory.writeBytes(HEAP + 0x0ff0, bytes);
    expect(memory.readBytes(HEAP + 0x0ff0, 6000)).toEqual(bytes);
    memory.writeWord(HEAP + 0x0ffe, 0x11223344); // straddles two pages
    expect(memory.readWord(HEAP + 0x0ffe)).toBe(0x11223344);
  });

  it('read NUL-terminated UTF-8 strings without touching bytes past the NUL', () => {
    const { memory } = setup();
    memory.brk(HEAP + 0x2000);
    const text = Uint8Array.from(
      [...'héllo, wörld'].flatMap((c) => [...new TextEncoder().encode(c)]),
    );
    const at = HEAP + 0x2000 - text.length - 1; // the NUL is the heap's last byte; the next page is not mapped
    memory.writeBytes(at, text);
    memory.writeBytes(at + text.length, Uint8Array.of(0));
    expect(memory.readString(at, 100)).toBe('héllo, wörld');
    expect(memory.readString(at, text.length)).toBe('héllo, wörld');
    expect(errno(() => memory.readString(at, text.length - 1))).toBe('ENAMETOOLONG');
    memory.writeBytes(HEAP + 0x2000 - 3, Uint8Array.of(65, 66, 67)); // no NUL before the end of the heap
    expect(errno(() => memory.readString(HEAP + 0x2000 - 3, 100))).toBe('EFAULT');
  });

  it('refuse kernel addresses, unmapped pages and writes to read-only pages with EFAULT', () => {
    const { memory } = setup();
    expect(errno(() => memory.readBytes(KERNEL_DIRECT_MAP_BASE, 4))).toBe('EFAULT');
    expect(errno(() => memory.readBytes(0x8000_0000, 4))).toBe('EFAULT');
    expect(errno(() => memory.readBytes(0x7fff_fffe, 4))).toBe('EFAULT');
    expect(errno(() => memory.readBytes(-4, 4))).toBe('EFAULT');
    expect(errno(() => memory.readWord(0))).toBe('EFAULT');
    expect(errno(() => memory.readWord(0x3000_0000))).toBe('EFAULT');
    expect(memory.readWord(0x1_0000)).toBe(0);
    expect(errno(() => memory.writeWord(0x1_0000, 1))).toBe('EFAULT');
    expect(errno(() => memory.readString(0x5000_0000, 10))).toBe('EFAULT');
    expect(memory.readBytes(0x5000_0000, 0)).toEqual(new Uint8Array(0));
  });

  it("cannot reach another process's pages", () => {
    const { memory, kernel } = setup();
    const other = ProcessMemory.create(kernel)!;
    other.setHeapStart(HEAP);
    other.brk(HEAP + 0x1000);
    other.writeWord(HEAP, 99);
    expect(errno(() => memory.readWord(HEAP))).toBe('EFAULT'); // no heap yet in `memory`
    memory.brk(HEAP + 0x1000);
    expect(memory.readWord(HEAP)).toBe(0);
  });
});

describe('fork and exit', () => {
  it('clone copies areas, break and pages; the copies are independent', () => {
    const { memory } = setup();
    memory.brk(HEAP + 0x1000);
    memory.writeWord(HEAP, 1);
    const area = memory.mmap(0x1000, RW);
    memory.writeWord(area, 2);
    const child = memory.clone()!;
    expect(child.brk(0)).toBe(HEAP + 0x1000);
    expect(child.memoryAreas()).toEqual(memory.memoryAreas());
    expect(child.readWord(HEAP)).toBe(1);
    expect(child.readWord(area)).toBe(2);
    child.writeWord(HEAP, 10);
    expect(memory.readWord(HEAP)).toBe(1);
    expect(child.mmap(0x1000, RW)).toBe(area + 0x1000);
    child.destroy();
  });

  it('destroy gives back every frame', () => {
    const { kernel, frames } = mmMachine();
    const before = frames.freeFrames;
    for (let round = 0; round < 50; round++) {
      const memory = ProcessMemory.create(kernel)!;
      memory.mapFixed(0x1_0000, 0x3000, PROT_READ | PROT_EXEC, 'code');
      memory.setHeapStart(0x2_0000);
      memory.brk(0x2_0000 + 0x5000);
      memory.writeBytes(0x2_0000, new Uint8Array(0x5000).fill(1));
      memory.writeWord(USER_STACK_TOP - 4, 1);
      memory.writeWord(memory.mmap(0x10000, RW) + 0x8000, 1);
      const child = memory.clone()!;
      memory.destroy();
      child.destroy();
    }
    expect(frames.freeFrames).toBe(before);
  });
});
