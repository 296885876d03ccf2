/**
 * The system call dispatcher: from `ecall` to the handler and back.
 *
 * Models: the syscall entry of a Unix kernel (xv6's syscall.c, Linux's
 * syscall table). The trap loop (proc/process.ts) calls `dispatchSyscall`
 * through `kernel.syscallEntry`, which boot/kernel-init.ts points here,
 * after an `ecall`; it reads the number from a7 and the arguments from a0–a5,
 * runs the handler — which may block, so handlers may be generators — and
 * puts the result in a0. Errors travel as exceptions (SyscallError, or the
 * VFS's FsError) and become −errno here, in one place, so a handler never
 * has to remember to convert one. Any other exception is a kernel bug and is
 * left to panic.
 */
import type { Kernel } from '../proc/kernel';
import { FsError } from '../fs/vfs';
import type { Process } from '../proc/process';
import { ERRNO, SyscallError } from '../lib/errno';
import { FILE_CALLS } from './file-calls';
import { MEMORY_CALLS } from './memory-calls';
import { PROCESS_CALLS } from './process-calls';
import { SYSTEM_CALLS } from './info-calls';
import { SOCKET_CALLS } from './socket-calls';
import { TLS_CALLS } from './tls-calls';
import { WINDOW_CALLS } from './window-calls';

const REG_A0 = 10;
const REG_A7 = 17;

/** One system call in progress: who made it, and its arguments. */
export interface Syscall {
  readonly kernel: Kernel;
  readonly process: Process;
  /** Argument `i` (a0 + i) as a signed 32-bit integer. */
  arg(i: number): number;
  /** Argument `i` as an unsigned 32-bit integer (addresses, sizes). */
  address(i: number): number;
}

export type SyscallResult = number | Generator<void, number, void>;
export type SyscallHandler = (call: Syscall) => SyscallResult;

/** Every call, by number (see syscall-table.ts). */
const HANDLERS: ReadonlyMap<number, SyscallHandler> = new Map([
  ...PROCESS_CALLS,
  ...FILE_CALLS,
  ...MEMORY_CALLS,
  ...SYSTEM_CALLS,
  ...SOCKET_CALLS,
  ...TLS_CALLS,
  ...WINDOW_CALLS,
]);

/** Calls made so far, by number (for the scheduler chapter's statistics). */
export const syscallCounts = new Map<number, number>();

/** Handle the `ecall` the process just made; its result lands in a0. */
export function* dispatchSyscall(kernel: Kernel, process: Process): Generator<void, void, void> {
  const regs = process.context.regs;
  const number = regs[REG_A7]!;
  syscallCounts.set(number, (syscallCounts.get(number) ?? 0) + 1);
  const call: Syscall = {
    kernel,
    process,
    arg: (i) => regs[REG_A0 + i]!,
    address: (i) => regs[REG_A0 + i]! >>> 0,
  };
  regs[REG_A0] = yield* runHandler(HANDLERS.get(number), call, number);
}

function* runHandler(
  handler: SyscallHandler | undefined,
  call: Syscall,
  number: number,
): Generator<void, number, void> {
  try {
    if (!handler) throw new SyscallError('ENOSYS', `no system call ${number}`);
    const result = handler(call);
    return typeof result === 'number' ? result : yield* result;
  } catch (error) {
    return -errnoOf(error);
  }
}

/** The errno an error stands for; anything else is a kernel bug and goes on to panic. */
function errnoOf(error: unknown): number {
  if (error instanceof SyscallError || error instanceof FsError) return ERRNO[error.code];
  throw error;
}
