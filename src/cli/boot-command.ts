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
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { BootInput, BootWorkerMessage, BootWorkerOptions } from './boot-worker';
import { unescapeTyped } from '../nex/escapes';
import { runInteractive } from './interactive';
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
}

const USAGE = `usage: cotton boot [--fast] [--type TEXT]... [--max-ms N] [--ram MiB] [--cmdline TEXT] [--override KERNEL_FILE=LOCAL_FILE]... [--disk IMAGE | --no-disk] [--snapshot FILE] [--save-snapshot FILE] [--key CHORD]... [--keys TEXT]... [--mouse SPEC]... [--screenshot FILE.png] ${NET_USAGE}`;

/** `src/kernel/x.ts=path/to/edited.ts`: the edited file's text in place of the kernel file. */
function parseOverride(spec: string): [string, string] {
  const [file, local] = spec.split('=', 2);
  if (!file?.startsWith('src/kernel/') || !local)
    throw new Error(`--override needs src/kernel/FILE.ts=LOCAL_FILE, not '${spec}'`);
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
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    const number = (): number => {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0)
        throw new Error(`${flag} needs a positive number\n${USAGE}`);
      return n;
    };
    if (flag === '--fast') parsed.fast = true;
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
      throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (parsed.noDisk && parsed.disk !== undefined)
    throw new Error(`--disk and --no-disk exclude each other\n${USAGE}`);
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
  });
  return new Promise((resolve) => {
    const finish = (code: number, message: string): void => {
      clearTimeout(timer);
      if (message) process.stderr.write(`\ncotton: ${message}\n`);
      void worker.terminate();
      resolve(code);
    };
    const timer = setTimeout(
      () =>
        finish(
          1,
          `timed out after ${args.maxMs} ms: the machine did not reach an idle prompt (an infinite loop in the kernel?)`,
        ),
      args.maxMs,
    );
    worker.on('message', (message: BootWorkerMessage) => {
      if (message.type === 'output') process.stdout.write(message.bytes);
      else
        finish(
          message.ok ? 0 : 1,
          message.ok && !message.message ? '' : `${message.message} (machine ${message.state})`,
        );
    });
    worker.on('error', (error) => finish(1, error.stack ?? error.message));
  });
}

export async function bootCommand(argv: readonly string[]): Promise<number> {
  const args = parseBootArguments(argv);
  const interactive =
    !args.fast &&
    args.inputs.length === 0 &&
    !args.saveSnapshot &&
    !args.screenshot &&
    process.stdin.isTTY;
  return interactive ? runInteractive(args) : runHeadless(args);
}
