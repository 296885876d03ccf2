/**
 * The shell's file commands: ls, cd, pwd, cat, touch, mkdir, rmdir, rm,
 * write, mv, ln, stat, df, sync, mount, fsck.
 *
 * Models: the Unix tools of the same names, cut down to what the CottonOS
 * shell offers, working through the VFS exactly as the system calls do.
 * Paths are relative to the shell's working directory (`cd`), which programs
 * started from the shell inherit. A failed call prints the errno name, as
 * `ls: /x: ENOENT: …` — the reader sees the error a program would get.
 */
import type { Io } from '../fs/block-device';
import { CottonFs } from '../fs/cottonfs/cottonfs';
import { fsck } from '../fs/cottonfs/fsck';
import { unlocked } from '../fs/locked-fs';
import { FsError } from '../fs/vfs';
import type { FileType, Stat } from '../fs/vfs';
import { BLUE, BOLD, paint } from '../lib/ansi';
import { dateTimeOfUtcSeconds, formatUnixDate } from '../lib/date';
import { formatSize, pad } from '../lib/format';
import { SyscallError } from '../lib/errno';
import { normalizePath } from '../syscall/file-calls';
import { EXIT_FAILURE, EXIT_SUCCESS } from './command';
import type { ExitStatus, ShellCommand, ShellContext } from './command';

export const FS_COMMANDS: readonly ShellCommand[] = [
  {
    name: 'ls',
    usage: '[path]',
    help: 'list a directory: type, size, name',
    run: (args, sh) => fsCommand(sh, 'ls', () => ls(sh, args[0] ?? '.')),
  },
  {
    name: 'cd',
    usage: '[path]',
    help: 'change the working directory',
    run: (args, sh) => fsCommand(sh, 'cd', () => cd(sh, args[0] ?? '/')),
  },
  { name: 'pwd', help: 'print the working directory', run: (_, sh) => sh.println(sh.cwd) },
  {
    name: 'cat',
    usage: '<file>...',
    help: 'print files',
    run: (args, sh) => eachPath(sh, 'cat', args, (path) => cat(sh, path)),
  },
  {
    name: 'touch',
    usage: '<file>...',
    help: 'create empty files',
    run: (args, sh) => eachPath(sh, 'touch', args, (path) => touch(sh, path)),
  },
  {
    name: 'mkdir',
    usage: '<dir>...',
    help: 'make directories',
    run: (args, sh) => eachPath(sh, 'mkdir', args, (path) => sh.kernel.vfs.mkdir(path)),
  },
  {
    name: 'rmdir',
    usage: '<dir>...',
    help: 'remove empty directories',
    run: (args, sh) => eachPath(sh, 'rmdir', args, (path) => sh.kernel.vfs.rmdir(path)),
  },
  {
    name: 'rm',
    usage: '<file>...',
    help: 'remove files',
    run: (args, sh) => eachPath(sh, 'rm', args, (path) => sh.kernel.vfs.unlink(path)),
  },
  {
    name: 'write',
    usage: '<file> <text...>',
    help: 'replace a file with a line of text',
    run: write,
  },
  {
    name: 'mv',
    usage: '<from> <to>',
    help: 'rename or move a file',
    run: (args, sh) => twoPaths(sh, 'mv', args, (from, to) => sh.kernel.vfs.rename(from, to)),
  },
  {
    name: 'ln',
    usage: '<existing> <new>',
    help: 'make a hard link',
    run: (args, sh) => twoPaths(sh, 'ln', args, (from, to) => sh.kernel.vfs.link(from, to)),
  },
  {
    name: 'stat',
    usage: '<path>',
    help: "show a file's inode",
    run: (args, sh) => eachPath(sh, 'stat', args.slice(0, 1), (path) => stat(sh, path)),
  },
  {
    name: 'df',
    help: 'space used and free on each file system',
    run: (_, sh) => fsCommand(sh, 'df', () => df(sh)),
  },
  {
    name: 'sync',
    help: 'commit every file system to its disk',
    run: (_, sh) => fsCommand(sh, 'sync', () => sh.kernel.vfs.syncAll()),
  },
  { name: 'mount', help: 'the mounted file systems', run: mount },
  {
    name: 'fsck',
    help: "check the root file system's structure",
    run: (_, sh) => fsCommand(sh, 'fsck', () => checkRoot(sh)),
  },
];

/** Run a file operation; an FsError or SyscallError is printed as `command: message`. */
function* fsCommand(
  sh: ShellContext,
  command: string,
  operation: () => Io<unknown>,
): Generator<void, ExitStatus, void> {
  try {
    const result = yield* operation();
    return typeof result === 'number' ? result : EXIT_SUCCESS;
  } catch (error) {
    if (!(error instanceof FsError || error instanceof SyscallError)) throw error;
    sh.println(
      `${command}: ${error instanceof SyscallError ? `${error.code}: ${error.message}` : error.message}`,
    );
    return EXIT_FAILURE;
  }
}

const absolute = (sh: ShellContext, path: string): string => normalizePath(sh.cwd, path);

/** Apply `operation` to each path argument; the status is a failure if any failed. */
function* eachPath(
  sh: ShellContext,
  command: string,
  args: string[],
  operation: (path: string) => Io<unknown>,
): Generator<void, ExitStatus, void> {
  if (args.length === 0) {
    sh.println(`${command}: missing operand`);
    return EXIT_FAILURE;
  }
  let status = EXIT_SUCCESS;
  for (const arg of args) {
    if ((yield* fsCommand(sh, command, () => operation(absolute(sh, arg)))) !== EXIT_SUCCESS)
      status = EXIT_FAILURE;
  }
  return status;
}

