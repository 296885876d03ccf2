/**
 * Memory system calls: brk, mmap, munmap, mprotect.
 *
 * The work is the process's memory map's (mm/process-memory.ts): these
 * handlers only pass the arguments on. Pages are not touched here: brk and
 * mmap reserve address space, and the page-fault handler gives each page a
 * zeroed frame when the program first touches it (demand paging).
 */
import type { SyscallHandler } from './dispatcher';
import { SYS_BRK, SYS_MMAP, SYS_MPROTECT, SYS_MUNMAP } from './syscall-table';

export const MEMORY_CALLS: ReadonlyArray<[number, SyscallHandler]> = [
  [SYS_BRK, (call) => call.process.memory.brk(call.address(0))],
  [SYS_MMAP, (call) => call.process.memory.mmap(call.address(0), call.arg(1))],
  [SYS_MUNMAP, (call) => (call.process.memory.munmap(call.address(0), call.address(1)), 0)],
  [
    SYS_MPROTECT,
    (call) => (call.process.memory.mprotect(call.address(0), call.address(1), call.arg(2)), 0),
  ],
];
