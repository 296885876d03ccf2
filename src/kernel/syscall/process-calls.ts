/**
 * Process system calls: exit, fork, exec, wait, getpid, getppid, yield,
 * sleep, kill, nice, getpriority.
 *
 * Each handler checks its arguments, copies what it needs from user memory
 * (user-memory checks are ProcessMemory's), and calls into proc/process.ts,
 * where the work is done. See syscall-table.ts for the numbers and ABI.
 */
import { exec, exitProcess, fork, kill, waitForChild } from '../proc/process';
import {
  findTask,
  PRIORITY_HIGHEST,
  PRIORITY_LOWEST,
  setPriority,
  sleepUntil,
  ticksNow,
} from '../sched/scheduler';
import type { Task } from '../sched/scheduler';
import type { Syscall, SyscallHandler } from './dispatcher';
import { SyscallError } from '../lib/errno';
import { readProgram, resolvePath } from './file-calls';
import {
  SYS_EXEC,
  SYS_EXIT,
  SYS_FORK,
  SYS_GETPID,
  SYS_GETPPID,
  SYS_GETPRIORITY,
  SYS_KILL,
  SYS_NICE,
  SYS_SLEEP,
  SYS_WAIT,
  SYS_WAITNOHANG,
  SYS_YIELD,
} from './syscall-table';

/** Arguments exec copies in at most: count, and bytes of strings. */
export const MAX_ARGS = 64;
export const MAX_ARG_BYTES = 64 * 1024;
const MAX_ARG_LENGTH = 4096;

function sysExit(call: Syscall): number {
  exitProcess(call.kernel, call.process, call.arg(0) & 0xff);
  return 0;
}

function sysFork(call: Syscall): number {
  return fork(call.kernel, call.process).task.pid;
}

/** Copy argv (a NULL-terminated array of string pointers) out of user memory. */
function readArgv(call: Syscall, pointer: number): string[] {
  const argv: string[] = [];
  if (pointer === 0) return argv;
  let bytes = 0;
  for (;;) {
    const item = call.process.memory.readWord(pointer + argv.length * 4) >>> 0;
    if (item === 0) return argv;
    if (argv.length === MAX_ARGS)
      throw new SyscallError('E2BIG', `more than ${MAX_ARGS} arguments`);
    const arg = call.process.memory.readString(item, MAX_ARG_LENGTH);
    bytes += arg.length + 1;
    if (bytes > MAX_ARG_BYTES)
      throw new SyscallError('E2BIG', `arguments longer than ${MAX_ARG_BYTES} bytes`);
    argv.push(arg);
  }
}

function* sysExec(call: Syscall): Generator<void, number, void> {
  const path = resolvePath(call, call.address(0));
  const argv = readArgv(call, call.address(1));
  const elf = yield* readProgram(call.kernel, path);
  exec(call.kernel, call.process, elf, argv.length > 0 ? argv : [path]);
  return call.process.context.regs[10]!; // a0 is argc now, as the new program expects
}

function* waitCall(call: Syscall, noHang: boolean): Generator<void, number, void> {
  const statusPointer = call.address(1);
  if (statusPointer !== 0) call.process.memory.writeWord(statusPointer, 0); // fail early on a bad pointer
  const child = yield* waitForChild(call.process.task, call.arg(0), noHang);
  if (!child) return 0;
  if (statusPointer !== 0) call.process.memory.writeWord(statusPointer, child.status);
  return child.pid;
}

function* sysSleep(call: Syscall): Generator<void, number, void> {
  const millis = call.arg(0);
  if (millis < 0) throw new SyscallError('EINVAL', 'negative sleep');
  const { pit } = call.kernel;
  yield* sleepUntil(ticksNow() + pit.ticksFor(millis) + 1);
  return 0;
}

/** The task `pid` names for nice/getpriority: 0 is the caller. */
function targetTask(call: Syscall, pid: number): Task {
  const task = pid === 0 ? call.process.task : findTask(pid);
  if (!task || task.state === 'zombie') throw new SyscallError('ESRCH', `no process ${pid}`);
  return task;
}

function sysNice(call: Syscall): number {
  const priority = call.arg(1);
  if (priority < PRIORITY_HIGHEST || priority > PRIORITY_LOWEST)
    throw new SyscallError('EINVAL', `priority must be ${PRIORITY_HIGHEST}–${PRIORITY_LOWEST}`);
  const task = targetTask(call, call.arg(0));
  if (task.kind !== 'user') throw new SyscallError('EPERM', 'kernel threads keep their priority');
  setPriority(task, priority);
  return 0;
}

export const PROCESS_CALLS: ReadonlyArray<[number, SyscallHandler]> = [
  [SYS_EXIT, sysExit],
  [SYS_FORK, sysFork],
  [SYS_EXEC, sysExec],
  [SYS_WAIT, (call) => waitCall(call, false)],
  [SYS_WAITNOHANG, (call) => waitCall(call, true)],
  [SYS_GETPID, (call) => call.process.task.pid],
  [SYS_GETPPID, (call) => call.process.parentPid],
  [
    SYS_YIELD,
    function* () {
      yield;
      return 0;
    },
  ],
  [SYS_SLEEP, sysSleep],
  [SYS_KILL, (call) => (kill(call.arg(0), call.arg(1)), 0)],
  [SYS_NICE, sysNice],
  [SYS_GETPRIORITY, (call) => targetTask(call, call.arg(0)).priority],
];
