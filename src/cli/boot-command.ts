/**
 * `cotton boot`: boot the book's machine and kernel in the terminal.
 *
 *   cotton boot [--fast] [--type TEXT]... [--max-ms N] [--ram MiB] [--cmdline TEXT]
 *               [--override src/kernel/FILE.ts=LOCAL.ts]... [--disk IMAGE | --no-disk]
 *               [--snapshot FILE] [--save-snapshot FILE]
 *               [--key CHORD]... [--keys TEXT]... [--mouse SPEC]... [--screenshot FILE.png]
 *
 * With --fast or --type (or without a TTY) the machine runs headless in fast
 * mode: it prints the console, types each --type text once the shell shows a
 * prompt, and exits 0 when the shell is idle at a prompt after the last input;
 * it exits 1 with a message if the kernel panics or crashes, or if the machine
 * takes longer than --max-ms of wall time (default 10 s). Otherwise it is
 * interactive, in real time, until Ctrl-A X. --override boots an edited copy
 * of a kernel file in its place, as the book's editor does. --disk attaches a
 * disk image file as the ATA disk; every completed write command is written
 * back to the file at once. Without --disk the machine gets a fresh copy of
 * the book's disk (src/runtime/host/book-disk.ts) in memory, as a reader's first
 * visit does, and its writes are gone when the command ends; --no-disk boots
 * a machine without a disk. --save-snapshot writes a snapshot of the machine
 * after the last --type (headless only); --snapshot starts from one instead of
 * booting, replaying its console, with the kernel edits, RAM size and command
 * line it was taken with (src/runtime/host/snapshot.ts). A snapshot with a disk
 * needs the image as it was before that session wrote to it. --key, --keys and
 * --mouse are keyboard and mouse input for the desktop (`--cmdline gui`), in
 * order with the --type texts (src/runtime/host/gui-input.ts: `--mouse 'move
 * 100 200' --mouse 'down left' --key ctrl+s`); --screenshot writes a PNG of
 * the screen after the last input. The network flags (--pcap, --net-loss,
 * --net-delay, --net-dup, --net-reorder, --net-bandwidth, --net-seed,
 * --net-forward) are described in ./net-options.ts.
 *
 * Before it exits (idle, --max-ms, Ctrl-A X) a run with --disk gives the
 * kernel's flusher time to commit (./disk-commit.ts), so what the last
 * commands wrote reaches the image; --power-cut exits without it. A --disk
 * that holds no CottonFS is refused unless --ram-disk-fallback asks for the
 * kernel's RAM disk (./disk-image-check.ts). --help prints BOOT_HELP.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BootInput, BootWorkerMessage, BootWorkerOptions } from './boot-worker';
import { unescapeTyped } from '../nex/escapes';
import { UsageError } from './cli-errors';
import { diskImageProblem } from './disk-image-check';
import { runInteractive } from './interactive';
import { colourFilter } from './terminal-colour';
import { REPO_ROOT } from '../runtime/node/kernel-source-tree';
import { emptyNetArguments, NET_USAGE, parseNetFlag, type NetArguments } from './net-options';

export interface BootArguments {
  fast: boolean;
  /** Serial text (--type) and desktop input (--key, --keys, --mouse), in order. */
  inputs: BootInput[];
  maxMs: number;
  ramMiB: number;
  commandLine: string;
  overrides: Record<string, string>;
  /** Path of the disk image file; without it, a fresh copy of the book's disk. */
  disk?: string;
  /** --no-disk: no ATA disk at all. */
  noDisk: boolean;
  /** Snapshot file to start from. */
  snapshot?: string;
  /** Where to write a snapshot after the last input. */
  saveSnapshot?: string;
  /** Where to write a PNG of the screen after the last input. */
  screenshot?: string;
  /** Link conditions, capture and forwards (net-options.ts). */
  net: NetArguments;
  /** --power-cut: exit without letting the kernel commit (what the journal saved is what survives). */
  powerCut: boolean;
  /** --ram-disk-fallback: boot even if --disk holds no CottonFS (the kernel then roots on a RAM disk). */
  ramDiskFallback: boolean;
  /** --help: print BOOT_HELP and exit 0. */
  help: boolean;
}

