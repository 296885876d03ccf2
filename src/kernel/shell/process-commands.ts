/**
 * The shell's process commands: running programs (`run`, or a program's name
 * alone), and `ps`, `kill`, `nice`.
 *
 * Models: what a Unix shell does with fork+exec+wait, done from a kernel
 * thread: the shell asks the kernel to start /bin/NAME as its child with the
 * console as descriptors 0, 1 and 2, and waits for it. While a program runs in
 * the foreground, Ctrl-C sends it SIGINT (the console's interrupt key, as a
 * tty's ISIG), and the shell prints how it ended as bash would. A command
 * line ending in `&` runs in the background; the shell reports finished
 * background programs before its next prompt.
 */
import { ConsoleFile } from '../fs/console-file';
import { FileTable } from '../fs/open-file';
import { FsError } from '../fs/vfs';
import { pad } from '../lib/format';
import { allProcesses, kill, processOf, spawnProgram, waitForChild } from '../proc/process';
import { SIGINT, SIGKILL, SIGTERM, signalName } from '../proc/signals';
import {
  allTasks,
  currentTask,
  findTask,
  idleTime,
  IDLE_PID,
  PRIORITY_HIGHEST,
  PRIORITY_LOWEST,
  setPriority,
} from '../sched/scheduler';
import type { Task } from '../sched/scheduler';
import { ERRNO, SyscallError } from '../lib/errno';
import { normalizePath, readProgram } from '../syscall/file-calls';
import { EXIT_COMMAND_NOT_FOUND, EXIT_FAILURE, EXIT_SUCCESS } from './command';
import type { ExitStatus, ShellCommand, ShellContext } from './command';

/** Where a program named without a slash is looked for. */
export const PROGRAM_DIRECTORY = '/bin';

export const PROCESS_COMMANDS: readonly ShellCommand[] = [
  {
    name: 'run',
    usage: '<program> [args...] [&]',
    help: 'run a user program (also: just its name)',
    run: runCommand,
  },
  { name: 'ps', help: 'processes and kernel threads', run: ps },
  {
    name: 'kill',
    usage: '<pid> [signal]',
    help: 'send a signal (default SIGTERM) to a process',
    run: killCommand,
  },
  { name: 'nice', usage: '<pid> <0-4>', help: "set a process's priority (0 highest)", run: nice },
];

function* runCommand(args: string[], sh: ShellContext): Generator<void, ExitStatus, void> {
  if (args.length === 0) {
    sh.println('run: usage: run <program> [args...] [&]');
    return EXIT_FAILURE;
  }
  return yield* runProgram(sh, args);
}

/** The path a command name stands for: /bin/NAME, or a path relative to the working directory. */
function programPath(name: string, cwd: string): string {
  return name.includes('/') ? normalizePath(cwd, name) : `${PROGRAM_DIRECTORY}/${name}`;
}

/** Start `words[0]` with the console as stdin/stdout/stderr; wait for it unless the line ends in `&`. */
export function* runProgram(sh: ShellContext, words: string[]): Generator<void, ExitStatus, void> {
  const background = words[words.length - 1] === '&';
  const argv = background ? words.slice(0, -1) : words;
  const path = programPath(argv[0]!, sh.cwd);
  let elf: Uint8Array;
  try {
    elf = yield* readProgram(sh.kernel, path);
  } catch (error) {
    if (!(error instanceof FsError || error instanceof SyscallError)) throw error;
    sh.println(`${argv[0]}: command not found`);
    return EXIT_COMMAND_NOT_FOUND;
  }
  const files = new FileTable();
  const tty = new ConsoleFile(sh.kernel.console);
  for (let fd = 0; fd < 3; fd++) files.install(tty);
  let pid: number;
  try {
    pid = spawnProgram(sh.kernel, elf, [path, ...argv.slice(1)], {
      parentPid: currentTask().pid,
      files,
      cwd: sh.cwd,
    }).task.pid;
  } catch (error) {
    files.closeAll();
    if (!(error instanceof SyscallError)) throw error;
    sh.println(`${argv[0]}: ${error.message}`);
    return EXIT_FAILURE;
  }
  if (background) {
    sh.println(`[${pid}]`);
    return EXIT_SUCCESS;
  }
  return yield* waitForeground(sh, pid);
}

/** Wait for the foreground program; Ctrl-C interrupts it meanwhile. */
function* waitForeground(sh: ShellContext, pid: number): Generator<void, ExitStatus, void> {
  const { console } = sh.kernel;
  console.interruptKey = () => {
    console.write('^C');
    if (findTask(pid)?.state !== 'zombie') kill(pid, SIGINT);
  };
  try {
    const child = yield* waitForChild(currentTask(), pid);
    reportSignal(sh, child!.status);
    return child!.status;
  } finally {
    console.interruptKey = null;
  }
}

