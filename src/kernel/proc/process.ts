/**
 * User processes: creation, the trap loop, fork, exec, exit, wait and kill.
 *
 * Models: the process half of a Unix kernel (xv6's proc.c, Linux's fork.c and
 * exit.c) on the Cotton PC. A process is a task (scheduler.ts) whose body is
 * the loop below, plus what a program owns: a user context (RV32 registers
 * and pc), an address space of its own (mm/process-memory.ts), open files and
 * a working directory. The loop is the kernel's side of user mode: load the
 * process's page tables into CR3, `enterUser` (the IRET), and handle whatever
 * trapped — a system call, a page fault, a bad instruction, or an interrupt,
 * after which the scheduler may switch to another task (preemption).
 *
 * Life cycle: a process is created by `spawnProgram` (the shell's `run`, and
 * init at boot) or `fork`; `exec` replaces its program; it ends by `exit` or
 * by a fatal fault or signal, and stays a zombie, its memory already freed,
 * until its parent collects the exit status with `wait`. Orphans are given to
 * init (pid 1), which waits for them, so zombies never pile up.
 */
import type { UserContext, UserTrap } from '../../emu/machine-interface';
import type { Kernel } from './kernel';
import { FileTable } from '../fs/open-file';
import { hex } from '../lib/format';
import { ProcessMemory } from '../mm/process-memory';
import { SyscallError } from '../lib/errno';
import { SIGBUS, SIGILL, SIGSEGV, SIGTRAP, signalName } from './signals';
import { loadProgram, type LoadedProgram } from './elf-loader';
import {
  createTask,
  findTask,
  PRIORITY_NORMAL,
  removeTask,
  shouldYield,
  wake,
} from '../sched/scheduler';
import type { Task, ThreadBody } from '../sched/scheduler';
import { WaitQueue } from '../sched/wait-queue';

/** User processes that may exist at once (a fork bomb stops here, with EAGAIN). */
export const MAX_PROCESSES = 64;
/** The pid init gets: it is the first process the kernel starts. */
export const INIT_PID = 1;

/** The RV32 integer registers the start-up ABI uses. */
const REG_SP = 2;
const REG_A0 = 10;
const REG_A1 = 11;

export interface Process {
  readonly task: Task;
  /** The pid of the parent task (a process, or a kernel thread such as the shell). */
  parentPid: number;
  readonly context: UserContext;
  memory: ProcessMemory;
  files: FileTable;
  cwd: string;
  /** The command line it was started with (for ps). */
  argv: string[];
  /** Exit status once a zombie: the exit code, or 128 + the signal that killed it. */
  exitStatus: number;
}

const processes = new Map<number, Process>();
/** Per parent pid: the queue a parent waits on for a child to exit. */
const childExits = new Map<number, WaitQueue>();

/** The process behind a task, if the task is a user process. */
export function processOf(task: Task): Process | undefined {
  return processes.get(task.pid);
}

export function allProcesses(): Process[] {
  return [...processes.values()];
}

function childExitQueue(parentPid: number): WaitQueue {
  let queue = childExits.get(parentPid);
  if (!queue) childExits.set(parentPid, (queue = new WaitQueue()));
  return queue;
}

/** A fresh user context: all registers zero. */
function newContext(): UserContext {
  return { regs: new Int32Array(32), pc: 0 };
}

function checkProcessLimit(): void {
  if (processes.size >= MAX_PROCESSES)
    throw new SyscallError('EAGAIN', `process limit reached (${MAX_PROCESSES})`);
}

/** Point `context` at a freshly loaded program: pc at its entry, sp, a0 = argc, a1 = argv. */
function startProgram(context: UserContext, start: LoadedProgram): void {
  context.regs.fill(0);
  context.pc = start.entry;
  context.regs[REG_SP] = start.stackPointer;
  context.regs[REG_A0] = start.argc;
  context.regs[REG_A1] = start.argv;
}

/** Build a new address space holding the program `elf`, or throw (ENOEXEC, ENOMEM). */
function loadImage(
  kernel: Kernel,
  elf: Uint8Array,
  argv: string[],
): { memory: ProcessMemory; start: LoadedProgram } {
  const memory = ProcessMemory.create(kernel.memory.kernelSpace);
  if (!memory) throw new SyscallError('ENOMEM', 'out of memory for a new address space');
  try {
    return { memory, start: loadProgram(memory, elf, argv) };
  } catch (error) {
    memory.destroy();
    throw error;
  }
}

