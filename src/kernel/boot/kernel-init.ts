/**
 * init, pid 1: the rest of boot, in a task, and then the first user program.
 *
 * Models: Linux's kernel_init. The first task starts as a kernel thread,
 * because what is left of booting may have to wait — mounting the root disk
 * reads it, and a disk read sleeps until IRQ 14 — and only a task can wait.
 * It mounts the file systems (fs/root-fs.ts), starts the kernel threads (the
 * shell with the desktop's commands, the desktop itself when the command line
 * says `gui`, and the flusher that commits file system changes every second, as
 * Linux's writeback threads do), and then executes /bin/init in its own
 * place: the kernel thread becomes the user process with pid 1, the parent
 * every orphan is given to.
 */
import { ConsoleFile } from '../fs/console-file';
import { FileTable } from '../fs/open-file';
import { mountFileSystems } from '../fs/root-fs';
import { startNetwork } from '../net/network';
import { becomeUserProcess } from '../proc/process';
import { currentTask, sleepUntil, spawn, ticksNow } from '../sched/scheduler';
import type { ThreadBody } from '../sched/scheduler';
import { shellThread } from '../shell/shell';
import { COMMANDS } from '../shell/commands';
import { DESKTOP_COMMANDS } from '../gui/desktop-commands';
import { startDesktopIfAsked } from '../gui/desktop-thread';
import { dispatchSyscall } from '../syscall/dispatcher';
import { openInspectionChannel } from '../inspect/inspection-channel';
import type { Kernel, KernelCore } from '../proc/kernel';

export const INIT_PATH = '/bin/init';
/** How often the flusher commits what the file systems hold in memory. */
export const FLUSH_INTERVAL_MS = 1000;

export function* kernelInit(core: KernelCore): ThreadBody {
  const vfs = yield* mountFileSystems({ ...core, modules: core.bootInfo.modules, ticks: ticksNow });
  const kernel: Kernel = { ...core, vfs, syscallEntry: dispatchSyscall };
  openInspectionChannel(kernel);
  spawn('flush', flushThread(kernel));
  if (kernel.net) yield* startNetwork(kernel.net, kernel.log);
  const commands = [...COMMANDS, ...DESKTOP_COMMANDS];
  yield* startDesktopIfAsked(kernel, commands);
  spawn('shell', shellThread(kernel, commands));
  yield* runInit(kernel);
}

/** Every FLUSH_INTERVAL_MS, commit every file system's changes (its journal makes each commit atomic). */
function* flushThread(kernel: Kernel): ThreadBody {
  for (;;) {
    yield* sleepUntil(ticksNow() + kernel.pit.ticksFor(FLUSH_INTERVAL_MS));
    yield* kernel.vfs.syncAll();
  }
}

/** Become /bin/init, with the console as descriptors 0, 1 and 2; without it, end quietly. */
function* runInit(kernel: Kernel): ThreadBody {
  let elf: Uint8Array;
  try {
    elf = yield* kernel.vfs.readFile(INIT_PATH);
  } catch {
    kernel.log.log('init', `no ${INIT_PATH}: running without user space`);
    return;
  }
  const files = new FileTable();
  const tty = new ConsoleFile(kernel.console);
  for (let fd = 0; fd < 3; fd++) files.install(tty);
  kernel.log.log('init', `pid ${currentTask().pid}: exec ${INIT_PATH}`);
  yield* becomeUserProcess(kernel, currentTask(), elf, [INIT_PATH], files);
}