const USAGE = `usage: cotton boot [--fast] [--type TEXT]... [--max-ms N] [--ram MiB] [--cmdline TEXT] [--override KERNEL_FILE=LOCAL_FILE]... [--disk IMAGE [--power-cut] [--ram-disk-fallback] | --no-disk] [--snapshot FILE] [--save-snapshot FILE] [--key CHORD]... [--keys TEXT]... [--mouse SPEC]... [--screenshot FILE.png] ${NET_USAGE}`;

export const BOOT_HELP = `${USAGE}

Boot the Cotton PC with the kernel in src/kernel. With --fast or --type (or when
stdin is not a terminal) it runs headless: it types each --type once a prompt
shows and exits 0 when the shell is idle at a prompt after the last input.
Otherwise it is interactive, in real time; Ctrl-A X quits.

  --fast                 headless, as fast as the host runs
  --type TEXT            type TEXT at the prompt (repeatable; escapes \\n \\r \\t \\e \\xNN)
  --max-ms N             wall-clock limit in ms (default 10000); past it, exit 1
  --ram MiB              the machine's memory (default 128)
  --cmdline TEXT         the Multiboot2 command line (gui: the desktop)
  --override K=LOCAL     boot LOCAL in place of kernel file K; copy it first:
                         cp src/kernel/shell/commands.ts my-commands.ts
  --disk IMAGE           attach a CottonFS image (cotton mkfs IMAGE --size 64M);
                         the kernel's writes reach the file, and before exiting
                         the kernel is given time to commit what it holds
  --power-cut            with --disk: exit without that commit (a power cut)
  --ram-disk-fallback    with --disk: boot even if IMAGE holds no CottonFS
  --no-disk              no disk at all: the kernel's root is a RAM disk
  --snapshot FILE        start from a snapshot instead of booting
  --save-snapshot FILE   write a snapshot after the last input (headless)
  --key, --keys, --mouse desktop input, in order with --type
  --screenshot FILE.png  a PNG of the screen after the last input
  network                --pcap FILE, --net-loss PCT, --net-dup PCT, --net-reorder PCT,
                         --net-delay MS, --net-bandwidth KBPS, --net-seed N,
                         --net-forward VIRT:PORT=HOST:PORT

Colours and terminal marks are written only to a terminal, and never with NO_COLOR.`;

/** `src/kernel/x.ts=path/to/edited.ts`: the edited file's text in place of the kernel file. */
function parseOverride(spec: string): [string, string] {
  const [file, local] = spec.split('=', 2);
  if (!file?.startsWith('src/kernel/') || !local)
    throw new UsageError(`--override needs src/kernel/FILE.ts=LOCAL_FILE, not '${spec}'`, USAGE);
  if (!existsSync(join(REPO_ROOT, file)))
    throw new Error(`--override: ${file} is not a file of the kernel (see src/kernel/README.md)`);
  if (!existsSync(local))
    throw new Error(
      `--override: there is no file ${local}; start from a copy of the kernel file: cp ${file} ${local}`,
    );
  return [file, readFileSync(local, 'utf8')];
}