/** Who a new program's parent is, and what it starts with. */
export interface SpawnOptions {
  readonly parentPid: number;
  /** Its open files (the table is taken over). */
  readonly files: FileTable;
  readonly cwd?: string;
  readonly priority?: number;
}

/** Start `elf` as a new process. Throws EAGAIN, ENOMEM or ENOEXEC. */
export function spawnProgram(
  kernel: Kernel,
  elf: Uint8Array,
  argv: string[],
  options: SpawnOptions,
): Process {
  checkProcessLimit();
  const { memory, start } = loadImage(kernel, elf, argv);
  const context = newContext();
  startProgram(context, start);
  return addProcess(kernel, {
    name: programName(argv),
    parentPid: options.parentPid,
    context,
    memory,
    files: options.files,
    cwd: options.cwd ?? '/',
    argv,
    priority: options.priority ?? PRIORITY_NORMAL,
  });
}

interface NewProcess {
  name: string;
  parentPid: number;
  context: UserContext;
  memory: ProcessMemory;
  files: FileTable;
  cwd: string;
  argv: string[];
  priority: number;
}

function addProcess(kernel: Kernel, init: NewProcess): Process {
  let process!: Process;
  const task = createTask(
    init.name,
    'user',
    userMain(kernel, () => process),
    init.priority,
  );
  process = registerProcess(task, init);
  return process;
}

function registerProcess(task: Task, init: NewProcess): Process {
  const process = {
    task,
    parentPid: init.parentPid,
    context: init.context,
    memory: init.memory,
    files: init.files,
    cwd: init.cwd,
    argv: init.argv,
    exitStatus: 0,
  };
  processes.set(task.pid, process);
  return process;
}

/**
 * Turn the running kernel thread `task` into a user process running `elf`,
 * and run it: how the init task (pid 1) becomes /bin/init, as Linux's
 * kernel_init ends in execve("/sbin/init"). Does not return while it lives.
 */
export function* becomeUserProcess(
  kernel: Kernel,
  task: Task,
  elf: Uint8Array,
  argv: string[],
  files: FileTable,
): ThreadBody {
  const { memory, start } = loadImage(kernel, elf, argv);
  const context = newContext();
  startProgram(context, start);
  task.kind = 'user';
  task.name = programName(argv);
  const process = registerProcess(task, {
    name: task.name,
    parentPid: 0,
    context,
    memory,
    files,
    cwd: '/',
    argv,
    priority: task.priority,
  });
  yield* userMain(kernel, () => process);
}