/** Say how a program that a signal ended died, as bash does ("Segmentation fault"). */
function reportSignal(sh: ShellContext, status: number): void {
  if (status <= 128) return;
  const signal = status - 128;
  const words: Record<number, string> = {
    2: '',
    4: 'Illegal instruction',
    5: 'Trace/breakpoint trap',
    7: 'Bus error',
    9: 'Killed',
    11: 'Segmentation fault',
    15: 'Terminated',
  };
  const text = words[signal] ?? signalName(signal);
  sh.println(text);
}

/** Report background programs that have finished (before each prompt). */
export function reportFinishedJobs(sh: ShellContext): void {
  for (;;) {
    const finished = finishedChild();
    if (!finished) return;
    sh.println(`[${finished.pid}] done, exit status ${finished.status}`);
  }
}

function finishedChild(): { pid: number; status: number } | null {
  const shell = currentTask();
  if (!allProcesses().some((p) => p.parentPid === shell.pid && p.task.state === 'zombie'))
    return null;
  const step = waitForChild(shell, -1, true).next();
  return step.done ? step.value : null;
}

const STATE_LETTERS: Record<Task['state'], string> = {
  running: 'R',
  ready: 'R',
  blocked: 'S',
  sleeping: 'S',
  zombie: 'Z',
};

function ps(_args: string[], sh: ShellContext): void {
  sh.println('  PID  PPID  PRI  STATE         TIME  COMMAND');
  const { idleTicks } = idleTime();
  sh.println(psLine(IDLE_PID, 0, '-', 'R', idleTicks, '[idle]'));
  for (const task of allTasks()) {
    const process = processOf(task);
    const command = process ? process.argv.join(' ') : `[${task.name}]`;
    sh.println(
      psLine(
        task.pid,
        process?.parentPid ?? 0,
        String(task.priority),
        `${STATE_LETTERS[task.state]} ${task.state}`,
        task.cpuTicks,
        command,
      ),
    );
  }
}

/** CPU time from timer ticks (1 ms each at 1000 Hz), as seconds: "12.345". */
function formatCpuTime(ticks: number): string {
  return (ticks / 1000).toFixed(3);
}

function psLine(
  pid: number,
  ppid: number,
  priority: string,
  state: string,
  ticks: number,
  command: string,
): string {
  return `${pad(pid, 5)} ${pad(ppid, 5)}  ${pad(priority, 3)}  ${state.padEnd(10)} ${pad(formatCpuTime(ticks), 7)}  ${command}`;
}

function parseInteger(text: string | undefined): number | null {
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : null;
}

const SIGNALS_BY_NAME: Record<string, number> = {
  INT: SIGINT,
  KILL: SIGKILL,
  TERM: SIGTERM,
  SIGINT,
  SIGKILL,
  SIGTERM,
};

function killCommand(args: string[], sh: ShellContext): ExitStatus {
  const pid = parseInteger(args[0]);
  const signal =
    args[1] === undefined
      ? SIGTERM
      : (parseInteger(args[1]) ?? SIGNALS_BY_NAME[args[1].toUpperCase()]);
  if (pid === null || signal === undefined || args.length > 2) {
    sh.println('kill: usage: kill <pid> [signal: number, INT, KILL or TERM]');
    return EXIT_FAILURE;
  }
  return reportErrno(sh, 'kill', () => kill(pid, signal));
}

function nice(args: string[], sh: ShellContext): ExitStatus {
  const pid = parseInteger(args[0]);
  const priority = parseInteger(args[1]);
  if (
    pid === null ||
    priority === null ||
    priority < PRIORITY_HIGHEST ||
    priority > PRIORITY_LOWEST
  ) {
    sh.println(
      `nice: usage: nice <pid> <priority ${PRIORITY_HIGHEST} (highest) to ${PRIORITY_LOWEST} (lowest)>`,
    );
    return EXIT_FAILURE;
  }
  const task = findTask(pid);
  if (!task || task.state === 'zombie') {
    sh.println(`nice: no process ${pid}`);
    return EXIT_FAILURE;
  }
  setPriority(task, priority);
  return EXIT_SUCCESS;
}

/** Run `action`, printing a failed system call's reason. */
function reportErrno(sh: ShellContext, command: string, action: () => void): ExitStatus {
  try {
    action();
    return EXIT_SUCCESS;
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    sh.println(`${command}: ${error.message} (${error.code}, errno ${ERRNO[error.code]})`);
    return EXIT_FAILURE;
  }
}
