/**
 * `cotton mkfs | fsck | ls | cat | put`: CottonFS disk images from the host.
 *
 *   cotton mkfs IMAGE --size 64M [--from DIR] [--label TEXT] [--time T]
 *   cotton fsck IMAGE [--repair]
 *   cotton ls IMAGE [PATH]
 *   cotton cat IMAGE PATH
 *   cotton put IMAGE HOSTFILE PATH [--time T]
 *
 * These are the host's mke2fs, e2fsck and debugfs, and like them they share
 * the kernel's on-disk code: they import src/kernel/fs directly and run its
 * generator operations to completion on the image held in memory (an image
 * never makes them wait, see block-device.ts). What they write is therefore
 * exactly what the kernel would write.
 *
 * Images are deterministic: every time stamp is the machine's default start
 * time unless --time says otherwise, and --from copies a directory in name
 * order, so the same inputs give a byte-identical image. Without --from, mkfs
 * writes the book's default disk (src/runtime/host/book-disk.ts: bin, etc, home,
 * usr/share/doc) at the size asked for.
 *
 * fsck exits as e2fsck does: 0 clean, 1 problems repaired, 4 problems left,
 * 8 the image could not be checked. The other commands exit 0, or 1 with a
 * message.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_START_TIME } from '../emu/machine';
import { BLOCK_SIZE, MemoryBlockDevice, runToCompletion } from '../kernel/fs/block-device';
import { CottonFs } from '../kernel/fs/cottonfs/cottonfs';
import { fsck, fsckExitCode } from '../kernel/fs/cottonfs/fsck';
import { MAX_BLOCKS } from '../kernel/fs/cottonfs/layout';
import { FsError, Vfs, pathComponents } from '../kernel/fs/vfs';
import type { Stat } from '../kernel/fs/vfs';
import { buildCottonFsImage, writeBookFiles } from '../runtime/host/book-disk';
import { repoDiskFiles, repoUserPrograms } from '../runtime/node/node-host';
import { plainMessage, UsageError } from './cli-errors';

/** Each command's usage and what it does (`cotton COMMAND --help`). */
const HELP: Readonly<Record<string, string>> = {
  mkfs: `usage: cotton mkfs IMAGE --size SIZE [--from DIR] [--label TEXT] [--time T]
Write a CottonFS disk image of SIZE (64M, 512K, 1G): the book's default disk,
or a copy of the host directory DIR. --time stamps the files (Unix seconds or a date).`,
  fsck: `usage: cotton fsck IMAGE [--repair]
Check a CottonFS image; with --repair, fix what can be fixed, in place.
Exits 0 clean, 1 problems repaired, 4 problems left, 8 the image could not be checked.`,
  ls: `usage: cotton ls IMAGE [PATH]
List a directory of the image (default /): mode, links, size, name.
In the machine, /bin shows the boot modules mounted over the image's /bin.`,
  cat: `usage: cotton cat IMAGE PATH
Print a file of the image.`,
  put: `usage: cotton put IMAGE HOSTFILE PATH [--time T]
Copy a host file into the image (into PATH if it is a directory).`,
};

export const FS_USAGE = Object.values(HELP)
  .map((help) => help.split('\n')[0]!.replace('usage: ', '       '))
  .join('\n')
  .replace(/^ {7}/, 'usage: ');

const usageOf = (command: string): string => HELP[command]?.split('\n')[0] ?? FS_USAGE;

/** Where the commands print: the process's streams, or a test's buffers. */
export interface FsCommandOutput {
  out(data: string | Uint8Array): void;
  err(text: string): void;
}

const processOutput: FsCommandOutput = {
  out: (data) => void process.stdout.write(data),
  err: (text) => void process.stderr.write(text),
};

const run = runToCompletion;

/** Run one of the file system commands; returns the exit code. */
export function fsCommand(
  command: string,
  argv: readonly string[],
  output: FsCommandOutput = processOutput,
): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    output.out(`${HELP[command] ?? FS_USAGE}\n`);
    return 0;
  }
  const { positional, flags } = parseArguments(command, argv);
  switch (command) {
    case 'mkfs':
      return mkfs(positional, flags, output);
    case 'fsck':
      return fsckCommand(positional, flags, output);
    case 'ls':
      return withMountedImage('ls', positional, 1, 2, output, (vfs, [path = '/']) =>
        list(vfs, path, output),
      );
    case 'cat':
      return withMountedImage('cat', positional, 2, 2, output, (vfs, [path]) =>
        output.out(run(vfs.readFile(path!))),
      );
    case 'put':
      return put(positional, parseTime(flags.get('--time')), output);
    default:
      throw new Error(`unknown file system command '${command}'\n${FS_USAGE}`);
  }
}