function programName(argv: string[]): string {
  const path = argv[0] ?? '?';
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

const isZombie = (task: Task): boolean => task.state === 'zombie';

// #region trap-loop
/** A user process's body: run it in user mode and handle each trap, forever. */
function* userMain(kernel: Kernel, self: () => Process): ThreadBody {
  const process = self();
  const cpu = kernel.cpu;
  const task = process.task;
  while (!isZombie(task)) {
    process.memory.space.activate(); // CR3 ← this process's PML4
    const trap = cpu.enterUser(process.context);
    yield* handleTrap(kernel, process, trap);
    if (task.pendingSignal !== 0) exitProcess(kernel, process, 128 + task.pendingSignal);
    if (shouldYield() && !isZombie(task)) yield; // preempted: the quantum is over
  }
}
// #endregion trap-loop

function* handleTrap(
  kernel: Kernel,
  process: Process,
  trap: UserTrap,
): Generator<void, void, void> {
  switch (trap.kind) {
    case 'interrupt':
      return; // the IRQ's handler has run already; the loop decides about preemption
    case 'ecall':
      process.context.pc = (process.context.pc + 4) >>> 0;
      yield* kernel.syscallEntry(kernel, process);
      return;
    case 'page-fault': {
      const result = process.memory.resolveFault(trap.address, trap.errorCode);
      if (result.kind === 'fatal')
        killForFault(kernel, process, SIGSEGV, `${result.reason} at ${hex(trap.address >>> 0, 8)}`);
      return;
    }
    case 'illegal-instruction':
      return killForFault(
        kernel,
        process,
        SIGILL,
        `illegal instruction ${hex(trap.instruction >>> 0, 8)}`,
      );
    case 'misaligned':
      return killForFault(
        kernel,
        process,
        SIGBUS,
        `misaligned access to ${hex(trap.address >>> 0, 8)}`,
      );
    case 'breakpoint':
      return killForFault(kernel, process, SIGTRAP, 'breakpoint (ebreak)');
  }
}

/** End a process that did something fatal, saying what, as a Unix kernel logs a segfault. */
function killForFault(kernel: Kernel, process: Process, signal: number, what: string): void {
  kernel.log.log(
    'fault',
    `pid ${process.task.pid} (${process.task.name}): ${signalName(signal)}: ${what}, pc ${hex(process.context.pc >>> 0, 8)}; killed`,
  );
  exitProcess(kernel, process, 128 + signal);
}

/** fork: a copy of `parent` whose `fork` returns 0. Returns the child. */
export function fork(kernel: Kernel, parent: Process): Process {
  checkProcessLimit();
  const memory = parent.memory.clone();
  if (!memory) throw new SyscallError('ENOMEM', 'out of memory copying the address space');
  const context: UserContext = {
    regs: Int32Array.from(parent.context.regs),
    pc: parent.context.pc,
  };
  context.regs[REG_A0] = 0;
  return addProcess(kernel, {
    name: parent.task.name,
    parentPid: parent.task.pid,
    context,
    memory,
    files: parent.files.clone(),
    cwd: parent.cwd,
    argv: [...parent.argv],
    priority: parent.task.priority,
  });
}

/** exec: replace the process's program. On failure the old program goes on (the call returns an error). */
export function exec(kernel: Kernel, process: Process, elf: Uint8Array, argv: string[]): void {
  const { memory, start } = loadImage(kernel, elf, argv);
  process.memory.destroy();
  process.memory = memory;
  process.argv = argv;
  process.task.name = programName(argv);
  startProgram(process.context, start);
}

/** exit: free what the process owns, give its children to init, and leave a zombie for the parent. */
export function exitProcess(kernel: Kernel, process: Process, status: number): void {
  if (process.task.state === 'zombie') return;
  process.files.closeAll();
  process.memory.destroy();
  kernel.cpu.writeCr3(kernel.memory.kernelSpace.root); // off the freed tables
  process.exitStatus = status;
  process.task.state = 'zombie';
  adoptOrphans(process.task.pid);
  const parent = findTask(process.parentPid);
  if (!parent || parent.state === 'zombie') reap(process);
  else childExitQueue(process.parentPid).wakeAll();
}

function adoptOrphans(pid: number): void {
  const init = processes.get(INIT_PID);
  for (const child of processes.values()) {
    if (child.parentPid !== pid) continue;
    if (init && init.task.state !== 'zombie') {
      child.parentPid = INIT_PID;
      if (child.task.state === 'zombie') childExitQueue(INIT_PID).wakeAll();
    } else if (child.task.state === 'zombie') {
      reap(child);
    } else {
      child.parentPid = 0;
    }
  }
  childExits.delete(pid);
}

function reap(process: Process): void {
  processes.delete(process.task.pid);
  removeTask(process.task);
}

/** The children of task `parentPid` that `pid` selects (−1: all). */
function childrenOf(parentPid: number, pid: number): Process[] {
  return [...processes.values()].filter(
    (p) => p.parentPid === parentPid && (pid === -1 || p.task.pid === pid),
  );
}

/**
 * wait: block until a child selected by `pid` (−1: any) has exited, reap it,
 * and return its pid and status; with `noHang`, return null at once if none
 * has. ECHILD if there is no such child.
 */
export function* waitForChild(
  parent: Task,
  pid: number,
  noHang = false,
): Generator<void, { pid: number; status: number } | null, void> {
  for (;;) {
    const children = childrenOf(parent.pid, pid);
    if (children.length === 0)
      throw new SyscallError('ECHILD', pid === -1 ? 'no children' : `${pid} is not a child`);
    const zombie = children.find((child) => child.task.state === 'zombie');
    if (zombie) {
      reap(zombie);
      return { pid: zombie.task.pid, status: zombie.exitStatus };
    }
    if (noHang) return null;
    yield* childExitQueue(parent.pid).wait();
  }
}

/**
 * kill: send `signal` to process `pid`. Every signal ends the process (there
 * are no handlers yet), except init's: as on Linux, init gets only the signals
 * it handles, and it handles none, so a signal sent to it, SIGKILL included, is
 * dropped (and kill succeeds). Killing init would leave the machine without
 * the process that reaps orphans.
 */
export function kill(pid: number, signal: number): void {
  const target = processes.get(pid);
  if (!target || target.task.state === 'zombie')
    throw new SyscallError('ESRCH', `no process ${pid}`);
  if (signal <= 0 || signal > 64) throw new SyscallError('EINVAL', `no signal ${signal}`);
  if (pid === INIT_PID) return;
  target.task.pendingSignal = signal;
  wake(target.task);
}