function* twoPaths(
  sh: ShellContext,
  command: string,
  args: string[],
  operation: (from: string, to: string) => Io<unknown>,
): Generator<void, ExitStatus, void> {
  if (args.length !== 2) {
    sh.println(`${command}: usage: ${command} <from> <to>`);
    return EXIT_FAILURE;
  }
  return yield* fsCommand(sh, command, () =>
    operation(absolute(sh, args[0]!), absolute(sh, args[1]!)),
  );
}

const TYPE_LETTERS: Record<FileType, string> = { file: '-', directory: 'd', device: 'c' };

function modeString(stat: Stat): string {
  const bits = 'rwxrwxrwx';
  let text = TYPE_LETTERS[stat.type];
  for (let i = 0; i < 9; i++) text += stat.mode & (1 << (8 - i)) ? bits[i] : '-';
  return text;
}

function* ls(sh: ShellContext, arg: string): Io<void> {
  const path = absolute(sh, arg);
  const { vfs } = sh.kernel;
  const target = yield* vfs.stat(path);
  if (target.type !== 'directory') {
    sh.println(`${modeString(target)} ${pad(target.links, 3)} ${pad(target.size, 10)}  ${arg}`);
    return;
  }
  const entries = (yield* vfs.readdir(path))
    .filter((e) => e.name !== '.' && e.name !== '..')
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const info = yield* vfs.stat(`${path === '/' ? '' : path}/${entry.name}`);
    const name = info.type === 'directory' ? paint(BOLD + BLUE, `${entry.name}/`) : entry.name;
    sh.println(`${modeString(info)} ${pad(info.links, 3)} ${pad(info.size, 10)}  ${name}`);
  }
}

function* cd(sh: ShellContext, arg: string): Io<void> {
  const path = absolute(sh, arg);
  if ((yield* sh.kernel.vfs.stat(path)).type !== 'directory')
    throw new FsError('ENOTDIR', `${arg} is not a directory`);
  sh.cwd = path;
}

function* cat(sh: ShellContext, path: string): Io<void> {
  const data = yield* sh.kernel.vfs.readFile(path);
  sh.write(new TextDecoder().decode(data).replace(/\r?\n/g, '\r\n'));
}

function* touch(sh: ShellContext, path: string): Io<void> {
  const { parent, name } = yield* sh.kernel.vfs.resolveParent(path);
  const exists = (yield* parent.readdir()).some((e) => e.name === name);
  if (!exists) yield* parent.create(name, 'file');
}

function* write(args: string[], sh: ShellContext): Generator<void, ExitStatus, void> {
  if (args.length < 1) {
    sh.println('write: usage: write <file> <text...>');
    return EXIT_FAILURE;
  }
  const text = new TextEncoder().encode(`${args.slice(1).join(' ')}\n`);
  return yield* fsCommand(sh, 'write', () => sh.kernel.vfs.writeFile(absolute(sh, args[0]!), text));
}

function* stat(sh: ShellContext, path: string): Io<void> {
  const info = yield* sh.kernel.vfs.stat(path);
  sh.println(`  File: ${path}`);
  sh.println(
    `  Type: ${info.type}   Inode: ${info.inode}   Links: ${info.links}   Mode: ${modeString(info)} (${info.mode.toString(8).padStart(4, '0')})`,
  );
  sh.println(`  Size: ${info.size}   Blocks: ${info.blocks} of 4 KiB`);
  for (const [label, time] of [
    ['Access', info.accessTime],
    ['Modify', info.modifyTime],
    ['Change', info.changeTime],
  ] as const) {
    sh.println(
      `${label.padStart(6)}: ${time > 0 ? formatUnixDate(dateTimeOfUtcSeconds(time)) : '-'}`,
    );
  }
}

function* df(sh: ShellContext): Io<void> {
  sh.println('Filesystem   Size      Used      Free      Inodes used  Mounted on');
  for (const { path, fs } of sh.kernel.vfs.mountTable()) {
    const s = yield* fs.stats();
    const size = (blocks: number): string => formatSize(blocks * s.blockSize).padEnd(10);
    const used = s.totalInodes - s.freeInodes;
    sh.println(
      `${fs.name.padEnd(12)} ${size(s.totalBlocks)}${size(s.totalBlocks - s.freeBlocks)}${size(s.freeBlocks)}${`${used}/${s.totalInodes}`.padEnd(13)}${path}`,
    );
  }
}

function mount(_args: string[], sh: ShellContext): void {
  for (const { path, fs: mounted } of sh.kernel.vfs.mountTable()) {
    const fs = unlocked(mounted);
    const label = fs instanceof CottonFs ? ` "${fs.superblock.label}"` : '';
    sh.println(`${fs.name}${label} on ${path}`);
  }
}

/** Commit, then check the root file system on its device as `cotton fsck` would (without repairing). */
function* checkRoot(sh: ShellContext): Generator<void, ExitStatus, void> {
  const mounted = sh.kernel.vfs.rootFs;
  const root = unlocked(mounted);
  if (!(root instanceof CottonFs)) {
    sh.println('fsck: the root is not a CottonFS');
    return EXIT_FAILURE;
  }
  yield* mounted.sync();
  const report = yield* fsck(root.device, { repair: false });
  if (report.fatal) {
    sh.println(`fsck: ${report.fatal}`);
    return EXIT_FAILURE;
  }
  for (const line of [...report.notes, ...report.problems]) sh.println(`fsck: ${line}`);
  sh.println(
    `fsck: ${report.problems.length === 0 ? 'clean' : `${report.problems.length} problems`}, ${report.files} files, ${report.directories} directories, ${report.usedBlocks} blocks used`,
  );
  return report.problems.length === 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