// ---- arguments ----

const VALUE_FLAGS = new Set(['--size', '--from', '--label', '--time']);
const SWITCHES = new Set(['--repair']);

function parseArguments(
  command: string,
  argv: readonly string[],
): {
  positional: string[];
  flags: Map<string, string>;
} {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (/^\[.*\]$/.test(arg))
      throw new UsageError(
        `${arg}: the brackets in a usage line mark what is optional; write ${arg.slice(1, -1)} without them, or leave it out`,
        usageOf(command),
      );
    if (SWITCHES.has(arg)) flags.set(arg, '');
    else if (VALUE_FLAGS.has(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`, usageOf(command));
      flags.set(arg, value);
    } else if (arg.startsWith('--'))
      throw new UsageError(`unknown option ${arg}`, usageOf(command));
    else positional.push(arg);
  }
  return { positional, flags };
}

function expectPositional(command: string, positional: string[], min: number, max: number): void {
  if (positional.length >= min && positional.length <= max) return;
  const expected = min === max ? `${min}` : `${min} or ${max}`;
  throw new UsageError(
    `${command} takes ${expected} argument${max === 1 ? '' : 's'}, not ${positional.length}`,
    usageOf(command),
  );
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** "64M", "512K", "1G" or a byte count, rounded down to whole blocks. */
export function parseSize(text: string): number {
  const match = /^(\d+)([KMG]?)(i?B)?$/i.exec(text.trim());
  if (!match) throw new Error(`--size ${text}: expected a size such as 64M, 512K or 1G`);
  const bytes = Number(match[1]) * SIZE_UNITS[match[2]!.toUpperCase()]!;
  const blocks = Math.floor(bytes / BLOCK_SIZE);
  if (blocks > MAX_BLOCKS)
    throw new Error(`--size ${text}: CottonFS disks hold at most ${MAX_BLOCKS} blocks (4 GiB)`);
  return blocks * BLOCK_SIZE;
}

/** --time: Unix seconds or an ISO 8601 date. */
export function parseTime(text: string | undefined): number {
  if (text === undefined) return DEFAULT_START_TIME;
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new Error(`--time ${text}: expected Unix seconds or a date such as 2026-01-01T09:00:00Z`);
  return Math.floor(ms / 1000);
}

// ---- mkfs ----

function mkfs(positional: string[], flags: Map<string, string>, output: FsCommandOutput): number {
  expectPositional('mkfs', positional, 1, 1);
  const image = positional[0]!;
  const sizeText = flags.get('--size');
  if (sizeText === undefined) throw new UsageError('mkfs needs --size', usageOf('mkfs'));
  const time = parseTime(flags.get('--time'));
  const from = flags.get('--from');
  const { image: bytes, fs } = buildCottonFsImage(
    parseSize(sizeText),
    (vfs) =>
      from !== undefined
        ? copyHostDirectory(vfs, from, '/')
        : writeBookFiles(vfs, repoUserPrograms(), repoDiskFiles()),
    { time, label: flags.get('--label') },
  );
  writeFileSync(image, bytes);
  const { freeBlocks, totalBlocks, freeInodes, totalInodes } = fs.superblock;
  output.out(
    `${image}: CottonFS, ${totalBlocks} blocks of ${BLOCK_SIZE} bytes (${totalBlocks - freeBlocks} used), ${totalInodes - 1 - freeInodes} of ${totalInodes - 1} inodes used\n`,
  );
  return 0;
}

/** Copy a host directory tree into `target`, in name order (so the image does not depend on the host's readdir order). */
function copyHostDirectory(vfs: Vfs, hostDirectory: string, target: string): void {
  for (const name of readdirSync(hostDirectory).sort()) {
    const hostPath = join(hostDirectory, name);
    const path = `${target}${name}`;
    const info = statSync(hostPath);
    if (info.isDirectory()) {
      run(vfs.mkdir(path));
      copyHostDirectory(vfs, hostPath, `${path}/`);
    } else if (info.isFile()) {
      run(vfs.writeFile(path, readFileSync(hostPath)));
    }
  }
}

// ---- fsck ----

function fsckCommand(
  positional: string[],
  flags: Map<string, string>,
  output: FsCommandOutput,
): number {
  expectPositional('fsck', positional, 1, 1);
  const image = positional[0]!;
  const repair = flags.has('--repair');
  const device = new MemoryBlockDevice(readImage(image));
  const before = device.bytes.slice();
  const report = run(fsck(device, { repair }));
  if (report.fatal) {
    output.err(`${image}: ${report.fatal}\n`);
    return fsckExitCode(report);
  }
  for (const note of report.notes) output.out(`${image}: ${note}\n`);
  for (const problem of report.problems) output.out(`${image}: ${problem}\n`);
  const state =
    report.problems.length === 0
      ? 'clean'
      : report.repaired
        ? 'REPAIRED'
        : 'PROBLEMS LEFT (run with --repair)';
  output.out(
    `${image}: ${state}, ${report.files} files, ${report.directories} directories, ${report.usedBlocks} blocks used\n`,
  );
  if (repair && !equalBytes(before, device.bytes)) writeFileSync(image, device.bytes);
  return fsckExitCode(report);
}

// ---- ls, cat, put ----

function readImage(image: string): Uint8Array {
  const bytes = readFileSync(image);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Mount the image in memory (mounting writes: the mount count, a replayed journal) and run `action`; the file is not changed. */
function withMountedImage(
  command: string,
  positional: string[],
  min: number,
  max: number,
  output: FsCommandOutput,
  action: (vfs: Vfs, rest: string[]) => void,
): number {
  expectPositional(command, positional, min, max);
  const [image, ...rest] = positional as [string, ...string[]];
  const fs = run(CottonFs.mount(new MemoryBlockDevice(readImage(image)), () => DEFAULT_START_TIME));
  try {
    action(new Vfs(fs), rest);
  } catch (error) {
    if (error instanceof FsError)
      throw new Error(`${image}: ${rest[0] ?? '/'}: ${plainMessage(error)}`);
    throw error;
  }
  return 0;
}

function list(vfs: Vfs, path: string, output: FsCommandOutput): void {
  if (pathComponents(path)[0] === 'bin')
    output.err(
      "note: this is the image's own /bin; in the machine, /bin is the boot modules (read-only, r-xr-xr-x) mounted over it\n",
    );
  const stat = run(vfs.stat(path));
  if (stat.type !== 'directory') {
    output.out(listingLine(stat, pathComponents(path).pop() ?? path));
    return;
  }
  const entries = run(vfs.readdir(path)).filter((e) => e.name !== '.' && e.name !== '..');
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const directory = path.endsWith('/') ? path : `${path}/`;
  for (const entry of entries)
    output.out(listingLine(run(vfs.stat(`${directory}${entry.name}`)), entry.name));
}

/** One line of `ls -l`: type and permissions, links, size in bytes, name (directories with a slash). */
function listingLine(stat: Stat, name: string): string {
  const type = stat.type === 'directory' ? 'd' : '-';
  const suffix = stat.type === 'directory' ? '/' : '';
  return `${type}${permissions(stat.mode)} ${String(stat.links).padStart(3)} ${String(stat.size).padStart(10)}  ${name}${suffix}\n`;
}

function permissions(mode: number): string {
  let text = '';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const bits = (mode >> shift) & 7;
    text += (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? 'x' : '-');
  }
  return text;
}

/** Copy a host file into the image: to PATH, or into PATH under the host file's name if PATH is a directory. */
function put(positional: string[], time: number, output: FsCommandOutput): number {
  expectPositional('put', positional, 3, 3);
  const [image, hostFile, path] = positional as [string, string, string];
  const data = readFileSync(hostFile);
  const device = new MemoryBlockDevice(readImage(image));
  const fs = run(CottonFs.mount(device, () => time));
  const vfs = new Vfs(fs);
  const target = isDirectory(vfs, path)
    ? `${path.endsWith('/') ? path : `${path}/`}${basename(hostFile)}`
    : path;
  run(vfs.writeFile(target, data));
  run(fs.sync());
  writeFileSync(image, device.bytes);
  output.out(`${image}: ${target}, ${data.length} bytes\n`);
  return 0;
}

function isDirectory(vfs: Vfs, path: string): boolean {
  try {
    return run(vfs.stat(path)).type === 'directory';
  } catch {
    return false;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