export function parseBootArguments(args: readonly string[]): BootArguments {
  const parsed: BootArguments = {
    fast: false,
    inputs: [],
    maxMs: 10_000,
    ramMiB: 128,
    commandLine: '',
    overrides: {},
    noDisk: false,
    net: emptyNetArguments(),
    powerCut: false,
    ramDiskFallback: false,
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`, USAGE);
      return next;
    };
    const number = (): number => {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0)
        throw new UsageError(`${flag} needs a positive number`, USAGE);
      return n;
    };
    if (flag === '--help' || flag === '-h') parsed.help = true;
    else if (flag === '--power-cut') parsed.powerCut = true;
    else if (flag === '--ram-disk-fallback') parsed.ramDiskFallback = true;
    else if (flag === '--fast') parsed.fast = true;
    else if (flag === '--type') parsed.inputs.push({ kind: 'type', text: unescapeTyped(value()) });
    else if (flag === '--key') parsed.inputs.push({ kind: 'key', text: value() });
    else if (flag === '--keys') parsed.inputs.push({ kind: 'keys', text: unescapeTyped(value()) });
    else if (flag === '--mouse') parsed.inputs.push({ kind: 'mouse', text: value() });
    else if (flag === '--screenshot') parsed.screenshot = value();
    else if (flag === '--max-ms') parsed.maxMs = number();
    else if (flag === '--ram') parsed.ramMiB = number();
    else if (flag === '--cmdline') parsed.commandLine = value();
    else if (flag === '--disk') parsed.disk = value();
    else if (flag === '--no-disk') parsed.noDisk = true;
    else if (flag === '--snapshot') parsed.snapshot = value();
    else if (flag === '--save-snapshot') parsed.saveSnapshot = value();
    else if (flag === '--override') {
      const [file, source] = parseOverride(value());
      parsed.overrides[file] = source;
    } else if (!parseNetFlag(flag, value, parsed.net))
      throw new UsageError(`unknown option ${flag} (cotton boot --help lists them)`, USAGE);
  }
  if (parsed.noDisk && parsed.disk !== undefined)
    throw new UsageError('--disk and --no-disk exclude each other', USAGE);
  if ((parsed.powerCut || parsed.ramDiskFallback) && parsed.disk === undefined)
    throw new UsageError('--power-cut and --ram-disk-fallback go with --disk IMAGE', USAGE);
  return parsed;
}

/** Start the headless machine worker (TypeScript, through the same tsx loader as this process). */
function startWorker(options: BootWorkerOptions): Worker {
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(import.meta.resolve('./boot-worker.ts'))}); })`;
  return new Worker(bootstrap, { eval: true, workerData: options });
}

function runHeadless(args: BootArguments): Promise<number> {
  const {
    ramMiB,
    commandLine,
    inputs,
    overrides,
    disk,
    noDisk,
    snapshot,
    saveSnapshot,
    screenshot,
    net,
  } = args;
  const worker = startWorker({
    ramMiB,
    commandLine,
    inputs,
    overrides,
    disk,
    noDisk,
    snapshot,
    saveSnapshot,
    screenshot,
    net,
    maxVirtualMs: 600_000,
    wallDeadline: Date.now() + args.maxMs,
    maxWallMs: args.maxMs,
    commitBeforeExit: disk !== undefined && !args.powerCut,
  });
  const toStdout = colourFilter(process.stdout);
  let atLineStart = true;
  return new Promise((resolve) => {
    const finish = (code: number, message: string): void => {
      clearTimeout(timer);
      if (message) process.stderr.write(`${atLineStart ? '' : '\n'}cotton: ${message}\n`);
      void worker.terminate();
      resolve(code);
    };
    // The worker stops itself at --max-ms (and commits); this is for a kernel that never gives the CPU back.
    const timer = setTimeout(
      () =>
        finish(
          1,
          `timed out after ${args.maxMs} ms: the machine did not reach an idle prompt (an infinite loop in the kernel?)`,
        ),
      args.maxMs + HUNG_KERNEL_GRACE_MS,
    );
    worker.on('message', (message: BootWorkerMessage) => {
      if (message.type === 'output') {
        const bytes = toStdout(message.bytes);
        if (bytes.length > 0) atLineStart = bytes[bytes.length - 1] === 0x0a;
        process.stdout.write(bytes);
      } else finish(message.ok ? 0 : 1, message.message);
    });
    worker.on('error', (error) => finish(1, error.stack ?? error.message));
  });
}

/** After --max-ms the worker has this long to commit and report before it is stopped outright. */
const HUNG_KERNEL_GRACE_MS = 3000;

export async function bootCommand(argv: readonly string[]): Promise<number> {
  const args = parseBootArguments(argv);
  if (args.help) {
    process.stdout.write(`${BOOT_HELP}\n`);
    return 0;
  }
  if (args.disk !== undefined) {
    const problem = diskImageProblem(args.disk);
    if (problem !== null && (!args.ramDiskFallback || !existsSync(args.disk)))
      throw new Error(problem);
    if (problem !== null)
      process.stderr.write(
        `cotton: ${problem.split(';')[0]}: booting on a RAM disk (--ram-disk-fallback)\n`,
      );
  }
  const interactive =
    !args.fast &&
    args.inputs.length === 0 &&
    !args.saveSnapshot &&
    !args.screenshot &&
    process.stdin.isTTY;
  return interactive ? runInteractive(args) : runHeadless(args);
}
